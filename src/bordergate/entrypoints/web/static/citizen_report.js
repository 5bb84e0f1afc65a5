/* The new report in steps on one page: what, where, "is it one of these?", photos and text, send (to the outbox,
   citizen_drafts.js, which keeps it until the server has it). Sentences come from the page's data-* attributes. */
(function () {
  "use strict";
  var form = document.getElementById("report");
  if (!form) { return; }
  var said = form.dataset, steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var key = newKey(), photos = [];

  function newKey() {  // a UUID v4 from the OS's generator (crypto.randomUUID needs https; this does not)
    var b = crypto.getRandomValues(new Uint8Array(16)), hex = "";
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) { hex += (b[i] + 256).toString(16).slice(1); if (i === 3 || i === 5 || i === 7 || i === 9) { hex += "-"; } }
    return hex;
  }

  function value(name) { var field = form.elements[name]; return field ? (field.value || "").trim() : ""; }
  function error(step, text) { var p = form.querySelector('[data-error="' + step + '"]'); if (p) { p.textContent = text || ""; } return !text; }
  function current() { return steps.findIndex(function (s) { return !s.hidden; }); }

  function checked(step) {
    var name = step.dataset.step;
    if (name === "category") { return error(name, value("category") ? "" : said.needCategory); }
    if (name === "place") { return error(name, value("lat") || value("address_text") || value("commune_code") ? "" : said.needPlace); }
    if (name === "details") {
      if (value("description").length < 10) { return error(name, said.needText); }
      return error(name, photos.length > 4 ? said.tooMany : "");
    }
    return true;
  }

  function show(index) {
    steps.forEach(function (s, i) { s.hidden = i !== index; });
    var name = steps[index].dataset.step;
    if (name === "nearby") { nearby(); }
    if (name === "details") {
      form.querySelectorAll("[data-category]").forEach(function (q) { q.hidden = q.dataset.category !== value("category"); });
    }
    var first = steps[index].querySelector("input:not([type=hidden]), textarea, select, button");
    if (first) { first.focus(); }
  }

  form.addEventListener("click", function (event) {
    var at = current();
    if (event.target.matches("[data-next]") && checked(steps[at])) { show(at + 1); }
    if (event.target.matches("[data-back]")) { show(at - 1); }
  });

  document.getElementById("locate").addEventListener("click", function () {
    var shown = document.getElementById("located");
    if (!navigator.geolocation) { shown.textContent = said.noLocation; return; }
    navigator.geolocation.getCurrentPosition(function (where) {
      form.elements.lat.value = where.coords.latitude.toFixed(6);
      form.elements.lon.value = where.coords.longitude.toFixed(6);
      form.elements.accuracy_m.value = Math.round(where.coords.accuracy);
      shown.textContent = said.located.replace("{m}", Math.round(where.coords.accuracy));
    }, function () { shown.textContent = said.noLocation; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  function nearby() {
    var list = document.getElementById("nearby-list"), none = document.getElementById("nearby-none");
    list.textContent = "";
    none.hidden = false;
    if (!value("lat") || !navigator.onLine) { return; }
    var query = "?category=" + encodeURIComponent(value("category")) + "&lat=" + value("lat") + "&lon=" + value("lon");
    fetch(said.nearby + query, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : { reports: [] }; })
      .then(function (found) {
        found.reports.forEach(function (report) {
          var item = document.createElement("li"), a = document.createElement("a");
          a.href = "/r/" + report.code;
          a.textContent = said.follow;
          item.textContent = report.description + " · " + said.metres.replace("{m}", report.metres) + " · " + report.state + " ";
          item.appendChild(a);
          list.appendChild(item);
        });
        none.hidden = found.reports.length > 0;
      }).catch(function () { return null; });
  }

  form.elements.photos.addEventListener("change", function () {
    var previews = document.getElementById("previews");
    photos = Array.prototype.slice.call(form.elements.photos.files, 0);
    previews.textContent = "";
    error("details", photos.length > 4 ? said.tooMany : "");
    photos.slice(0, 4).forEach(function (file) {  // data: URLs, which the page's policy allows for images
      var reader = new FileReader();
      reader.onload = function () { var img = document.createElement("img"); img.src = reader.result; img.alt = file.name; previews.appendChild(img); };
      reader.readAsDataURL(file);
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!steps.every(checked)) { return; }
    var answers = {};
    form.querySelectorAll("[data-category]:not([hidden]) [data-attribute]").forEach(function (field) {
      if (field.value) { answers[field.dataset.attribute] = field.value; }
    });
    var fields = {};
    ["category", "description", "lat", "lon", "accuracy_m", "address_text", "commune_code"].forEach(function (name) { fields[name] = value(name); });
    if (Object.keys(answers).length) { fields.attributes = JSON.stringify(answers); }
    var draft = { key: key, fields: fields, signedIn: said.signedIn === "1", started: new Date().toISOString(),
                  photos: photos.map(function (file) { return { blob: file, name: file.name }; }) };
    key = newKey();  // the next report is another draft
    window.citizenDrafts.keep(draft);
    form.reset();
    photos = [];
    document.getElementById("previews").textContent = "";
    document.getElementById("located").textContent = "";
    show(0);
  });
}());
