/* Portevoix conversions, for the company's own site.
 *
 * <script src="https://advocacy.example.com/static/tracking/conversions.js" defer></script>
 *
 * A visitor who arrives through an ambassador's link has `pv_click=<id>` in the address. This
 * script keeps that id for the visit (sessionStorage of the tab: no cookie, nothing after the
 * tab is closed) and reports a goal with it:
 *   - <form data-portevoix-goal="job_application"> reports when the form is submitted;
 *   - <body data-portevoix-goal="sign_up"> reports when the page loads (a thank-you page);
 *   - portevoix.convert("lead") from your own code.
 * Goals: job_application, lead, sign_up, custom (with a label: convert("custom", "webinar")).
 */
(function () {
  "use strict";
  var PARAMETER = "pv_click";
  var STORAGE = "portevoix.click";
  var script = document.currentScript;
  // The platform that served this script receives the reports (data-endpoint overrides it).
  var endpoint = (script && script.getAttribute("data-endpoint")) ||
    new URL("/tracking/api/conversions/script", script ? script.src : location.href).href;

  var click = new URLSearchParams(location.search).get(PARAMETER);
  try {
    if (click) {
      sessionStorage.setItem(STORAGE, click);
    } else {
      click = sessionStorage.getItem(STORAGE);
    }
  } catch (error) {
    /* storage refused (private mode): the id still works on this page */
  }

  function convert(goal, label) {
    if (!click) {
      return Promise.resolve(false);
    }
    return send(JSON.stringify({ click: click, goal: goal, label: label || "" }), RETRIES);
  }

  // A 503 says the click is still on its way between the platform's web nodes (a few
  // milliseconds, or as long as one cannot reach its database): try again after Retry-After.
  var RETRIES = 3;
  var LONGEST_WAIT = 5;
  function send(body, retries) {
    // text/plain keeps this a "simple" cross-site request: no preflight, no credentials.
    return fetch(endpoint, {
      method: "POST",
      body: body,
      headers: { "Content-Type": "text/plain" },
      credentials: "omit",
      keepalive: true
    }).then(function (response) {
      if (response.status === 503 && retries > 0) {
        var seconds = parseFloat(response.headers.get("Retry-After")) || 1;
        return new Promise(function (resolve) {
          setTimeout(resolve, Math.min(seconds, LONGEST_WAIT) * 1000);
        }).then(function () {
          return send(body, retries - 1);
        });
      }
      return response.status === 201 || response.status === 409;
    }, function () {
      return false;
    });
  }

  window.portevoix = window.portevoix || {};
  window.portevoix.convert = convert;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var goal = form && form.getAttribute && form.getAttribute("data-portevoix-goal");
    if (goal) {
      convert(goal, form.getAttribute("data-portevoix-label"));
    }
  }, true);

  function reportPageGoal() {
    var body = document.body;
    var goal = body && body.getAttribute("data-portevoix-goal");
    if (goal) {
      convert(goal, body.getAttribute("data-portevoix-label"));
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reportPageGoal);
  } else {
    reportPageGoal();
  }
})();
