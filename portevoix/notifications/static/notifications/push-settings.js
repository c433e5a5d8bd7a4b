// The profile's "Notifications on my devices": turns Web Push on or off for this browser.
// Progressive enhancement: the controls stay hidden where the browser has no Push API.
(function () {
  "use strict";
  var box = document.getElementById("push-this-device");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window)) {
    return;
  }
  var onButton = box.querySelector('[data-push="on"]');
  var offButton = box.querySelector('[data-push="off"]');
  var status = box.querySelector(".push-status");

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  // An error whose words are ours (translated) is shown as it is; the browser's are not.
  function said(message) {
    var error = new Error(message);
    error.said = true;
    return error;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrfToken },
      body: JSON.stringify(data)
    }).then(function (response) {
      if (response.ok) { return response; }
      return response.json().then(function (answer) { throw said(answer.error); });
    });
  }

  function show(subscribed, message) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
    status.textContent = message || "";
  }

  function registration() {
    return navigator.serviceWorker.getRegistration().then(function (found) {
      return found || navigator.serviceWorker.register(box.dataset.serviceWorker);
    }).then(function () { return navigator.serviceWorker.ready; });
  }

  function turnOn() {
    onButton.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw said(box.dataset.messageDenied); }
      return registration();
    }).then(function (ready) {
      return ready.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.applicationServerKey)
      });
    }).then(function (subscription) {
      return post(box.dataset.subscribeUrl, subscription.toJSON());
    }).then(function () {
      show(true, box.dataset.messageOn);
    }).catch(function (error) {
      show(false, error && error.said ? error.message : box.dataset.messageFailed);
    }).then(function () { onButton.disabled = false; });
  }

  function turnOff() {
    offButton.disabled = true;
    navigator.serviceWorker.getRegistration().then(function (found) {
      return found ? found.pushManager.getSubscription() : null;
    }).then(function (subscription) {
      if (!subscription) { return null; }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(box.dataset.unsubscribeUrl, { endpoint: endpoint }).catch(function () {});
      });
    }).then(function () {
      show(false, box.dataset.messageOff);
    }).catch(function () {
      show(true, box.dataset.messageFailed);
    }).then(function () { offButton.disabled = false; });
  }

  onButton.addEventListener("click", turnOn);
  offButton.addEventListener("click", turnOff);
  box.hidden = false;
  navigator.serviceWorker.getRegistration().then(function (found) {
    return found ? found.pushManager.getSubscription() : null;
  }).then(function (subscription) {
    show(Boolean(subscription) && Notification.permission === "granted");
  }).catch(function () { show(false); });
})();
