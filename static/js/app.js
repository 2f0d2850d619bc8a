// Shows why a request failed: htmx does not swap 4xx/5xx answers, so their message
// (a short fragment from survey_app/errors.py) goes into the toast instead.
(function () {
  "use strict";
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
    var found = doc.querySelector(".error-message");
    return (found ? found.textContent : "") || "The request failed (" + xhr.status + ").";
  }
  document.addEventListener("htmx:responseError", function (evt) { toast(messageOf(evt.detail.xhr)); });
  document.addEventListener("htmx:sendError", function () {
    toast("The server cannot be reached. Check the connection; nothing was recorded.");
  });
  window.surveyApp = { toast: toast };
})();
