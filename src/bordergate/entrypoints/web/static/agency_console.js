// An agency's console: what an officer was typing survives the inbox's live updates.
(function () {
  // The server re-renders the inbox on every change; what an officer was typing, the field they were in and the
  // errors this page answered with are put back after each swap, so an update never eats a half-written reason.
  var inbox = document.getElementById("inbox");
  if (!inbox) { return; }
  var typed = {}, errors = {}, focused = null;
  function key(field) {
    var form = field && field.form;
    return form && form.dataset.key && field.name && field.type !== "hidden" ? form.dataset.key + " " + field.name : null;
  }
  function fields() { return inbox.querySelectorAll("form[data-key] textarea, form[data-key] select"); }
  function keep(event) { var k = key(event.target); if (k) { typed[k] = event.target.value; } }
  inbox.querySelectorAll("form[data-key] textarea").forEach(function (field) { if (field.value) { typed[key(field)] = field.value; } });
  inbox.querySelectorAll("[data-error-for]").forEach(function (slot) {
    if (slot.innerHTML.trim()) { errors[slot.dataset.errorFor] = slot.innerHTML; }
  });
  inbox.addEventListener("input", keep);
  inbox.addEventListener("change", keep);
  document.addEventListener("focusin", function (event) { focused = key(event.target); });
  document.addEventListener("mousedown", function (event) { if (!key(event.target)) { focused = null; } });
  document.addEventListener("bordergate:updated", function (event) {
    if (event.detail !== inbox) { return; }
    fields().forEach(function (field) { var k = key(field); if (k in typed) { field.value = typed[k]; } });
    Object.keys(errors).forEach(function (name) {
      var slot = inbox.querySelector('[data-error-for="' + name + '"]');
      if (!slot) { return; }
      slot.innerHTML = errors[name];
      var field = document.getElementById(slot.dataset.field);
      if (field && field.tagName !== "FORM") {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", slot.dataset.field + "-error");
      }
    });
    if (focused && (!document.activeElement || document.activeElement === document.body)) {
      fields().forEach(function (field) {
        if (key(field) !== focused) { return; }
        field.focus();
        if (field.setSelectionRange) { field.setSelectionRange(field.value.length, field.value.length); }
      });
    }
  });
})();
