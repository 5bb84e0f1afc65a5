// The operators' board: countdowns on the server's clock and the day's chart, redrawn on each live update.
(function () {
  // Countdowns run from the server's clock at load (a control-room PC's own clock may be off).
  var offset = Date.parse(document.getElementById("board").dataset.now) - Date.now();
  // The chart's words in the reader's language, rendered by the server into a JSON block (not a script).
  var words = JSON.parse(document.getElementById("board-words").textContent);
  var chart = null;
  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (clock) {
      var left = Math.floor((Date.parse(clock.dataset.due) - (Date.now() + offset)) / 1000), shown = Math.max(0, left);
      clock.textContent = Math.floor(shown / 60) + ":" + (shown % 60 < 10 ? "0" : "") + (shown % 60);
      clock.classList.toggle("late", left < 120);
    });
  }
  function draw() {
    var day = JSON.parse(document.getElementById("board-day").textContent);
    var data = {labels: day.hours, datasets: [
      {type: "bar", label: words.crossed, data: day.crossed, backgroundColor: "#3d8bfd", yAxisID: "y"},
      {type: "line", label: words.capacity, data: day.capacity, borderColor: "#8fa3bb", borderDash: [6, 4],
       stepped: "middle", pointRadius: 0, yAxisID: "y"},
      {type: "line", label: words.waited, data: day.waited, borderColor: "#f0b400", backgroundColor: "#f0b400",
       spanGaps: true, yAxisID: "y1"},
      {type: "line", label: words.expected, data: day.expected, borderColor: "#e57373", backgroundColor: "#e57373",
       borderDash: [2, 3], spanGaps: true, pointRadius: 2, yAxisID: "y1"}]};
    var canvas = document.getElementById("day-chart");
    canvas.dataset.crossed = String(day.crossed.reduce(function (a, b) { return a + b; }, 0));
    if (chart) { chart.data = data; chart.update("none"); return; }
    Chart.defaults.color = "#b9c8d8";
    Chart.defaults.borderColor = "rgba(255, 255, 255, .08)";
    chart = new Chart(canvas, {data: data, options: {animation: false, maintainAspectRatio: false,
      interaction: {mode: "index", intersect: false},
      scales: {y: {beginAtZero: true, title: {display: true, text: words.trucks}, ticks: {precision: 0}},
               y1: {beginAtZero: true, position: "right", grid: {drawOnChartArea: false},
                    title: {display: true, text: words.minutes}}}}});
  }
  document.addEventListener("bordergate:updated", function () { tick(); draw(); });
  setInterval(tick, 1000);
  tick();
  draw();
})();
