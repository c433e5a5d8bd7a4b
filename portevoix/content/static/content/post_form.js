// The post form: when a destination URL is entered, read its preview on the server and fill
// the preview fields the editor left empty. Without JavaScript, the "read" button does the same.
(function () {
  "use strict";
  var form = document.querySelector(".post-form");
  if (!form) { return; }
  var url = form.querySelector("input[name=url]");
  var status = form.querySelector(".preview-status");
  var last = "";

  function fill(name, value) {
    var field = form.querySelector("[name=" + name + "]");
    if (field && !field.value.trim() && value) { field.value = value; }
  }

  function read() {
    var value = url.value.trim();
    if (!value || value === last) { return; }
    last = value;
    status.textContent = form.dataset.previewReading;
    fetch(form.dataset.previewUrl + "?url=" + encodeURIComponent(value), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (data.error) { status.textContent = data.error; return; }
      fill("preview_title", data.title);
      fill("preview_description", data.description);
      fill("preview_image_url", data.image_url);
      fill("title", data.title);
      status.textContent = form.dataset.previewDone;
    }).catch(function () { status.textContent = ""; });
  }

  if (url) { url.addEventListener("change", read); }
}());
