// The driver's countdown to the call-forward deadline: "19 min 53 s" on screen, the minutes alone said aloud.
(function () {
  function fill(format, minutes, seconds) {
    return format.replace("%(minutes)s", String(minutes)).replace("%(seconds)s", String(seconds));
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (clock) {
      // Counted from the server's clock when it rendered (data-now), so a phone's wrong clock cannot mislead.
      if (!clock.dataset.seenAt) { clock.dataset.seenAt = String(Date.now()); }
      var now = Date.parse(clock.dataset.now) + (Date.now() - Number(clock.dataset.seenAt));
      var left = Math.max(0, Math.floor((Date.parse(clock.dataset.countdown) - now) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      clock.textContent = fill(clock.dataset.format, minutes, seconds);
      // Said aloud only when the minute changes: a live region that changes every second is never quiet.
      var said = clock.parentNode.querySelector("[data-countdown-said]");
      if (said && said.dataset.minutes !== String(minutes)) {
        said.dataset.minutes = String(minutes);
        said.textContent = fill(said.dataset.countdownSaid, minutes, seconds);
      }
    });
  }
  tick();
  setInterval(tick, 1000);
})();
