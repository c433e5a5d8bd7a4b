{% autoescape off %}// Portevoix's service worker (portevoix/core/pwa.py serves it at /sw.js, for the whole site).
// Keeps the app's styles, scripts and icons, and the last feed seen, so that the app opens
// without a network and says so. Caches carry the version of the deploy: a new version deletes
// the old caches when it takes over, so nothing kept outlives the deploy that made it.
"use strict";
const CONFIG = {{ config }};
const SHELL = "portevoix-shell-" + CONFIG.version;
const PAGES = "portevoix-pages-" + CONFIG.version;

importScripts({{ push_handlers }});

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      // From the server, past the browser's HTTP cache: it may still hold the last deploy's.
      .then((cache) => cache.addAll(
        [...CONFIG.shell, CONFIG.offline].map((url) => new Request(url, { cache: "reload" }))
      ))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("portevoix-") && name !== SHELL && name !== PAGES)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

// The page asks to forget what it kept (at log-out: the feed names the person).
self.addEventListener("message", (event) => {
  if (event.data === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

function isFeed(url) {
  return url.pathname === CONFIG.feed;
}

async function fromNetworkThenKept(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (isFeed(url) && response.ok && !response.redirected) {
      const cache = await caches.open(PAGES);
      await cache.put(CONFIG.feed, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = isFeed(url) ? await caches.match(CONFIG.feed, { cacheName: PAGES }) : undefined;
    return kept || (await caches.match(CONFIG.offline, { cacheName: SHELL })) || Response.error();
  }
}

async function keptThenNetwork(request) {
  const kept = await caches.match(request, { cacheName: SHELL });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  // Forms sent (a share) go straight to the server, past the worker: their answer is often a
  // redirect to a network, and the share sheet refuses to send without a connection anyway.
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkThenKept(request));
    return;
  }
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(keptThenNetwork(request));
  }
});
{% endautoescape %}
