// The public status page: the last 24 hours of a crossing point's queue as two small plots (trucks waiting, expected
// wait), one line per direction, drawn as SVG here: a chart library would be 40 times the page on a phone's 3G.
(function () {
  var NS = "http://www.w3.org/2000/svg", W = 320, H = 150, LEFT = 34, RIGHT = 10, TOP = 10, BOTTOM = 22;
  // History moves slowly: a live update asks for it again only when the last answer is this old.
  var REFRESH_MS = 5 * 60 * 1000;
  var figure = document.getElementById("history"), select = document.getElementById("chart-point");
  // The chart's words in the reader's language, rendered by the server into a JSON block (not a script).
  var words = JSON.parse(document.getElementById("chart-words").textContent), locale = document.documentElement.lang;
  var colours = ["#1f5fbf", "#b3261e", "#2e7d32", "#6a1b9a"], fetchedAt = 0;
  function node(name, attributes, text) {
    var made = document.createElementNS(NS, name);
    Object.keys(attributes).forEach(function (key) { made.setAttribute(key, attributes[key]); });
    if (text !== undefined) { made.textContent = text; }
    return made;
  }
  function time(at) {
    return new Date(at).toLocaleTimeString(locale, {hour: "2-digit", minute: "2-digit", hour12: false,
                                                    timeZone: "Asia/Ho_Chi_Minh"});
  }
  function ceiling(value) {  // a round top whose half is a whole number too: 2, 4, 6, 10, 20, 40, 60, 100...
    var top = Math.max(2, value), step = Math.pow(10, Math.floor(Math.log(top / 2) / Math.LN10));
    return [2, 4, 6, 10, 20].map(function (k) { return k * step; }).filter(function (v) { return v >= top; })[0];
  }
  // One plot of one figure: a line per direction on the same time axis; a gap in one direction is bridged, never
  // drawn as zero.
  function plot(history, figureKey, title, first, last) {
    var values = [];
    history.series.forEach(function (s) {
      s.points.forEach(function (p) { if (p[figureKey] !== null) { values.push(p[figureKey]); } });
    });
    var top = ceiling(Math.max.apply(null, values.concat([0]))), span = Math.max(1, last - first);
    var x = function (at) { return LEFT + (W - LEFT - RIGHT) * (Date.parse(at) - first) / span; };
    var y = function (v) { return TOP + (H - TOP - BOTTOM) * (1 - v / top); };
    var svg = node("svg", {viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-label": title,
                           "data-figure": figureKey});
    [0, top / 2, top].forEach(function (v) {
      svg.appendChild(node("line", {x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), stroke: "#ddd"}));
      svg.appendChild(node("text", {x: LEFT - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#444"},
                           String(v)));
    });
    [[first, "start"], [last, "end"]].forEach(function (tick) {
      svg.appendChild(node("text", {x: tick[1] === "start" ? LEFT : W - RIGHT, y: H - 6, "text-anchor": tick[1],
                                    "font-size": 11, fill: "#444"}, time(tick[0])));
    });
    history.series.forEach(function (s, i) {
      var points = s.points.filter(function (p) { return p[figureKey] !== null; }).map(function (p) {
        return x(p.at).toFixed(1) + "," + y(p[figureKey]).toFixed(1);
      });
      var colour = colours[i % colours.length];
      if (points.length === 1) {  // a single figure is a dot, not an invisible line
        var xy = points[0].split(",");
        svg.appendChild(node("circle", {cx: xy[0], cy: xy[1], r: 4, fill: colour}));
        points.push(points[0]);
      }
      var line = node("polyline", {points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2,
                                   "stroke-linecap": "round", "stroke-linejoin": "round",
                                   "data-direction": s.direction.code});
      line.appendChild(node("title", {}, s.direction.label + " · " + title));
      svg.appendChild(line);
    });
    return svg;
  }
  function legend(history) {
    var list = document.createElement("ul");
    list.className = "legend";
    history.series.forEach(function (s, i) {
      var item = document.createElement("li"), swatch = node("svg", {width: 18, height: 10, "aria-hidden": "true"});
      swatch.appendChild(node("line", {x1: 0, x2: 18, y1: 5, y2: 5, stroke: colours[i % colours.length],
                                       "stroke-width": 3}));
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + s.direction.label));
      list.appendChild(item);
    });
    return list;
  }
  function draw(history) {
    var moments = [];
    history.series.forEach(function (s) { s.points.forEach(function (p) { moments.push(Date.parse(p.at)); }); });
    var first = Math.min.apply(null, moments), last = Math.max.apply(null, moments), parts = [legend(history)];
    [["waiting", words.waiting], ["expected_wait_minutes", words.wait]].forEach(function (figureAndTitle) {
      var caption = document.createElement("h3");
      caption.textContent = figureAndTitle[1];
      parts.push(caption);
      parts.push(moments.length ? plot(history, figureAndTitle[0], figureAndTitle[1], first, last)
                                : document.createTextNode(words.none));
    });
    figure.replaceChildren.apply(figure, parts);
    figure.dataset.points = String(moments.length);
    var series = [];
    [words.waiting, words.wait].forEach(function (word) {
      history.series.forEach(function (s) { series.push(s.direction.label + " · " + word); });
    });
    figure.dataset.series = JSON.stringify(series);
  }
  function load() {
    var asked = fetchedAt = Date.now();
    var url = "/api/v1/public/queues/" + encodeURIComponent(select.value) + "/history?lang=" +
              encodeURIComponent(locale) + "&step_minutes=" + encodeURIComponent(figure.dataset.step);
    // Only the latest question is drawn: a slow answer for the point chosen before must not replace it.
    // A refused or cut answer (the page left meanwhile, the server restarting) leaves the last chart standing.
    fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (h) {
      if (h && Array.isArray(h.series) && asked === fetchedAt) { draw(h); }
    }).catch(function () {});
  }
  select.addEventListener("change", load);
  document.addEventListener("bordergate:updated", function () {
    if (Date.now() - fetchedAt >= REFRESH_MS) { load(); }
  });
  // The first crossing point's history came with the page; another is asked for when chosen.
  var given = JSON.parse(document.getElementById("chart-history").textContent);
  if (given) { fetchedAt = Date.now(); draw(given); } else if (select.value) { load(); }
})();
