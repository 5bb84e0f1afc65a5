// A new camera key, shown once: selected when focused, and copied with one button.
document.getElementById("camera-key").addEventListener("focus", function (event) { event.target.select(); });
document.getElementById("copy-key").addEventListener("click", function () {
  var field = document.getElementById("camera-key");
  field.select();
  var shown = function () { document.getElementById("copied").hidden = false; };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(field.value).then(shown); }
  else if (document.execCommand("copy")) { shown(); }
});
