/* geoevents map renderer: draws events, regions, area symbols and control layers
 * from one JSON block. All text from the data goes into the page with
 * textContent (never innerHTML), and only http(s) URLs become links, so no
 * event, claim or source text can execute or inject markup. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(text, url) {
    var href = safeUrl(url);
    if (!href) return el("span", null, text);
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function number(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 1 });
  }

  function km2(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: value >= 10 ? 0 : 1 }) + " km²";
  }

  function row(parent, label, value) {
    if (value === null || value === undefined || value === "") return;
    var line = el("div", "ge-row");
    line.appendChild(el("span", "ge-label", label + ": "));
    if (value instanceof Node) line.appendChild(value);
    else line.appendChild(el("span", null, value));
    parent.appendChild(line);
  }

  function swatch(colour, shape) {
    var s = el("span", "ge-swatch" + (shape ? " ge-" + shape : ""));
    s.style.background = colour;
    return s;
  }

  function figureText(figure, unit, approximate) {
    if (figure === null || figure === undefined) return null;
    var text = (approximate ? "≈" : "") + number(figure);
    if (unit === "km2" || unit === "km²") return text + " km²";
    return unit ? text + " " + unit : text;
  }

  function control(position, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var div = build();
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new C();
  }

  window.geoeventsMap = function (map, data) {
    var E = data.events;
    var n = E.lat.length;
    var colours = data.style.kinds;
    var statusStyles = data.style.statuses;
    // a text column is {k: same string on every row}, {d: dictionary, c: codes} or {v: strings}
    function str(col, i) {
      var column = E[col];
      if (column.c) { var k = column.c[i]; return k < 0 ? null : column.d[k]; }
      return column.v ? column.v[i] : column.k;
    }
    function num(col, i) {
      var column = E[col];
      return Array.isArray(column) ? column[i] : column.k;
    }
    function kindOf(i) { return str("kind", i) || "other"; }
    function colourOf(kind) { return colours[kind] || data.style.unknown; }

    ["ge-regions", "ge-control", "ge-changes", "ge-areas"].forEach(function (name, k) {
      map.createPane(name).style.zIndex = String(350 + 10 * k);
    });
    var svg = {};
    function svgFor(pane) { return svg[pane] || (svg[pane] = L.svg({ pane: pane })); }
    var eventRenderer = data.canvas ? L.canvas({ padding: 0.5 }) : L.svg({ padding: 0.5 });

    var baseLayers = {};
    var plain = L.layerGroup();
    if (data.tiles) {
      var tiles = L.tileLayer(data.tiles.url, { maxZoom: 19, attribution: data.tiles.attribution });
      tiles.addTo(map);
      baseLayers[data.tiles.name] = tiles;
      baseLayers["Plain background"] = plain;
    }
    var overlays = {};

    /* ---- title ---- */
    if (data.title || data.subtitle) {
      var box = el("div", "ge-title");
      if (data.title) box.appendChild(el("div", "ge-title-main", data.title));
      if (data.subtitle) box.appendChild(el("div", "ge-title-sub", data.subtitle));
      map.getContainer().appendChild(box);
      L.DomEvent.disableClickPropagation(box);
    }

    /* ---- regions shaded by control claims ---- */
    if (data.regions.length) {
      var regionLayer = L.layerGroup();
      data.regions.forEach(function (region) {
        if (!region.geometry) return;
        var claimed = region.claims.length > 0;
        var layer = L.geoJSON(region.geometry, {
          pane: "ge-regions",
          renderer: svgFor("ge-regions"),
          style: {
            color: data.style.region.color, weight: data.style.region.weight,
            fillColor: data.style.region.fillColor, fillOpacity: claimed ? 0.28 : 0.08,
            className: "ge-region",
          },
        });
        layer.bindTooltip(function () { return el("span", null, region.name); }, { sticky: true });
        layer.bindPopup(function () {
          var div = el("div", "ge-popup");
          div.appendChild(el("div", "ge-popup-title", region.name));
          row(div, "Region", region.code);
          row(div, "Events", String(region.events));
          if (claimed) {
            div.appendChild(el("div", "ge-label", "Control claims:"));
            var list = el("ul", "ge-claims");
            region.claims.forEach(function (c) {
              var parts = [c.date, c.kind, figureText(c.figure, c.unit, c.approximate), c.claimant ? "claimed by " + c.claimant : null, c.status];
              list.appendChild(el("li", null, parts.filter(Boolean).join(" · ")));
            });
            div.appendChild(list);
          } else {
            div.appendChild(el("div", "ge-note", "No control claims about this region."));
          }
          return div;
        }, { maxWidth: 360 });
        regionLayer.addLayer(layer);
      });
      regionLayer.addTo(map);
      overlays["Regions named by events"] = regionLayer;
    }

    /* ---- area claims ---- */
    if (data.areas.length) {
      var areaLayer = L.layerGroup();
      data.areas.forEach(function (area) {
        if (!area.geometry) return;
        var colour = colourOf(kindOf(area.event));
        var layer = L.geoJSON(area.geometry, {
          pane: "ge-areas",
          renderer: svgFor("ge-areas"),
          style: L.extend({}, data.style.area, { color: area.symbol ? data.style.area.color : colour, fillColor: colour, className: area.symbol ? "ge-area-symbol" : "ge-area" }),
        });
        layer.bindTooltip(function () { return el("span", null, area.label); }, { permanent: true, direction: "bottom", offset: [0, 12 + 24 * (area.stack || 0)], className: "ge-area-label" });
        layer.bindPopup(function () { return eventPopup(area.event, area.label); }, { maxWidth: 360 });
        areaLayer.addLayer(layer);
      });
      areaLayer.addTo(map);
      overlays["Area claims"] = areaLayer;
    }

    /* ---- control layers with a time slider ---- */
    if (data.control.length) {
      var controlLayer = L.layerGroup().addTo(map);
      var gainedLayer = L.layerGroup().addTo(map);
      var lostLayer = L.layerGroup().addTo(map);
      overlays["Control (selected date)"] = controlLayer;
      overlays["Gained since previous date"] = gainedLayer;
      overlays["Lost since previous date"] = lostLayer;
      var dates = [];
      data.control.forEach(function (c) { if (dates.indexOf(c.date) < 0) dates.push(c.date); });
      var caption = el("div", "ge-slider-caption");
      var showDate = function (index) {
        var date = dates[index];
        controlLayer.clearLayers(); gainedLayer.clearLayers(); lostLayer.clearLayers();
        var words = [];
        data.control.forEach(function (c) {
          if (c.date !== date) return;
          if (c.geometry) {
            var held = L.geoJSON(c.geometry, { pane: "ge-control", renderer: svgFor("ge-control"), style: L.extend({ className: "ge-control" }, data.style.control) });
            held.bindPopup(function () {
              var div = el("div", "ge-popup");
              div.appendChild(el("div", "ge-popup-title", "Held by " + c.controller + " on " + c.date));
              row(div, "Area", km2(c.area_km2));
              row(div, "Status", c.status);
              row(div, "Source", c.source);
              if (c.since) row(div, "Since " + c.since, "+" + km2(c.gained_km2) + " / −" + km2(c.lost_km2));
              return div;
            });
            controlLayer.addLayer(held);
          }
          [["gained", gainedLayer, data.style.gained], ["lost", lostLayer, data.style.lost]].forEach(function (spec) {
            var geom = c[spec[0]];
            if (!geom) return;
            var change = L.geoJSON(geom, { pane: "ge-changes", renderer: svgFor("ge-changes"), style: L.extend({ className: "ge-" + spec[0] }, spec[2]) });
            change.bindTooltip(function () {
              return el("span", null, c.controller + " " + spec[0] + " " + km2(c[spec[0] + "_km2"]) + " between " + c.since + " and " + c.date);
            }, { sticky: true });
            spec[1].addLayer(change);
          });
          var text = c.controller + " held " + km2(c.area_km2);
          if (c.since) text += " (+" + km2(c.gained_km2) + " / −" + km2(c.lost_km2) + " since " + c.since + ")";
          words.push(text);
        });
        caption.textContent = date + ": " + words.join("; ");
      };
      control("bottomleft", function () {
        var div = el("div", "ge-box ge-slider");
        div.appendChild(el("div", "ge-box-title", "Control over time"));
        var input = el("input");
        input.type = "range"; input.min = "0"; input.max = String(dates.length - 1); input.step = "1";
        input.value = String(dates.length - 1);
        input.setAttribute("aria-label", "Date of the control layer");
        input.addEventListener("input", function () { showDate(Number(input.value)); });
        div.appendChild(input);
        div.appendChild(caption);
        return div;
      }).addTo(map);
      showDate(dates.length - 1);
    }

    /* ---- events ---- */
    function eventPopup(i, extra) {
      var div = el("div", "ge-popup");
      var place = str("place", i);
      div.appendChild(el("div", "ge-popup-title", place || "(no place name)"));
      var region = [str("admin1_name", i), str("admin1_code", i), str("country_code", i)].filter(Boolean);
      if (region.length) row(div, "Region", region.join(", "));
      var date = str("date", i);
      if (date) {
        var precision = str("date_precision", i);
        var dateText = date + (precision ? " (precision: " + precision + ")" : "");
        var phrase = str("date_text", i);
        if (phrase) dateText += " — “" + phrase + "”";
        row(div, "Date", dateText);
      }
      row(div, "Kind", kindOf(i));
      row(div, "Claim", str("claim", i));
      row(div, "Figure", figureText(num("figure", i), str("figure_unit", i), num("approximate", i)));
      row(div, "Claimant", str("claimant", i));
      row(div, "Actor", str("actor", i));
      row(div, "Status", str("status", i));
      var source = str("source", i);
      var url = str("url", i);
      var urlText = str("url_text", i);
      if (source || url || urlText) {
        var node = el("span");
        node.appendChild(url ? link(source || url, url) : el("span", null, source));
        if (urlText) node.appendChild(el("span", "ge-note", (source ? " — " : "") + urlText));
        var published = str("published", i);
        if (published) node.appendChild(el("span", null, " (published " + published + ")"));
        row(div, "Source", node);
      }
      if (extra) div.appendChild(el("div", "ge-note", extra));
      return div;
    }

    var kindOn = {};
    var claimantOn = {};
    var kindCount = {};
    var claimantCount = {};
    for (var i = 0; i < n; i++) {
      var k = kindOf(i);
      kindCount[k] = (kindCount[k] || 0) + 1;
      var c = str("claimant", i) || "(no claimant)";
      claimantCount[c] = (claimantCount[c] || 0) + 1;
    }
    Object.keys(kindCount).forEach(function (k) { kindOn[k] = true; });
    Object.keys(claimantCount).forEach(function (c) { claimantOn[c] = true; });
    function visible(i) { return kindOn[kindOf(i)] && claimantOn[str("claimant", i) || "(no claimant)"]; }

    // Web-Mercator coordinates in [0, 1], computed once; pixels = these × 256·2^zoom.
    var mx = new Float64Array(n), my = new Float64Array(n);
    for (var j = 0; j < n; j++) {
      var s = Math.sin(E.lat[j] * Math.PI / 180);
      s = Math.max(Math.min(s, 0.9999), -0.9999);
      mx[j] = (E.lon[j] + 180) / 360;
      my[j] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }

    var eventLayer = L.layerGroup().addTo(map);
    var state = { markers: 0, clusters: 0, events: n };
    window.geoeventsState = state;

    function eventMarker(i, latlng) {
      var st = statusStyles[str("status", i)] || statusStyles.reported;
      var colour = colourOf(kindOf(i));
      var marker = L.circleMarker(latlng, {
        renderer: eventRenderer, radius: 7, weight: 1.5, color: "#222", fillColor: colour,
        fillOpacity: st.fillOpacity, dashArray: st.dashArray, className: "ge-event",
      });
      // a free-standing popup survives the redraw that its own auto-pan triggers
      marker.on("click", function () {
        L.popup({ maxWidth: 360 }).setLatLng(latlng).setContent(eventPopup(i)).openOn(map);
      });
      marker.bindTooltip(function () { return el("span", null, (str("place", i) || "") + " · " + kindOf(i)); });
      return marker;
    }

    function clusterMarker(cell, scale) {
      var latlng = map.unproject([cell.x / cell.count, cell.y / cell.count], map.getZoom());
      var size = cell.count < 100 ? 30 : cell.count < 10000 ? 38 : 46;
      var label = el("span", null, cell.count.toLocaleString("en-US"));
      var marker = L.marker(latlng, {
        icon: L.divIcon({ html: label, className: "ge-cluster", iconSize: [size, size] }),
        keyboard: false, title: cell.count + " events",
      });
      marker.on("click", function () {
        map.fitBounds(L.latLngBounds(
          map.unproject([cell.minx, cell.miny], map.getZoom()),
          map.unproject([cell.maxx, cell.maxy], map.getZoom())
        ), { padding: [40, 40], maxZoom: data.clusterMaxZoom });
      });
      return marker;
    }

    function draw() {
      eventLayer.clearLayers();
      var zoom = map.getZoom();
      var scale = 256 * Math.pow(2, zoom);
      var view = map.getPixelBounds();
      var pad = 0.5 * Math.max(view.max.x - view.min.x, view.max.y - view.min.y);
      var x0 = view.min.x - pad, x1 = view.max.x + pad, y0 = view.min.y - pad, y1 = view.max.y + pad;
      var markers = [];
      var clusters = 0;
      if (data.cluster && zoom < data.clusterMaxZoom) {
        var cellSize = 60;
        var cells = new Map();
        for (var i = 0; i < n; i++) {
          if (!visible(i)) continue;
          var px = mx[i] * scale, py = my[i] * scale;
          if (px < x0 || px > x1 || py < y0 || py > y1) continue;
          var key = Math.floor(px / cellSize) * 1e7 + Math.floor(py / cellSize);
          var cell = cells.get(key);
          if (!cell) cells.set(key, { count: 1, x: px, y: py, first: i, minx: px, maxx: px, miny: py, maxy: py });
          else {
            cell.count++; cell.x += px; cell.y += py;
            if (px < cell.minx) cell.minx = px; if (px > cell.maxx) cell.maxx = px;
            if (py < cell.miny) cell.miny = py; if (py > cell.maxy) cell.maxy = py;
          }
        }
        cells.forEach(function (cell) {
          if (cell.count === 1) markers.push(eventMarker(cell.first, map.unproject([cell.x, cell.y], zoom)));
          else { markers.push(clusterMarker(cell, scale)); clusters++; }
        });
      } else {
        // events at the very same spot are spread on a small ring so each stays clickable
        var spots = new Map();
        for (var k2 = 0; k2 < n; k2++) {
          if (!visible(k2)) continue;
          var qx = mx[k2] * scale, qy = my[k2] * scale;
          if (qx < x0 || qx > x1 || qy < y0 || qy > y1) continue;
          var spot = mx[k2] + "," + my[k2];
          if (!spots.has(spot)) spots.set(spot, []);
          spots.get(spot).push(k2);
        }
        spots.forEach(function (members) {
          var cx = mx[members[0]] * scale, cy = my[members[0]] * scale;
          var ring = members.length > 1 ? 9 + 2.5 * members.length : 0;
          members.forEach(function (m, idx) {
            var angle = 2 * Math.PI * idx / members.length - Math.PI / 2;
            var latlng = map.unproject([cx + ring * Math.cos(angle), cy + ring * Math.sin(angle)], zoom);
            markers.push(eventMarker(m, latlng));
          });
        });
      }
      markers.forEach(function (m) { eventLayer.addLayer(m); });
      state.markers = markers.length - clusters;
      state.clusters = clusters;
      state.drawnAtZoom = zoom;
    }

    /* ---- filters by kind and claimant (a layer control of our own: DOM text only) ---- */
    function filterSection(title, counts, on, colourFor) {
      var section = el("div", "ge-filter-section");
      section.appendChild(el("div", "ge-box-title", title));
      Object.keys(counts).sort().forEach(function (name) {
        var label = el("label", "ge-filter");
        var box = el("input");
        box.type = "checkbox"; box.checked = true;
        box.setAttribute("data-filter", title + ":" + name);
        box.addEventListener("change", function () { on[name] = box.checked; draw(); });
        label.appendChild(box);
        if (colourFor) label.appendChild(swatch(colourFor(name), "dot"));
        label.appendChild(el("span", null, name + " (" + counts[name].toLocaleString("en-US") + ")"));
        section.appendChild(label);
      });
      return section;
    }
    control("topright", function () {
      var div = el("details", "ge-box ge-filters");
      div.open = Object.keys(claimantCount).length <= 12;
      div.appendChild(el("summary", "ge-box-title", "Events by kind and claimant"));
      div.appendChild(filterSection("Kind", kindCount, kindOn, colourOf));
      div.appendChild(filterSection("Claimant", claimantCount, claimantOn, null));
      return div;
    }).addTo(map);

    if (Object.keys(overlays).length || Object.keys(baseLayers).length) {
      L.control.layers(baseLayers, overlays, { collapsed: false, position: "topleft" }).addTo(map);
    }

    /* ---- legend ---- */
    control("bottomright", function () {
      var div = el("details", "ge-box ge-legend");
      div.open = true;
      div.appendChild(el("summary", "ge-box-title", "Legend"));
      data.style.order.concat(Object.keys(kindCount)).forEach(function (kind, idx, all) {
        if (!kindCount[kind] || all.indexOf(kind) !== idx) return;
        var line = el("div", "ge-legend-row");
        line.appendChild(swatch(colourOf(kind), "dot"));
        line.appendChild(el("span", null, kind));
        div.appendChild(line);
      });
      div.appendChild(el("div", "ge-note", "Solid outline: reported or confirmed; dashed: claimed; dotted: disputed."));
      if (data.cluster) div.appendChild(el("div", "ge-note", "Numbered circles group nearby events; click to zoom in."));
      function entry(style, text) {
        var line = el("div", "ge-legend-row");
        var s = swatch(style.fillColor || "transparent", "square");
        s.style.border = "2px " + (style.dashArray ? "dashed " : "solid ") + style.color;
        line.appendChild(s);
        line.appendChild(el("span", null, text));
        div.appendChild(line);
      }
      if (data.regions.length) entry(data.style.region, "Region named by events (darker: has control claims)");
      if (data.areas.some(function (a) { return a.symbol; })) entry(L.extend({}, data.style.area, { fillColor: "transparent" }), "Claimed area: equal-area circle, not a frontline");
      if (data.control.length) {
        entry(data.style.control, "Area held (control layer)");
        entry(data.style.gained, "Gained since previous date");
        entry(data.style.lost, "Lost since previous date");
      }
      return div;
    }).addTo(map);

    /* ---- sources and attribution ---- */
    control("bottomleft", function () {
      var div = el("details", "ge-box ge-sources");
      div.appendChild(el("summary", "ge-box-title", "Sources (" + data.sources.length + ") and data credits"));
      var list = el("ul");
      data.sources.forEach(function (src) {
        var item = el("li");
        item.appendChild(link(src.name || src.url || src.text, src.url));
        if (src.text) item.appendChild(el("span", "ge-note", " " + src.text));
        if (src.published) item.appendChild(el("span", null, " (" + src.published + ")"));
        list.appendChild(item);
      });
      div.appendChild(list);
      var credits = el("ul", "ge-credits");
      data.credits.forEach(function (credit) {
        var item = el("li");
        item.appendChild(link(credit.name, credit.url));
        item.appendChild(el("span", null, " — " + credit.terms));
        credits.appendChild(item);
      });
      div.appendChild(credits);
      return div;
    }).addTo(map);

    /* ---- initial view ---- */
    // keep the data clear of the title (top) and the filter/layer panels (right)
    var wide = map.getSize().x > 900;
    if (data.bounds) map.fitBounds(data.bounds, {
      paddingTopLeft: wide ? [260, 90] : [20, 20], paddingBottomRight: wide ? [320, 50] : [20, 20],
      maxZoom: 11, animate: false,
    });
    map.on("moveend", draw);
    draw();
    window.geoeventsReady = true;
  };
})();
