/* geoevents label placement: labels never overlap each other or event markers.
 *
 * Every label (basemap names, region counts, area-claim captions) is an item with an
 * anchor, a priority and a list of candidate positions around the anchor. After each
 * move, zoom or redraw the items are placed greedily in priority order: the first
 * candidate whose box (in screen pixels) is inside the view and free of markers and of
 * labels already placed wins; an item with no free candidate is hidden. Text goes in
 * with textContent only. */
(function () {
  "use strict";
  var parts = window.geoeventsParts = window.geoeventsParts || {};
  var GAP = 2; // px kept free around every placed label

  function overlaps(a, list) {
    for (var k = 0; k < list.length; k++) {
      var b = list[k];
      if (a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]) return true;
    }
    return false;
  }

  /* the first free spot for an item around one anchor, or null. A city whose dot lies
   * under a marker keeps its name, written clear of the marker, and loses the dot. */
  function place(item, anchor, w, h, view, taken, markers, map) {
    if (anchor.x < view[0] - w || anchor.x > view[2] + w || anchor.y < view[1] - h || anchor.y > view[3] + h) return null;
    var dot = item.dot ? [anchor.x - 3, anchor.y - 3, anchor.x + 3, anchor.y + 3] : null;
    var gap;
    if (dot && overlaps(dot, taken.slice(markers))) return null;  // under a panel or another label
    if (dot && overlaps(dot, taken.slice(0, markers))) { dot = null; gap = 13; }
    var candidates = item.candidates(w, h, map, gap);
    for (var k = 0; k < candidates.length; k++) {
      var x = anchor.x + candidates[k][0], y = anchor.y + candidates[k][1];
      var box = [x - GAP, y - GAP, x + w + GAP, y + h + GAP];
      if (box[0] < view[0] || box[1] < view[1] || box[2] > view[2] || box[3] > view[3]) continue;
      if (overlaps(box, taken)) continue;
      return { x: x, y: y, box: box, dot: dot, anchor: anchor };
    }
    return null;
  }

  parts.LabelLayer = L.Layer.extend({
    initialize: function () {
      this._items = [];
      this._obstacles = function () { return []; };
      this.stats = { placed: 0, hidden: 0, byKind: {} };
    },

    onAdd: function (map) {
      var pane = map.getPane("ge-labels") || map.createPane("ge-labels");
      this._root = L.DomUtil.create("div", "ge-label-layer", pane);
      var root = this._root;
      this._items.forEach(function (item) { root.appendChild(item.node); if (item.dot) root.appendChild(item.dot); });
      map.on("zoomend moveend resize", this.update, this);
      // a panel opened or closed (legend, sources, changes) covers other ground: place again
      this._toggled = L.bind(this.update, this);
      map.getContainer().addEventListener("toggle", this._toggled, true);
      this.update();
    },

    onRemove: function (map) {
      map.off("zoomend moveend resize", this.update, this);
      map.getContainer().removeEventListener("toggle", this._toggled, true);
      L.DomUtil.remove(this._root);
      this._root = null;
    },

    /* item: {node, latlng, priority, kind, candidates(w, h, map) -> [[dx, dy], ...] (top-left
     * offsets from the anchor), show(zoom, map) -> bool, dot (optional node centred on the anchor),
     * hidden (set by the owner), onClick} */
    add: function (item) {
      item.node.style.position = "absolute";
      item.node.style.display = "none";
      if (item.dot) { item.dot.style.position = "absolute"; item.dot.style.display = "none"; }
      if (item.onClick) {
        L.DomEvent.on(item.node, "click", function (e) { L.DomEvent.stop(e); item.onClick(e); });
        L.DomEvent.disableClickPropagation(item.node);
      }
      this._items.push(item);
      if (this._root) {
        this._root.appendChild(item.node);
        if (item.dot) this._root.appendChild(item.dot);
      }
      return item;
    },

    /* the map's own panels (title, legend, buttons) in layer pixels: labels under them are lost */
    _panels: function (map) {
      var origin = map.getContainer().getBoundingClientRect();
      var boxes = [];
      map.getContainer().querySelectorAll(".leaflet-control, .ge-title").forEach(function (node) {
        var r = node.getBoundingClientRect();
        if (!r.width || !r.height) return;
        var a = map.containerPointToLayerPoint([r.left - origin.left, r.top - origin.top]);
        boxes.push([a.x - 2, a.y - 2, a.x + r.width + 2, a.y + r.height + 2]);
      });
      return boxes;
    },

    /* fn() -> [[x0, y0, x1, y1], ...] in layer pixels: what labels must not cover */
    setObstacles: function (fn) { this._obstacles = fn; },

    /* the owner changed an item's text: measure it again */
    changed: function (item) { item.size = null; },

    update: function () {
      var map = this._map;
      if (!map || !this._root) return;
      var zoom = map.getZoom();
      var size = map.getSize();
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      var view = [topLeft.x, topLeft.y, topLeft.x + size.x, topLeft.y + size.y];
      var wanted = this._items.filter(function (item) {
        if (!item.latlngs) item.latlngs = [item.latlng];
        var on = !item.hidden && !item.suppressed && (!item.show || item.show(zoom, map));
        if (!on) { item.node.style.display = "none"; if (item.dot) item.dot.style.display = "none"; }
        return on;
      });
      // measure new or changed labels in one layout pass
      var unmeasured = wanted.filter(function (item) { return !item.size; });
      unmeasured.forEach(function (item) { item.node.style.visibility = "hidden"; item.node.style.display = "block"; });
      unmeasured.forEach(function (item) { item.size = [item.node.offsetWidth, item.node.offsetHeight]; });
      unmeasured.forEach(function (item) { item.node.style.visibility = ""; });
      wanted.sort(function (a, b) { return b.priority - a.priority || a.order - b.order; });

      var taken = this._obstacles();
      var markers = taken.length;  // taken[0:markers] are event markers, the rest panels and labels
      taken = taken.concat(this._panels(map));
      var stats = { placed: 0, hidden: 0, byKind: {} };
      wanted.forEach(function (item) {
        var w = item.size[0], h = item.size[1];
        var spot = null;
        for (var a = 0; a < item.latlngs.length && !spot; a++) {
          spot = place(item, map.latLngToLayerPoint(item.latlngs[a]), w, h, view, taken, markers, map);
        }
        if (!spot) {
          item.node.style.display = "none";
          if (item.dot) item.dot.style.display = "none";
          item.placed = null;
          stats.hidden++;
          return;
        }
        taken.push(spot.box);
        if (spot.dot) taken.push(spot.dot);
        item.node.style.display = "block";
        L.DomUtil.setPosition(item.node, L.point(Math.round(spot.x), Math.round(spot.y)));
        if (item.dot) {
          item.dot.style.display = spot.dot ? "block" : "none";
          if (spot.dot) L.DomUtil.setPosition(item.dot, L.point(Math.round(spot.anchor.x), Math.round(spot.anchor.y)));
        }
        item.placed = spot.box;
        stats.placed++;
        stats.byKind[item.kind] = (stats.byKind[item.kind] || 0) + 1;
      });
      this.stats = stats;
    },
  });

  var order = 0;
  /* a label node with its text (textContent: data is never markup) */
  parts.labelItem = function (options) {
    var node = document.createElement("div");
    node.className = "ge-maplabel " + (options.className || "");
    node.textContent = String(options.text);
    var item = {
      node: node, latlngs: options.latlngs || [options.latlng], priority: options.priority, kind: options.kind,
      show: options.show, candidates: options.candidates, dot: null, order: order++, onClick: options.onClick,
    };
    if (options.dot) {
      item.dot = document.createElement("div");
      item.dot.className = "ge-label-dot " + options.dot;
    }
    return item;
  };

  /* candidate positions: centred on the anchor, then above and below it */
  parts.centredCandidates = function (w, h) {
    return [[-w / 2, -h / 2], [-w / 2, -h / 2 - h], [-w / 2, -h / 2 + h], [-w / 2, -h / 2 - 2 * h],
      [-w / 2, -h / 2 + 2 * h]];
  };

  /* beside a point (a city dot): right, left, above, below */
  parts.besideCandidates = function (w, h, map, gap) {
    var g = gap || 6;
    return [[g, -h / 2], [-w - g, -h / 2], [-w / 2, -h - g + 1], [-w / 2, g - 1], [g, -h + 2], [g, -2]];
  };
})();
