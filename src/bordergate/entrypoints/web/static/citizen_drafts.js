/* The phone's outbox: reports kept in IndexedDB until the server has them, each with the Idempotency-Key made when
   its draft started, so sending it again (after a lost answer, a dead signal, a reload) files it once.
   The page sends, not the service worker: a worker's fetches do not always see the browser go offline. */
(function () {
  "use strict";
  var DB = "bordergate-citizen", STORE = "drafts", API = "/citizen/api/reports", EVERY_MS = 20000;
  var box = document.getElementById("outbox");
  var sending = {};

  function database() {
    return new Promise(function (ok, fail) {
      var asked = indexedDB.open(DB, 1);
      asked.onupgradeneeded = function () { asked.result.createObjectStore(STORE, { keyPath: "key" }); };
      asked.onsuccess = function () { ok(asked.result); };
      asked.onerror = function () { fail(asked.error); };
    });
  }

  function inStore(mode, work) {
    return database().then(function (db) {
      return new Promise(function (ok, fail) {
        var done = db.transaction(STORE, mode), asked = work(done.objectStore(STORE));
        done.oncomplete = function () { db.close(); ok(asked.result); };
        done.onerror = function () { db.close(); fail(done.error); };
      });
    });
  }

  function all() { return inStore("readonly", function (s) { return s.getAll(); }); }
  function forget(key) { return inStore("readwrite", function (s) { return s.delete(key); }); }

  function say(text, kind) {
    if (!box) { return null; }
    var line = document.createElement("p");
    line.className = kind || "";
    line.textContent = text;
    box.querySelector("#sent").appendChild(line);
    return line;
  }

  function note(text, kind) {  // one passing word at a time (a retry every 20 s must not stack them up)
    var line = box && box.querySelector("#note");
    if (!line) { return null; }
    line.className = kind || "";
    line.textContent = text;
    return line;
  }

  function link(line, href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.className = "reference";
    line.appendChild(document.createTextNode(" "));
    line.appendChild(a);
  }

  function count() {
    return all().then(function (drafts) {
      var waiting = box && box.querySelector("#waiting");
      if (waiting) { waiting.textContent = drafts.length ? box.dataset.kept.replace("{n}", drafts.length) : ""; }
      return drafts.length;
    });
  }

  function body(draft) {
    var form = new FormData();
    Object.keys(draft.fields).forEach(function (name) {
      var value = draft.fields[name];
      if (value !== "" && value !== null && value !== undefined) { form.append(name, value); }
    });
    if (draft.signedIn) { form.append("signed_in", "1"); }
    draft.photos.forEach(function (photo, n) { form.append("photos", photo.blob, photo.name || "photo-" + (n + 1) + ".jpg"); });
    return form;
  }

  function settle(draft, answer, said) {
    note("");
    if (answer.status === 201 || (answer.status === 409 && said.tracking_code)) {
      return forget(draft.key).then(function () {
        var line = say(answer.status === 201 ? box.dataset.sent : box.dataset.already, "sent");
        link(line, said.url, said.tracking_code);
        if (said.secret_url) { link(say(box.dataset.secret, "secret"), said.secret_url, location.origin + said.secret_url); }
      });
    }
    if (answer.status === 401) {  // kept: sent once the person signs in again
      var line = note(box.dataset.signInAgain, "error");
      if (line) { link(line, box.dataset.signIn, box.dataset.signInLink); }
      return null;
    }
    if (answer.status === 409 || answer.status === 429 || answer.status >= 500) {
      note(said.detail ? box.dataset.later + " " + said.detail : box.dataset.later, "note");
      return null;
    }
    return forget(draft.key).then(function () {  // refused for what it says: sending it again would not help
      var problems = (said.errors || []).map(function (e) { return e.field + ": " + e.message; }).join("; ");
      say(box.dataset.refused + " " + (said.detail || answer.status) + (problems ? " (" + problems + ")" : ""), "error");
    });
  }

  function send(draft) {
    if (sending[draft.key]) { return Promise.resolve(); }
    sending[draft.key] = true;
    if (box) { note(box.dataset.sending); }
    return fetch(API, { method: "POST", body: body(draft), credentials: "same-origin",
                        headers: { "Idempotency-Key": draft.key, "Accept": "application/json" } })
      .then(function (answer) {
        return answer.json().catch(function () { return {}; }).then(function (said) { return settle(draft, answer, said); });
      }, function () { note(""); return null; })  // no signal, or the answer was lost: the draft stays
      .then(function () { delete sending[draft.key]; return count(); },
            function () { delete sending[draft.key]; return count(); });
  }

  function sendAll() {
    return all().then(function (drafts) {
      return drafts.reduce(function (before, draft) { return before.then(function () { return send(draft); }); },
                           Promise.resolve());
    }).then(count);
  }

  function keep(draft) {
    return inStore("readwrite", function (s) { return s.put(draft); }).then(count).then(function () { return send(draft); });
  }

  window.citizenDrafts = { keep: keep, sendAll: sendAll, count: count };
  window.addEventListener("online", sendAll);
  setInterval(function () { if (document.visibilityState === "visible") { sendAll(); } }, EVERY_MS);
  sendAll();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/citizen/sw.js", { scope: "/citizen/" }).catch(function () { return null; });
  }
}());
