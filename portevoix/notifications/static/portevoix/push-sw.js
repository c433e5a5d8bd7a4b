// Web Push in the service worker: the site's /sw.js loads this file with importScripts.
// A message is the JSON that notifications/push/delivery.py sends: title, body, url, icon, tag.
/* global self, clients */
(function () {
  "use strict";

  self.addEventListener("push", function (event) {
    var message = {};
    try {
      message = event.data ? event.data.json() : {};
    } catch (error) {
      message = { body: event.data.text() };
    }
    event.waitUntil(self.registration.showNotification(message.title || "Portevoix", {
      body: message.body || "",
      icon: message.icon,
      tag: message.tag,
      data: { url: message.url || "/notifications/" }
    }));
  });

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var target = new URL((event.notification.data && event.notification.data.url) ||
      "/notifications/", self.location.origin).href;
    event.waitUntil(clients.matchAll({ type: "window", includeUncontrolled: true })
      .then(function (windows) {
        for (var i = 0; i < windows.length; i += 1) {
          if (windows[i].url === target && "focus" in windows[i]) {
            return windows[i].focus();
          }
        }
        return clients.openWindow(target);
      }));
  });
})();
