// The public status page: the last 24 hours of a crossing point's queue, from the public API.
(function () {
  var chart = null, select = document.getElementById("chart-point");
  // The chart's words in the reader's language, rendered by the server into a JSON block (not a script).
  var words = JSON.parse(document.getElementById("chart-words").textContent), locale = document.documentElement.lang;
  function draw() {
    fetch("/api/v1/public/queues/" + encodeURIComponent(select.value) + "/history").then(function (r) {
      return r.json();
    }).then(function (rows) {
      var labels = rows.map(function (r) { return new Date(r.at).toLocaleTimeString(locale, {hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh"}) + " " + r.direction; });
      var data = {labels: labels, datasets: [
        {label: words.waiting, data: rows.map(function (r) { return r.waiting; }), borderColor: "#1f5fbf"},
        {label: words.wait, data: rows.map(function (r) { return r.expected_wait_minutes; }), borderColor: "#b58100"}]};
      if (chart) { chart.data = data; chart.update(); }
      else { chart = new Chart(document.getElementById("history"), {type: "line", data: data, options: {animation: false}}); }
      document.getElementById("history").dataset.points = String(rows.length);
    });
  }
  select.addEventListener("change", draw);
  document.addEventListener("bordergate:updated", draw);
  draw();
})();
