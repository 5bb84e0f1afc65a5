// Live screens: the server pushes the re-rendered part of a page over Server-Sent Events; countdowns tick here.
(function () {
  function follow(element) {
    var source = new EventSource(element.dataset.live);
    source.addEventListener("update", function (event) {
      element.innerHTML = event.data;
      element.dataset.updated = String(Date.now());
      tick();
      document.dispatchEvent(new CustomEvent("bordergate:updated", { detail: element }));
    });
  }
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (clock) {
      // Counted from the server's clock when it rendered (data-now), so a phone's wrong clock cannot mislead.
      if (!clock.dataset.seenAt) { clock.dataset.seenAt = String(Date.now()); }
      var now = Date.parse(clock.dataset.now) + (Date.now() - Number(clock.dataset.seenAt));
      var left = Math.max(0, Math.floor((Date.parse(clock.dataset.deadline) - now) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    });
  }
  document.querySelectorAll("[data-live]").forEach(follow);
  tick();
  setInterval(tick, 1000);
})();
