// The public status page: the last 24 hours of a crossing point's queue, one line per direction and figure.
(function () {
  var chart = null, select = document.getElementById("chart-point");
  // The chart's words in the reader's language, rendered by the server into a JSON block (not a script).
  var words = JSON.parse(document.getElementById("chart-words").textContent), locale = document.documentElement.lang;
  var colours = ["#1f5fbf", "#b3261e", "#2e7d32", "#6a1b9a"];
  function time(at) {
    return new Date(at).toLocaleTimeString(locale, {hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh"});
  }
  // Inbound and outbound are separate queues: each gets its own lines, the expected wait dashed, on one time axis
  // (the moments either direction was published; a gap in one direction is bridged, not drawn as zero).
  function chartData(history) {
    var moments = [];
    history.series.forEach(function (s) { s.points.forEach(function (p) { moments.push(p.at); }); });
    moments = moments.filter(function (at, i) { return moments.indexOf(at) === i; }).sort();
    var datasets = [];
    history.series.forEach(function (s, i) {
      var byMoment = {};
      s.points.forEach(function (p) { byMoment[p.at] = p; });
      function line(figure, word, dashed) {
        return {label: s.direction.label + " · " + word, direction: s.direction.code, spanGaps: true,
                borderColor: colours[i % colours.length], borderDash: dashed ? [6, 4] : [],
                data: moments.map(function (at) { return byMoment[at] ? byMoment[at][figure] : null; })};
      }
      datasets.push(line("waiting", words.waiting, false), line("expected_wait_minutes", words.wait, true));
    });
    return {labels: moments.map(time), datasets: datasets};
  }
  function draw() {
    var url = "/api/v1/public/queues/" + encodeURIComponent(select.value) + "/history?lang=" + encodeURIComponent(locale);
    fetch(url).then(function (r) {
      return r.json();
    }).then(function (history) {
      var data = chartData(history), canvas = document.getElementById("history");
      if (chart) { chart.data = data; chart.update(); }
      else { chart = new Chart(canvas, {type: "line", data: data, options: {animation: false}}); }
      canvas.dataset.points = String(history.series.reduce(function (n, s) { return n + s.points.length; }, 0));
      canvas.dataset.series = JSON.stringify(data.datasets.map(function (d) { return d.label; }));
    });
  }
  select.addEventListener("change", draw);
  document.addEventListener("bordergate:updated", draw);
  draw();
})();
