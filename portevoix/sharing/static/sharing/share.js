// The share page: a live length counter (the server checks again, exactly), and the text
// copied to the clipboard for networks whose share page takes no text.
(function () {
  "use strict";
  var URL_RE = /(?:https?:\/\/|www\.)[^\s<>"]+/gi;
  var EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

  function graphemes(text) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text));
    }
    return Array.from(text).map(function (c) { return { segment: c }; });
  }

  function xWeight(text) {
    var weight = 0;
    graphemes(text).forEach(function (g) {
      if (EMOJI_RE.test(g.segment)) { weight += 2; return; }
      Array.from(g.segment).forEach(function (c) {
        var code = c.codePointAt(0);
        var light = code <= 4351 || (code >= 8192 && code <= 8205) ||
          (code >= 8208 && code <= 8223) || (code >= 8242 && code <= 8247);
        weight += light ? 1 : 2;
      });
    });
    return weight;
  }

  function count(network, posted) {
    posted = posted.normalize("NFC");
    if (network === "x") {
      var urls = posted.match(URL_RE) || [];
      return xWeight(posted.replace(URL_RE, "")) + 23 * urls.length;
    }
    if (network === "mastodon") { return Array.from(posted.replace(URL_RE, "x".repeat(23))).length; }
    if (network === "bluesky") { return graphemes(posted).length; }
    return Array.from(posted).length;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // The feed's share sheet (sheet.js) counts and copies the same way.
  window.portevoixShare = { count: count, copy: copy };

  var form = document.querySelector(".share-form");
  if (form) {
    var textarea = form.querySelector("textarea[name=text]");
    var counter = form.querySelector(".counter");
    var status = form.querySelector(".copy-status");
    var limit = parseInt(form.dataset.limit, 10);
    var network = form.dataset.network;
    var link = form.dataset.link || "";
    var refresh = function () {
      if (!limit || !textarea) { return; }
      var text = textarea.value.trim();
      var posted = text;
      if (form.dataset.takesText === "1") {
        posted = network === "x" ? (text ? text + " " : "") + link : (text ? text + "\n\n" : "") + link;
      }
      var n = count(network, posted);
      counter.textContent = n + " / " + limit;
      counter.classList.toggle("over", n > limit);
    };
    if (textarea) { textarea.addEventListener("input", refresh); refresh(); }
    form.addEventListener("submit", function (event) {
      if (form.dataset.copyOnSubmit !== "1" || !textarea || form.dataset.copied === "1") { return; }
      event.preventDefault();
      var done = function () { form.dataset.copied = "1"; form.requestSubmit(event.submitter || undefined); };
      copy(textarea.value.trim()).then(function () {
        if (status) { status.textContent = form.dataset.copiedMessage || "✓"; }
        done();
      }, done);
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.copy);
      var status = button.parentNode.querySelector(".copy-status");
      copy(source.value).then(function () { if (status) { status.textContent = "✓"; } });
    });
  });
}());
