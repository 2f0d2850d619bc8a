// Shows why a request failed: htmx does not swap 4xx/5xx answers, so their message
// (a short fragment from survey_app/errors.py) goes into the toast instead.
// The words come from the page (base.html renders #client-text from the server's catalog),
// so the scripts speak the page's language and keep no catalog of their own.
(function () {
  "use strict";
  var words = {};
  try { words = JSON.parse(document.getElementById("client-text").textContent); } catch (e) { /* none */ }
  function say(key) { return words[key] || key; }

  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) { return; }
    box.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 8000);
  }
  function messageOf(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    // an error page's message, or a call button's refusal (#call-action-result)
    var found = doc.querySelector(".error-message, #call-action-result");
    return (found ? found.textContent : "") ||
      say("requestFailed").replace("%(status)s", xhr.status);
  }
  document.addEventListener("htmx:responseError", function (evt) { toast(messageOf(evt.detail.xhr)); });
  document.addEventListener("htmx:sendError", function () {
    toast(say("offline"));
  });
  window.surveyApp = { toast: toast, say: say };
})();
