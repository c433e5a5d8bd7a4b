// The feed's share sheet: a card's "Share" opens a bottom sheet (my text, my networks first,
// the device's own share sheet where the browser has one) instead of the share page; the
// sheet's form goes to the share page, which records the share and opens the network. Without
// JavaScript the card's link opens the share page. Texts come from the template.
(function () {
  "use strict";
  var dialog = document.querySelector("dialog.sheet");
  var share = window.portevoixShare;
  if (!dialog || !share || typeof dialog.showModal !== "function") { return; }
  var content = dialog.querySelector(".sheet-content");
  var texts = dialog.dataset;

  function say(form, message) {
    var status = form.querySelector(".sheet-status");
    if (status) { status.textContent = message; }
  }

  function posted(text, link, takesText, network) {
    if (takesText !== "1") { return text; }
    if (network === "x") { return (text ? text + " " : "") + link; }
    return (text ? text + "\n\n" : "") + link;
  }

  function setUp(form) {
    var textarea = form.querySelector("textarea[name=text]");
    var counter = form.querySelector(".counter");
    var link = form.dataset.link || "";
    var current = form.querySelector("button[name=network]");
    var refresh = function () {
      if (!current || !current.dataset.limit) { counter.textContent = ""; return; }
      var limit = parseInt(current.dataset.limit, 10);
      var text = textarea.value.trim();
      var n = share.count(current.value, posted(text, link, current.dataset.takesText, current.value));
      counter.textContent = n + " / " + limit + " " + texts.counterFor + " " + current.dataset.label;
      counter.classList.toggle("over", n > limit);
    };
    form.querySelectorAll("button[name=network]").forEach(function (button) {
      var pick = function () { current = button; refresh(); };
      button.addEventListener("focus", pick);
      button.addEventListener("pointerenter", pick);
    });
    textarea.addEventListener("input", refresh);
    refresh();

    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) {
        event.preventDefault();
        say(form, texts.offline);
        return;
      }
      var button = event.submitter;
      if (!button || button.dataset.takesText !== "0" || form.dataset.copied === "1") { return; }
      // LinkedIn, Facebook, XING take no text: copy it first, for the person to paste.
      event.preventDefault();
      var send = function () { form.dataset.copied = "1"; form.requestSubmit(button); };
      share.copy(textarea.value.trim()).then(function () { say(form, texts.copied); send(); }, send);
    });

    var device = form.querySelector(".device-share");
    if (device && navigator.share) {
      device.hidden = false;
      device.addEventListener("click", function () { shareFromDevice(form, textarea); });
    }
  }

  // The device's share sheet gets my text and my tracked link, recorded first as a "copy".
  function shareFromDevice(form, textarea) {
    if (!navigator.onLine) { say(form, texts.offline); return; }
    var data = new FormData(form);
    data.set("network", "copy");
    data.set("text", textarea.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { say(form, (answer.body.problems || [texts.failed]).join(" ")); return; }
      return navigator.share({ title: answer.body.title, text: answer.body.text, url: answer.body.url })
        .then(function () { say(form, texts.shared); }, function () { say(form, texts.cancelled); });
    }).catch(function () { say(form, navigator.onLine ? texts.failed : texts.offline); });
  }

  function open(link) {
    if (!navigator.onLine) {
      content.innerHTML = "";
      var message = document.createElement("p");
      message.setAttribute("role", "alert");
      message.textContent = texts.offline;
      content.appendChild(message);
      dialog.showModal();
      return;
    }
    fetch(link.dataset.sheet, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      content.innerHTML = html;  // our own server-rendered fragment
      var form = content.querySelector(".sheet-form");
      if (form) { setUp(form); }
      dialog.showModal();
    }).catch(function () {
      window.location.href = link.href;  // the share page does everything the sheet does
    });
  }

  document.querySelectorAll("a[data-sheet]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) { return; }
      event.preventDefault();
      open(link);
    });
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); }  // a tap outside the sheet closes it
  });
}());
