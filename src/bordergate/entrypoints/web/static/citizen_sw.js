/* The phone app's service worker: keeps the new-report page and its files so the page opens without signal.
   It never touches the filing API: the page itself sends and keeps drafts (citizen_drafts.js). */
"use strict";
var SHELL = "__SHELL__", CACHE = "citizen-__VERSION__";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("citizen-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || url.pathname.indexOf("/citizen/api/") === 0) { return; }
  if (url.pathname.indexOf("/static/") === 0) {  // fingerprinted: the cached copy is the right one
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf("/citizen/") === 0) {  // the network first, the shell without signal
    event.respondWith(fetch(request).catch(function () {
      return caches.match(url.pathname === "/citizen/report" ? request : "/citizen/report", { ignoreSearch: true });
    }));
  }
});
