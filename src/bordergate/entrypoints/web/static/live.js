// Live screens: the server pushes the re-rendered part of a page over Server-Sent Events; countdowns tick here; the
// page says how old its figures are, and says so plainly when the server can no longer be heard.
(function () {
  // The server says it is alive at least every 15 s (pages.KEEP_ALIVE_SECONDS): three silences mean it is gone.
  var QUIET_LIMIT_MS = 45 * 1000;
  var heardAt = Date.now(), offline = false;
  function clockTime(at) {
    return new Date(at).toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit",
                                           hour12: false, timeZone: "Asia/Ho_Chi_Minh"});
  }
  // "Live, updated 14:02" or "Offline: figures from 14:02", in the reader's language (the words come with the page).
  function sayFreshness() {
    document.querySelectorAll("[data-freshness]").forEach(function (said) {
      var words = offline ? said.dataset.offlineText : said.dataset.liveText;
      said.textContent = words.replace("{time}", clockTime(said.dataset.at));
      said.dataset.state = offline ? "offline" : "live";
      said.classList.toggle("offline", offline);
    });
  }
  function heard(at) {
    heardAt = Date.now();
    offline = false;
    if (at) { document.querySelectorAll("[data-freshness]").forEach(function (said) { said.dataset.at = at; }); }
    sayFreshness();
  }
  function gone() {
    if (!offline) { offline = true; sayFreshness(); }
  }
  function follow(element) {
    // EventSource tries again by itself every few seconds; the first push after it is back says live again.
    var source = new EventSource(element.dataset.live);
    source.addEventListener("update", function (event) {
      element.innerHTML = event.data;
      element.dataset.updated = String(Date.now());
      heard(event.lastEventId);
      tick();
      document.dispatchEvent(new CustomEvent("bordergate:updated", { detail: element }));
    });
    source.addEventListener("alive", function (event) { heard(event.lastEventId); });
    source.addEventListener("error", gone);
  }
  function tick() {
    // The driver's countdown ticks in countdown.js; here only the silence is watched.
    if (Date.now() - heardAt > QUIET_LIMIT_MS) { gone(); }
  }
  document.querySelectorAll("[data-live]").forEach(follow);
  tick();
  setInterval(tick, 1000);
})();
