// Keyboard use while a survey runs: digits pick options, Enter goes Next, Esc goes Back.
// Focus always returns to the answer input after each swapped question.
(function () {
  "use strict";
  function question() { return document.getElementById("question"); }

  function focusAnswer() {
    var q = question();
    if (!q) { return; }
    var target = q.querySelector("input[type=radio]:checked") ||
      q.querySelector("input[type=radio], #answer-value");
    if (target) { target.focus(); }
  }

  function typingText(el) {
    return el && (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox"));
  }

  document.addEventListener("keydown", function (evt) {
    var q = question();
    if (!q || evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    var form = q.querySelector("form");
    if (evt.key === "Escape") {
      var back = document.getElementById("back-button");
      if (back && !back.disabled) { evt.preventDefault(); back.click(); }
      return;
    }
    if (evt.key === "Enter" && !evt.shiftKey) {
      if (evt.target.tagName === "BUTTON") { return; }  // the button does its own thing
      evt.preventDefault();
      form.requestSubmit(document.getElementById("next-button"));
      return;
    }
    if (/^[0-9]$/.test(evt.key) && !typingText(evt.target)) {
      var radio = q.querySelector('input[type=radio][data-key="' + evt.key + '"]');
      if (radio) { evt.preventDefault(); radio.checked = true; radio.focus(); }
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var q = question();
    if (q && !q.contains(document.activeElement)) { focusAnswer(); }
  });
  document.addEventListener("DOMContentLoaded", focusAnswer);
})();
