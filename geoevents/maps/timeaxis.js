/* geoevents time control: one date for events and control layers, a mode ("events up to
 * this date" or "events in a window ending on it"), play/pause, and the date kept in the
 * URL fragment (#date=2024-08-15, or #date=2024-08-15&window=30) so a link opens the map
 * at that date. Changing the date rewrites the fragment without reloading the page. */
(function () {
  "use strict";
  var parts = window.geoeventsParts = window.geoeventsParts || {};
  var DAY = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  function parseDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ""));
    if (!m) return null;
    var t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    var d = new Date(t);
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? t : null;
  }
  function isoDay(t) { return new Date(t).toISOString().slice(0, 10); }
  function longDay(t) {
    var d = new Date(t);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  /* #date=YYYY-MM-DD[&window=N] -> {date, window} (unknown keys are ignored) */
  parts.readFragment = function (hash) {
    var out = {};
    String(hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv[0] === "date") out.date = decodeURIComponent(kv[1] || "");
      if (kv[0] === "window") out.window = parseInt(kv[1], 10);
    });
    return out;
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* time: {start, end, open, step, windows, window} from the page data.
   * Returns the control: .day (offset from start), .mode, .window, .iso(), .onChange(fn),
   * .element (the box, for the caller to add captions to), .set(offset). */
  parts.timeControl = function (map, time) {
    var start = parseDay(time.start), end = parseDay(time.end);
    var last = Math.round((end - start) / DAY);
    var ctl = { day: Math.round((parseDay(time.open) - start) / DAY), mode: "upto", window: time.window,
      playing: null, listeners: [] };
    ctl.iso = function (offset) { return isoDay(start + DAY * (offset === undefined ? ctl.day : offset)); };
    ctl.offset = function (iso) { var t = parseDay(iso); return t === null ? null : Math.round((t - start) / DAY); };
    ctl.onChange = function (fn) { ctl.listeners.push(fn); };

    var box = el("div", "ge-box ge-time");
    box.appendChild(el("div", "ge-box-title", "Date shown"));
    var shown = el("div", "ge-time-date");
    box.appendChild(shown);
    var row = el("div", "ge-time-row");
    var play = el("button", "ge-play", "▶");
    play.type = "button";
    play.setAttribute("aria-label", "Play through the dates");
    var input = el("input");
    input.type = "range"; input.min = "0"; input.max = String(last); input.step = "1";
    input.setAttribute("aria-label", "Date shown on the map");
    row.appendChild(play); row.appendChild(input);
    box.appendChild(row);
    var ends = el("div", "ge-time-ends");
    ends.appendChild(el("span", null, time.start));
    ends.appendChild(el("span", null, time.end));
    box.appendChild(ends);

    var modes = el("div", "ge-time-modes");
    function radio(value, text) {
      var label = el("label", "ge-time-mode");
      var r = el("input");
      r.type = "radio"; r.name = "ge-time-mode"; r.value = value;
      r.addEventListener("change", function () { if (r.checked) { ctl.mode = value; changed(true); } });
      label.appendChild(r);
      label.appendChild(el("span", null, text));
      modes.appendChild(label);
      return r;
    }
    var upto = radio("upto", "Events up to this date");
    var windowed = radio("window", "Events in the ");
    var select = el("select", "ge-time-window");
    select.setAttribute("aria-label", "Window length");
    time.windows.forEach(function (days) {
      var option = el("option", null, days === 1 ? "day" : days + " days");
      option.value = String(days);
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      ctl.window = Number(select.value); ctl.mode = "window"; windowed.checked = true; changed(true);
    });
    windowed.parentNode.appendChild(select);
    windowed.parentNode.appendChild(el("span", null, " up to it"));
    box.appendChild(modes);
    ctl.element = box;

    function sync() {
      input.value = String(ctl.day);
      shown.textContent = longDay(start + DAY * ctl.day);
      upto.checked = ctl.mode === "upto";
      windowed.checked = ctl.mode === "window";
      select.value = String(ctl.window);
    }
    function writeFragment() {
      var hash = "#date=" + ctl.iso() + (ctl.mode === "window" ? "&window=" + ctl.window : "");
      if (location.hash === hash) return;
      try { history.replaceState(null, "", hash); } catch (e) { location.replace(hash); }
    }
    function changed(byUser) {
      sync();
      if (byUser) writeFragment();
      ctl.listeners.forEach(function (fn) { fn(ctl); });
    }
    ctl.set = function (offset, byUser) {
      ctl.day = Math.max(0, Math.min(last, offset));
      changed(byUser);
    };
    function fromFragment() {
      var wanted = parts.readFragment(location.hash);
      var offset = wanted.date ? ctl.offset(wanted.date) : null;
      if (offset === null && !wanted.window) return false;
      if (wanted.window > 0) {
        ctl.mode = "window";
        ctl.window = wanted.window;
        if (time.windows.indexOf(wanted.window) < 0) {
          var option = el("option", null, wanted.window + " days");
          option.value = String(wanted.window);
          select.appendChild(option);
        }
      } else {
        ctl.mode = "upto";
      }
      if (offset !== null) ctl.day = Math.max(0, Math.min(last, offset));
      return true;
    }

    input.addEventListener("input", function () { stop(); ctl.set(Number(input.value), true); });
    function stop() {
      if (ctl.playing) { clearInterval(ctl.playing); ctl.playing = null; }
      play.textContent = "▶";
      play.setAttribute("aria-label", "Play through the dates");
    }
    play.addEventListener("click", function () {
      if (ctl.playing) { stop(); return; }
      if (ctl.day >= last) ctl.set(0, true);
      play.textContent = "❚❚";
      play.setAttribute("aria-label", "Pause");
      ctl.playing = setInterval(function () {
        if (ctl.day >= last) { stop(); return; }
        ctl.set(ctl.day + time.step, true);
      }, 450);
    });
    window.addEventListener("hashchange", function () { if (fromFragment()) changed(false); });
    fromFragment();
    sync();
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return ctl;
  };
})();
