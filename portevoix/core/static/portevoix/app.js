// Every page: installs the service worker (offline app, see core/pwa.py), says when the
// network is gone, and forgets the pages kept offline on any page seen signed out, such as the
// one after logging out: they name people and figures, and a phone or a computer may be
// shared. Texts come from the template.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var data = script.dataset;
  var PAGES_PREFIX = "portevoix-pages-";

  if ("serviceWorker" in navigator && data.sw) {
    navigator.serviceWorker.register(data.sw, { scope: "/" }).catch(function () {
      // Without a service worker the site works as before, online only.
    });
  }

  var banner = null;
  function showConnection() {
    if (navigator.onLine) {
      if (banner) { banner.hidden = true; }
      document.documentElement.classList.remove("offline");
      return;
    }
    if (!banner) {
      banner = document.createElement("p");
      banner.className = "offline-banner";
      banner.setAttribute("role", "status");
      banner.textContent = data.offline;
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.hidden = false;
    document.documentElement.classList.add("offline");
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  function forgetPages() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  // Signed out (after logging out, or the session ended): the kept feed goes. Offline, the
  // page may be the kept offline page, kept signed out: it proves nothing then.
  if (data.signedIn === "0" && navigator.onLine) {
    forgetPages().catch(function () { /* nothing kept, or storage refused: nothing to forget */ });
  }
}());
