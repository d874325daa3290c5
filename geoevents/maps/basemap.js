/* geoevents offline basemap: land and sea, coast, admin-1 lines, international borders
 * and labels for countries, regions and cities, drawn from the data block (no tiles, no
 * network). Geometry arrives as integer deltas (see basemap.compact_geometry). */
(function () {
  "use strict";
  var parts = window.geoeventsParts = window.geoeventsParts || {};

  function decodeLine(flat, scale) {
    var out = [], x = 0, y = 0;
    for (var k = 0; k < flat.length; k += 2) {
      x += flat[k]; y += flat[k + 1];
      out.push([y / scale, x / scale]);
    }
    return out;
  }

  /* {"s": scale, "l": [line, ...]} -> [[latlng...], ...]; {"s", "p": [[ring...]...]} -> polygons */
  parts.decodeGeometry = function (geom) {
    if (!geom) return null;
    if (geom.l) return geom.l.map(function (line) { return decodeLine(line, geom.s); });
    return geom.p.map(function (polygon) {
      return polygon.map(function (ring) { return decodeLine(ring, geom.s); });
    });
  };

  /* zoom-dependent label density: the smallest place named at each zoom */
  function minPopulation(zoom) {
    if (zoom <= 4) return 2000000;
    if (zoom <= 5) return 900000;
    if (zoom <= 6) return 350000;
    if (zoom <= 7) return 120000;
    if (zoom <= 8) return 50000;
    if (zoom <= 9) return 20000;
    if (zoom <= 10) return 8000;
    return 0;
  }

  function boundsWidth(map, b) {
    return map.latLngToLayerPoint([b[1], b[2]]).x - map.latLngToLayerPoint([b[1], b[0]]).x;
  }

  /* draws the basemap; returns {offline: layers shown with the offline basemap, land: the land
   * layers (kept under the tiles too), labels: label items for the label layer} */
  parts.drawBasemap = function (map, base, style) {
    map.createPane("ge-land").style.zIndex = "150";
    // lines above the shading of regions (350) and control areas (360): a border stays visible through them
    map.createPane("ge-baselines").style.zIndex = "365";
    var landRenderer = L.svg({ pane: "ge-land", padding: 0.5 });
    var lineRenderer = L.svg({ pane: "ge-baselines", padding: 0.5 });
    map.getContainer().style.background = style.sea;
    var decode = parts.decodeGeometry;
    var land = [], lines = [];

    function area(geom, fill, className) {
      return L.polygon(decode(geom), {
        renderer: landRenderer, pane: "ge-land", stroke: false, fillColor: fill, fillOpacity: 1,
        interactive: false, className: className,
      });
    }
    function line(geom, options) {
      return L.polyline(decode(geom), L.extend({
        renderer: lineRenderer, pane: "ge-baselines", interactive: false, lineJoin: "round", lineCap: "round",
      }, options));
    }
    base.context.land.forEach(function (country) {
      if (country.geometry) land.push(area(country.geometry, country.focus ? style.focusLand : style.land, "ge-base-context"));
    });
    base.land.forEach(function (country) {
      if (!country.geometry) return;
      var layer = area(country.geometry, country.focus ? style.focusLand : style.land, "ge-land");
      layer.on("add", function () { layer.getElement().setAttribute("data-country", country.code); });
      land.push(layer);
    });
    if (base.context.coast) lines.push(line(base.context.coast, { color: style.coast, weight: 0.7, className: "ge-coast" }));
    if (base.context.borders) lines.push(line(base.context.borders, { color: style.border, weight: 1, opacity: 0.7, className: "ge-border-context" }));
    if (base.admin1) lines.push(line(base.admin1, { color: style.admin1, weight: 0.9, className: "ge-admin1" }));
    if (base.coast) lines.push(line(base.coast, { color: style.coast, weight: 0.9, className: "ge-coast" }));
    base.borders.forEach(function (border) {
      if (!border.geometry) return;
      lines.push(line(border.geometry, { color: style.borderCasing, weight: 6, opacity: 0.9, className: "ge-border-casing" }));
      var main = line(border.geometry, { color: style.border, weight: 2.1, className: "ge-border" });
      main.on("add", function () { main.getElement().setAttribute("data-between", border.between.join("-")); });
      lines.push(main);
    });

    var labels = [];
    base.labels.forEach(function (label) {
      var latlngs = [L.latLng(label.p[0], label.p[1])].concat((label.o || []).map(function (p) { return L.latLng(p[0], p[1]); }));
      if (label.k === "country") {
        labels.push(parts.labelItem({
          text: label.t, latlngs: latlngs, kind: "country", className: "ge-label-country",
          priority: 500 + label.r, candidates: parts.centredCandidates,
          show: function (zoom) { return zoom >= 3; },
        }));
      } else {
        labels.push(parts.labelItem({
          text: label.t, latlngs: latlngs, kind: "region", className: "ge-label-region",
          priority: 300 + label.r, candidates: parts.centredCandidates,
          // a region is named when it is wider on screen than its name
          show: function (zoom, m) { return zoom >= 6 && boundsWidth(m, label.b) > 1.1 * (this.size ? this.size[0] : 60); },
        }));
      }
    });
    var C = base.cities;
    C.t.forEach(function (text, k) {
      var pop = C.n[k], big = pop >= 1000000;
      labels.push(parts.labelItem({
        text: text, latlng: L.latLng(C.lat[k], C.lon[k]), kind: "city",
        className: big ? "ge-label-city ge-label-big" : "ge-label-city", dot: big ? "ge-dot-big" : "ge-dot-city",
        priority: (pop >= 300000 ? 400 : 200) + Math.log10(pop), candidates: parts.besideCandidates,
        show: function (zoom) { return pop >= minPopulation(zoom); },
      }));
    });
    return { offline: lines, land: land, labels: labels };
  };
})();
