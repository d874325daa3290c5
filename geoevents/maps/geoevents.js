/* geoevents map renderer: draws events, regions, area symbols and control layers
 * from one JSON block, over the offline basemap (basemap.js), with one time control
 * (timeaxis.js) and labels that never overlap markers (labels.js). All text from the
 * data goes into the page with textContent (never innerHTML), and only http(s) URLs
 * become links, so no event, claim or source text can execute or inject markup. */
(function () {
  "use strict";
  var parts = window.geoeventsParts;

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
    var digits = value >= 10 ? 0 : value >= 0.1 ? 1 : 2;
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits }) + " km²";
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

  /* a hidden SVG holding the hatch pattern that region-level events fill their region with */
  function hatchPattern(container, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0"); svg.setAttribute("height", "0");
    svg.style.position = "absolute";
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "ge-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8"); pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0"); line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
    line.setAttribute("stroke", colour); line.setAttribute("stroke-width", "2.2"); line.setAttribute("stroke-opacity", "0.55");
    pattern.appendChild(line);
    var defs = document.createElementNS(ns, "defs");
    defs.appendChild(pattern);
    svg.appendChild(defs);
    container.appendChild(svg);
  }

  window.geoeventsMap = function (map, data) {
    var E = data.events;
    var n = E.lat.length;
    var colours = data.style.kinds;
    var statusStyles = data.style.statuses;
    // a text column is {k: same string on every row}, {d: dictionary, c: codes} or {v: strings}
    function str(col, i) {
      var column = E[col];
      if (!column) return null;
      if (column.c) { var k = column.c[i]; return k < 0 ? null : column.d[k]; }
      return column.v ? column.v[i] : column.k;
    }
    // a number column is a list, or {k: same value on every row}
    function num(col, i) {
      var column = E[col];
      if (!column) return null;
      return Array.isArray(column) ? column[i] : column.k;
    }
    function kindOf(i) { return str("kind", i) || "other"; }
    function colourOf(kind) { return colours[kind] || data.style.unknown; }
    function regionOf(i) { var r = num("region", i); return r === null || r === undefined ? -1 : r; }
    function uncertaintyOf(i) { return num("unc", i); }

    ["ge-regions", "ge-control", "ge-changes", "ge-areas", "ge-uncertainty"].forEach(function (name, k) {
      map.createPane(name).style.zIndex = String(350 + 10 * k);
    });
    map.createPane("ge-labels").style.zIndex = "450";
    map.createPane("ge-legs").style.zIndex = "395";
    var svg = {};
    function svgFor(pane) { return svg[pane] || (svg[pane] = L.svg({ pane: pane })); }
    var eventRenderer = data.canvas ? L.canvas({ padding: 0.5 }) : L.svg({ padding: 0.5 });
    hatchPattern(map.getContainer(), data.style.region.hatch || "#7a3f6a");
    var labels = new parts.LabelLayer();
    var state = { markers: 0, clusters: 0, stacks: 0, estimated: 0, regionsActive: 0, events: n, visible: 0 };
    window.geoeventsState = state;
    window.geoeventsLeafletMap = map;  // for tests and for readers who script the page

    /* ---- basemap and tiles ---- */
    var baseLayers = {};
    var overlays = {};
    var baseLabels = [];
    var started = performance.now();
    state.timing = {};
    if (data.basemap) {
      var drawn = parts.drawBasemap(map, data.basemap, data.style.basemap);
      var offline = L.layerGroup(drawn.land.concat(drawn.offline)).addTo(map);
      baseLabels = drawn.labels;
      baseLabels.forEach(function (item) { labels.add(item); });
      baseLayers["Offline basemap"] = offline;
      if (data.tiles) {
        var tiles = L.tileLayer(data.tiles.url, { maxZoom: 19, attribution: data.tiles.attribution });
        baseLayers["OpenStreetMap (online)"] = L.layerGroup(drawn.land.concat([tiles]));
      }
      map.on("baselayerchange", function (e) {
        var mine = e.layer === offline;
        baseLabels.forEach(function (item) { item.hidden = !mine; });
        state.basemap = mine ? "offline" : "tiles";
        labels.update();
      });
      state.basemap = "offline";
      map.attributionControl.addAttribution("Natural Earth · GeoNames");
    } else if (data.tiles) {
      var onlyTiles = L.tileLayer(data.tiles.url, { maxZoom: 19, attribution: data.tiles.attribution }).addTo(map);
      baseLayers[data.tiles.name] = onlyTiles;
      baseLayers["Plain background"] = L.layerGroup();
    }

    /* ---- title ---- */
    if (data.title || data.subtitle) {
      var box = el("div", "ge-title");
      if (data.title) box.appendChild(el("div", "ge-title-main", data.title));
      if (data.subtitle) box.appendChild(el("div", "ge-title-sub", data.subtitle));
      map.getContainer().appendChild(box);
      L.DomEvent.disableClickPropagation(box);
    }

    /* ---- time ---- */
    var time = data.time ? parts.timeControl(map, data.time) : null;
    function timeVisible(i) {
      if (!time) return true;
      var t0 = num("t0", i);
      if (t0 === null || t0 === undefined) return true;  // undated events are always shown
      if (t0 > time.day) return false;
      if (time.mode === "upto") return true;
      var t1 = t0 + (num("dt", i) || 0);
      return t1 >= time.day - time.window + 1;
    }

    /* ---- filters by kind and claimant ---- */
    var kindOn = {}, claimantOn = {}, kindCount = {}, claimantCount = {};
    for (var i0 = 0; i0 < n; i0++) {
      var k0 = kindOf(i0);
      kindCount[k0] = (kindCount[k0] || 0) + 1;
      var c0 = str("claimant", i0) || "(no claimant)";
      claimantCount[c0] = (claimantCount[c0] || 0) + 1;
    }
    Object.keys(kindCount).forEach(function (k) { kindOn[k] = true; });
    Object.keys(claimantCount).forEach(function (c) { claimantOn[c] = true; });
    function visible(i) {
      return kindOn[kindOf(i)] && claimantOn[str("claimant", i) || "(no claimant)"] && timeVisible(i);
    }

    /* popups pan into view clear of the title (top) and the panels at the sides */
    function popupOptions(width) {
      return { maxWidth: width, autoPanPaddingTopLeft: [60, 90], autoPanPaddingBottomRight: [60, 40] };
    }

    /* ---- event popup ---- */
    function eventPopup(i, extra) {
      var div = el("div", "ge-popup");
      var place = str("place", i);
      div.appendChild(el("div", "ge-popup-title", place || "(no place name)"));
      var region = [str("admin1_name", i), str("admin1_code", i), str("country_code", i)].filter(Boolean);
      if (region.length) row(div, "Region", region.join(", "));
      var geo = str("geo_precision", i);
      var radius = uncertaintyOf(i);
      if (radius) row(div, "Location", "estimated, within about " + number(radius) + " km of the point shown");
      else if (str("place_precision", i) === "estimated") row(div, "Location", "estimated");
      else if (geo === "admin1") row(div, "Location", "the region as a whole (no exact place)");
      else if (geo === "country") row(div, "Location", "the country as a whole (no exact place)");
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
    function openEvent(i, latlng, extra) {
      L.popup(popupOptions(360)).setLatLng(latlng).setContent(eventPopup(i, extra)).openOn(map);
    }

    /* ---- regions: named by events; hatched with a count where events are located only to them ---- */
    var regionViews = [];
    if (data.regions.length) {
      var regionLayer = L.layerGroup();
      data.regions.forEach(function (region, r) {
        if (!region.geometry) { regionViews.push(null); return; }
        var claimed = region.claims.length > 0;
        var shade = L.geoJSON(region.geometry, {
          pane: "ge-regions", renderer: svgFor("ge-regions"),
          style: {
            color: data.style.region.color, weight: region.level === "country" ? 0 : data.style.region.weight,
            fillColor: data.style.region.fillColor, fillOpacity: region.level === "country" ? 0 : claimed ? 0.22 : 0.08,
            className: "ge-region",
          },
        });
        var hatch = L.geoJSON(region.geometry, {
          pane: "ge-regions", renderer: svgFor("ge-regions"),
          style: { color: data.style.region.hatch, weight: 2, fillOpacity: 1, className: "ge-region-events" },
        });
        var view = { region: region, shade: shade, hatch: hatch, members: [], label: null };
        function popup(latlng) {
          L.popup(popupOptions(380)).setLatLng(latlng).setContent(regionPopup(view)).openOn(map);
        }
        shade.bindTooltip(function () { return el("span", null, region.name); }, { sticky: true });
        shade.on("click", function (e) { popup(e.latlng); });
        hatch.on("click", function (e) { popup(e.latlng); });
        if (region.label) {
          view.label = parts.labelItem({
            text: region.name, latlng: L.latLng(region.label[0], region.label[1]), kind: "region-events",
            className: "ge-label-events", priority: 1000 + Math.min(region.events, 999) / 1000,
            candidates: parts.centredCandidates,
            onClick: function () { popup(L.latLng(region.label[0], region.label[1])); },
          });
          view.label.node.setAttribute("role", "button");
          view.label.node.setAttribute("tabindex", "0");
          labels.add(view.label);
        }
        if (region.level !== "country") regionLayer.addLayer(shade);
        regionViews.push(view);
      });
      regionLayer.addTo(map);
      overlays["Regions named by events"] = regionLayer;
    }
    var hatchLayer = L.layerGroup().addTo(map);

    function regionPopup(view) {
      var region = view.region;
      var div = el("div", "ge-popup");
      div.appendChild(el("div", "ge-popup-title", region.name));
      row(div, region.level === "country" ? "Country" : "Region", region.code);
      row(div, "Events", String(region.events));
      if (view.members.length) {
        div.appendChild(el("div", "ge-label", view.members.length + (view.members.length === 1 ? " event" : " events") +
          " located only to this " + (region.level === "country" ? "country" : "region") +
          (time ? " on " + time.iso() : "") + " (click one for details):"));
        var list = el("ul", "ge-claims ge-member-list");
        view.members.forEach(function (i) {
          var item = el("li", "ge-member");
          var words = [str("date", i), kindOf(i), str("claim", i) || str("place", i), str("claimant", i)];
          item.textContent = words.filter(Boolean).join(" · ");
          item.addEventListener("click", function () {
            openEvent(i, L.latLng(region.label[0], region.label[1]), "Located to " + region.name + " as a whole.");
          });
          list.appendChild(item);
        });
        div.appendChild(list);
      }
      if (region.claims.length) {
        div.appendChild(el("div", "ge-label", "Control claims:"));
        var claims = el("ul", "ge-claims");
        region.claims.forEach(function (c) {
          var words = [c.date, c.kind, figureText(c.figure, c.unit, c.approximate), c.claimant ? "claimed by " + c.claimant : null, c.status];
          claims.appendChild(el("li", null, words.filter(Boolean).join(" · ")));
        });
        div.appendChild(claims);
      } else if (region.level !== "country") {
        div.appendChild(el("div", "ge-note", "No control claims about this region."));
      }
      return div;
    }

    var baseRegionLabels = {};
    baseLabels.forEach(function (item) { if (item.kind === "region") baseRegionLabels[item.node.textContent] = item; });

    /* ---- area claims (their captions are placed clear of markers by the label layer) ---- */
    var areaViews = [];
    if (data.areas.length) {
      var areaLayer = L.layerGroup();
      data.areas.forEach(function (area) {
        if (!area.geometry) return;
        var colour = colourOf(kindOf(area.event));
        var layer = L.geoJSON(area.geometry, {
          pane: "ge-areas", renderer: svgFor("ge-areas"),
          style: L.extend({}, data.style.area, { color: area.symbol ? data.style.area.color : colour, fillColor: colour, className: area.symbol ? "ge-area-symbol" : "ge-area" }),
        });
        var bounds = layer.getBounds();
        layer.bindPopup(function () { return eventPopup(area.event, area.label); }, popupOptions(360));
        var caption = parts.labelItem({
          text: area.label, latlng: L.latLng(bounds.getSouth(), bounds.getCenter().lng), kind: "area",
          className: "ge-area-label", priority: 900,
          candidates: function (w, h, m) {
            // below the shape, then above it, then inside, then beside it
            var top = m.latLngToLayerPoint([bounds.getNorth(), bounds.getCenter().lng]);
            var bottom = m.latLngToLayerPoint([bounds.getSouth(), bounds.getCenter().lng]);
            var height = bottom.y - top.y;
            var out = [];
            for (var k = 0; k < 4; k++) out.push([-w / 2, 4 + k * (h + 3)]);
            for (var j = 0; j < 4; j++) out.push([-w / 2, -height - h - 4 - j * (h + 3)]);
            out.push([-w / 2, -height / 2 - h / 2]);
            var right = m.latLngToLayerPoint([bounds.getCenter().lat, bounds.getEast()]).x - bottom.x;
            out.push([right + 6, -height / 2 - h / 2], [-right - w - 6, -height / 2 - h / 2]);
            return out;
          },
          onClick: function () { openEvent(area.event, bounds.getCenter(), area.label); },
        });
        labels.add(caption);
        areaViews.push({ area: area, layer: layer, caption: caption });
        areaLayer.addLayer(layer);
      });
      areaLayer.addTo(map);
      overlays["Area claims"] = areaLayer;
      map.on("overlayremove overlayadd", function (e) {
        if (e.layer !== areaLayer) return;
        areaViews.forEach(function (v) { v.caption.hidden = e.type === "overlayremove" || !visible(v.area.event); });
        labels.update();
      });
    }

    /* ---- control layers, shown for the date of the time control ---- */
    var meta = data.controlMeta || {};
    var controlDates = [];
    var controlCaption = el("div", "ge-slider-caption");
    var changeList = el("details", "ge-changes-list");
    var legendControl = el("span");
    var showControl = function () {};
    if (data.control.length) {
      var controlLayer = L.layerGroup().addTo(map);
      var gainedLayer = L.layerGroup().addTo(map);
      var lostLayer = L.layerGroup().addTo(map);
      // Leaflet writes layer-switcher names as HTML: only our own fixed words go there
      overlays["Control (date shown)"] = controlLayer;
      overlays["Gained since previous date"] = gainedLayer;
      overlays["Lost since previous date"] = lostLayer;
      data.control.forEach(function (c) { if (controlDates.indexOf(c.date) < 0) controlDates.push(c.date); });
      var shownDate = null;
      showControl = function (day) {
        // the latest snapshot on or before the day
        var date = null;
        controlDates.forEach(function (d) { if (d <= day) date = d; });
        if (date === shownDate) return;
        shownDate = date;
        state.controlDate = date;
        controlLayer.clearLayers(); gainedLayer.clearLayers(); lostLayer.clearLayers();
        while (changeList.firstChild) changeList.removeChild(changeList.firstChild);
        legendControl.textContent = date ? " (" + date + ")" : " (none yet)";
        if (!date) {
          controlCaption.textContent = "No control layer on or before " + day + " (first: " + controlDates[0] + ")";
          changeList.style.display = "none";
          return;
        }
        var words = [];
        var items = [];
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
              if (meta.name) row(div, "Layer", meta.name);
              if (meta.credit) row(div, "Credit", meta.credit);
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
          (c.parts || []).forEach(function (p) { items.push([c, p]); });
          if (c.more) items.push([c, null]);
        });
        controlCaption.textContent = date + ": " + words.join("; ");
        changeList.style.display = items.length ? "" : "none";
        if (items.length) {
          var since = data.control.filter(function (c) { return c.date === date; })[0].since;
          changeList.appendChild(el("summary", null, "Changes since " + since + " (click one to zoom to it)"));
          var list = el("ul");
          items.forEach(function (pair) {
            var c = pair[0], p = pair[1];
            if (!p) {
              list.appendChild(el("li", "ge-note", "… and " + c.more.count + " smaller parts (" + km2(c.more.km2) + ")"));
              return;
            }
            var item = el("li", "ge-change ge-change-" + (p.change === "gained" ? "gained" : "lost"));
            item.appendChild(swatch(p.change === "gained" ? data.style.gained.fillColor : data.style.lost.fillColor, "square"));
            item.appendChild(el("span", null, c.controller + " " + p.change + " " + km2(p.km2) + (p.region ? " · " + p.region : "")));
            item.setAttribute("role", "button");
            item.tabIndex = 0;
            item.addEventListener("click", function () {
              map.fitBounds(p.bounds, { maxZoom: 13, padding: [60, 60], animate: false });
              var flash = L.rectangle(p.bounds, { pane: "ge-changes", renderer: svgFor("ge-changes"), color: "#111", weight: 2, dashArray: "4 3", fill: false, className: "ge-change-flash" }).addTo(map);
              setTimeout(function () { map.removeLayer(flash); }, 2500);
            });
            list.appendChild(item);
          });
          changeList.appendChild(list);
        }
      };
    }

    /* ---- events ---- */
    // Web-Mercator coordinates in [0, 1], computed once; pixels = these × 256·2^zoom.
    var mx = new Float64Array(n), my = new Float64Array(n);
    for (var j = 0; j < n; j++) {
      var s = Math.sin(E.lat[j] * Math.PI / 180);
      s = Math.max(Math.min(s, 0.9999), -0.9999);
      mx[j] = (E.lon[j] + 180) / 360;
      my[j] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }

    var uncertaintyLayer = L.layerGroup().addTo(map);
    var eventLayer = L.layerGroup().addTo(map);
    var expanded = null; // the key of the stack shown spread out (spiderfied)
    var obstacles = [];  // [latlng, radius px] of everything drawn for events: labels keep clear of them

    function eventMarker(i, latlng, radius) {
      var st = statusStyles[str("status", i)] || statusStyles.reported;
      var colour = colourOf(kindOf(i));
      var marker = L.circleMarker(latlng, {
        renderer: eventRenderer, radius: radius || 7, weight: 1.5, color: "#222", fillColor: colour,
        fillOpacity: st.fillOpacity, dashArray: st.dashArray,
        className: "ge-event" + (radius ? " ge-estimated" : ""),
      });
      // a free-standing popup survives the redraw that its own auto-pan triggers
      marker.on("click", function () { openEvent(i, latlng); });
      marker.bindTooltip(function () { return el("span", null, (str("place", i) || "") + " · " + kindOf(i)); });
      obstacles.push([latlng, (radius || 7) + 2]);
      return marker;
    }

    function pointEvent(i, latlng, markers) {
      var radius = uncertaintyOf(i);
      if (radius) {
        // an estimated place: a circle of its uncertainty (metres on the ground) and a centre dot
        var colour = colourOf(kindOf(i));
        uncertaintyLayer.addLayer(L.circle(L.latLng(E.lat[i], E.lon[i]), {
          radius: radius * 1000, pane: "ge-uncertainty", renderer: svgFor("ge-uncertainty"), color: colour,
          weight: 1.4, dashArray: "5 4", fillColor: colour, fillOpacity: 0.1, interactive: false,
          className: "ge-uncertainty",
        }));
        markers.push(eventMarker(i, latlng, 4));
        state.estimated++;
        return;
      }
      markers.push(eventMarker(i, latlng));
    }

    function stackMarker(members, latlng, key) {
      var label = el("span", null, String(members.length));
      var marker = L.marker(latlng, {
        icon: L.divIcon({ html: label, className: "ge-stack", iconSize: [28, 28] }),
        keyboard: true, title: members.length + " events at this place: click to show each",
      });
      marker.on("click", function () { expanded = key; draw(); });
      obstacles.push([latlng, 16]);
      return marker;
    }

    function spiderfy(members, centre, zoom, markers) {
      var c = map.project(centre, zoom);
      var count = members.length;
      var ring = Math.max(26, 20 * count / (2 * Math.PI));
      markers.push(L.circleMarker(centre, { renderer: eventRenderer, radius: 3, color: "#222", weight: 1, fillColor: "#222", fillOpacity: 1, className: "ge-stack-centre", interactive: false }));
      members.forEach(function (m, idx) {
        var angle, r;
        if (count <= 12) { angle = 2 * Math.PI * idx / count - Math.PI / 2; r = ring; }
        else { angle = idx * 2.39996; r = 22 + 9 * Math.sqrt(idx); } // a spiral for big stacks
        var latlng = map.unproject([c.x + r * Math.cos(angle), c.y + r * Math.sin(angle)], zoom);
        markers.push(L.polyline([centre, latlng], { pane: "ge-legs", renderer: svgFor("ge-legs"), color: "#333", weight: 1, opacity: 0.7, interactive: false, className: "ge-leg" }));
        pointEvent(m, latlng, markers);
      });
    }

    function clusterMarker(cell) {
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
      obstacles.push([latlng, size / 2 + 2]);
      return marker;
    }

    function draw() {
      eventLayer.clearLayers();
      uncertaintyLayer.clearLayers();
      obstacles = [];
      state.estimated = 0;
      var zoom = map.getZoom();
      var scale = 256 * Math.pow(2, zoom);
      var view = map.getPixelBounds();
      var pad = 0.5 * Math.max(view.max.x - view.min.x, view.max.y - view.min.y);
      var x0 = view.min.x - pad, x1 = view.max.x + pad, y0 = view.min.y - pad, y1 = view.max.y + pad;
      var markers = [];
      var clusters = 0, stacks = 0, shown = 0;
      regionViews.forEach(function (v) { if (v) v.members = []; });
      var points = [];
      for (var i = 0; i < n; i++) {
        if (!visible(i)) continue;
        shown++;
        var r = regionOf(i);
        if (r >= 0 && regionViews[r]) { regionViews[r].members.push(i); continue; }
        var px = mx[i] * scale, py = my[i] * scale;
        if (px < x0 || px > x1 || py < y0 || py > y1) continue;
        points.push(i);
      }
      if (data.cluster && zoom < data.clusterMaxZoom) {
        var cellSize = 60;
        var cells = new Map();
        points.forEach(function (i) {
          var px = mx[i] * scale, py = my[i] * scale;
          var key = Math.floor(px / cellSize) * 1e7 + Math.floor(py / cellSize);
          var cell = cells.get(key);
          if (!cell) cells.set(key, { count: 1, x: px, y: py, first: i, minx: px, maxx: px, miny: py, maxy: py });
          else {
            cell.count++; cell.x += px; cell.y += py;
            if (px < cell.minx) cell.minx = px; if (px > cell.maxx) cell.maxx = px;
            if (py < cell.miny) cell.miny = py; if (py > cell.maxy) cell.maxy = py;
          }
        });
        cells.forEach(function (cell) {
          if (cell.count === 1) pointEvent(cell.first, map.unproject([cell.x, cell.y], zoom), markers);
          else { markers.push(clusterMarker(cell)); clusters++; }
        });
      } else {
        // events at the very same spot become one marker with a count; a click spreads them out
        var spots = new Map();
        points.forEach(function (i) {
          var key = mx[i] + "," + my[i];
          if (!spots.has(key)) spots.set(key, []);
          spots.get(key).push(i);
        });
        spots.forEach(function (members, key) {
          var latlng = L.latLng(E.lat[members[0]], E.lon[members[0]]);
          if (members.length === 1) pointEvent(members[0], latlng, markers);
          else if (key === expanded) spiderfy(members, latlng, zoom, markers);
          else { markers.push(stackMarker(members, latlng, key)); stacks++; }
        });
        if (expanded && !spots.has(expanded)) expanded = null;
      }
      markers.forEach(function (m) { eventLayer.addLayer(m); });

      /* regions with events located only to them: hatched, with one label saying how many */
      hatchLayer.clearLayers();
      var active = 0;
      regionViews.forEach(function (v) {
        if (!v) return;
        var count = v.members.length;
        if (count) { hatchLayer.addLayer(v.hatch); active++; }
        if (v.label) {
          var text = v.region.name + " · " + count + (count === 1 ? " event" : " events");
          if (v.label.node.textContent !== text) { v.label.node.textContent = text; labels.changed(v.label); }
          v.label.hidden = count === 0;
        }
        var plain = baseRegionLabels[v.region.name];
        if (plain) plain.suppressed = count > 0;  // the count label names the region already
      });
      areaViews.forEach(function (v) {
        var on = visible(v.area.event);
        var layer = v.layer;
        if (on && !map.hasLayer(layer) && map.hasLayer(areaLayer)) areaLayer.addLayer(layer);
        if (!on) areaLayer.removeLayer(layer);
        v.caption.hidden = !on || !map.hasLayer(areaLayer);
      });
      state.markers = markers.filter(function (m) { return m.options && /ge-event/.test(m.options.className || ""); }).length;
      state.clusters = clusters;
      state.stacks = stacks;
      state.expanded = expanded;
      state.regionsActive = active;
      state.visible = shown;
      state.drawnAtZoom = zoom;
      if (time) { state.day = time.iso(); state.mode = time.mode; state.window = time.window; }
      labels.update();
      state.labels = labels.stats;
    }

    labels.setObstacles(function () {
      return obstacles.map(function (o) {
        var p = map.latLngToLayerPoint(o[0]);
        return [p.x - o[1], p.y - o[1], p.x + o[1], p.y + o[1]];
      });
    });

    /* ---- filters (a layer control of our own: DOM text only) ---- */
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
      div.open = false;  // a reader opens it; closed, it leaves the map in view
      div.appendChild(el("summary", "ge-box-title", "Events by kind and claimant"));
      div.appendChild(filterSection("Kind", kindCount, kindOn, colourOf));
      div.appendChild(filterSection("Claimant", claimantCount, claimantOn, null));
      return div;
    }).addTo(map);

    if (Object.keys(overlays).length || Object.keys(baseLayers).length) {
      // collapsed to its button: the map, not the switcher, is what a reader sees first
      L.control.layers(baseLayers, overlays, { collapsed: true, position: "topleft" }).addTo(map);
    }

    /* ---- legend ---- */
    control("bottomright", function () {
      var div = el("details", "ge-box ge-legend");
      // open on a large screen; folded on a small one, where it would hide a third of the map
      div.open = map.getSize().x >= 1000 && map.getSize().y >= 700;
      div.appendChild(el("summary", "ge-box-title", "Legend"));
      var anyPoints = false, anyStacks = false, anyEstimated = false, anyRegionLevel = false;
      var spotsSeen = {};
      for (var i = 0; i < n; i++) {
        if (regionOf(i) >= 0) { anyRegionLevel = true; continue; }
        anyPoints = true;
        if (uncertaintyOf(i)) anyEstimated = true;
        var key = E.lat[i] + "," + E.lon[i];
        if (spotsSeen[key]) anyStacks = true;
        spotsSeen[key] = true;
      }
      var kinds = el("div", "ge-legend-kinds");
      data.style.order.concat(Object.keys(kindCount)).forEach(function (kind, idx, all) {
        if (!kindCount[kind] || all.indexOf(kind) !== idx) return;
        var line = el("div", "ge-legend-row");
        line.appendChild(swatch(colourOf(kind), "dot"));
        line.appendChild(el("span", null, kind));
        kinds.appendChild(line);
      });
      div.appendChild(kinds);
      if (anyPoints) div.appendChild(el("div", "ge-note", "Outline: solid reported or confirmed, dashed claimed, dotted disputed."));
      function symbol(className, text) {
        var line = el("div", "ge-legend-row");
        line.appendChild(el("span", "ge-swatch " + className));
        if (typeof text === "string") line.appendChild(el("span", null, text));
        else line.appendChild(text);
        div.appendChild(line);
        return line;
      }
      if (anyStacks) symbol("ge-legend-stack", "Several events at one place (click to show each)");
      if (anyEstimated) symbol("ge-legend-estimated", "Estimated place: the circle shows how far off it may be");
      if (anyRegionLevel) symbol("ge-legend-hatch", "Events located only to a region (label: how many)");
      if (data.cluster) div.appendChild(el("div", "ge-note", "Numbered circles group nearby events; click to zoom in."));
      function entry(style, text) {
        var line = el("div", "ge-legend-row");
        var s = swatch(style.fillColor || "transparent", "square");
        s.style.border = "2px " + (style.dashArray ? "dashed " : "solid ") + style.color;
        line.appendChild(s);
        if (typeof text === "string") line.appendChild(el("span", null, text));
        else line.appendChild(text);
        div.appendChild(line);
        return line;
      }
      if (data.regions.some(function (r) { return r.level !== "country"; })) entry(data.style.region, "Region named by events (darker: has control claims)");
      if (data.areas.some(function (a) { return a.symbol; })) entry(L.extend({}, data.style.area, { fillColor: "transparent" }), "Claimed area: equal-area circle, not a frontline");
      if (data.control.length) {
        var held = el("span", "ge-legend-control");
        held.appendChild(el("span", null, "Area held" + (meta.name ? " — " + meta.name : " (control layer)")));
        held.appendChild(legendControl);
        entry(data.style.control, held);
        if (meta.credit || meta.source) {
          div.appendChild(el("div", "ge-note ge-legend-credit", [meta.source ? "Source: " + meta.source : null, meta.credit].filter(Boolean).join(" · ")));
        }
        entry(data.style.gained, "Gained since previous date");
        entry(data.style.lost, "Lost since previous date");
      }
      if (data.basemap) {
        symbol("ge-legend-border", "International border");
        symbol("ge-legend-admin1", "Region (admin-1) border");
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
        if (src.layer) item.appendChild(el("span", null, " — " + src.layer));
        if (src.credit) item.appendChild(el("span", "ge-note", " — " + src.credit));
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

    /* ---- the time box: date, play, mode, control caption and the list of changes ---- */
    if (time || data.control.length) {
      control("bottomleft", function () {
        var div = time ? time.element : el("div", "ge-box ge-time");
        if (data.control.length) {
          div.appendChild(el("div", "ge-box-title ge-time-control", "Control: " + (meta.name || "area held")));
          div.appendChild(controlCaption);
          div.appendChild(changeList);
        }
        return div;
      }).addTo(map);
    }
    if (time) {
      time.onChange(function () { showControl(time.iso()); draw(); });
      showControl(time.iso());
    } else if (data.control.length) {
      showControl(controlDates[controlDates.length - 1]);
    }

    /* ---- initial view ---- */
    // keep the data clear of the title (top) and the panels (left, right, bottom)
    var size = map.getSize();
    var wide = size.x > 900;
    if (data.bounds) map.fitBounds(data.bounds, {
      paddingTopLeft: wide ? [250, 80] : [20, 60], paddingBottomRight: wide ? [300, 60] : [20, 20],
      maxZoom: 11, animate: false,
    });
    map.setMinZoom(3);
    state.timing.setup = performance.now() - started;
    labels.addTo(map);
    state.timing.labels = performance.now() - started - state.timing.setup;
    map.on("moveend", draw);
    map.on("click", function () { if (expanded) { expanded = null; draw(); } });
    map.on("zoomstart", function () { expanded = null; });
    var before = performance.now();
    draw();
    state.timing.draw = performance.now() - before;
    window.geoeventsReady = true;
  };
})();
