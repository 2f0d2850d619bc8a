// Keyboard use while a survey runs: digits pick options (0: "Refused / don't know"), Enter
// goes Next, Esc goes Back.
// Focus always returns to the answer input after each swapped question.
(function () {
  "use strict";
  var busy = false;  // one step at a time: a held key must not post the same step again

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

  // Through htmx.ajax rather than a click: a key pressed in the few milliseconds before htmx
  // has wired the new fragment's buttons would otherwise post the form natively and reload.
  function post(url) {
    var form = question().querySelector("form");
    htmx.ajax("POST", url, { source: form, target: "#question", swap: "outerHTML" });
  }

  // The digit of the key pressed, whatever the layout: the physical key (top row or keypad),
  // so that 1 is 1 where that key types "&" (AZERTY) or "+" (Czech) as well as on uk and en.
  function digitOf(evt) {
    var code = /^(?:Digit|Numpad)([0-9])$/.exec(evt.code || "");
    if (code) { return code[1]; }
    return /^[0-9]$/.test(evt.key) ? evt.key : null;
  }

  document.addEventListener("keydown", function (evt) {
    var q = question();
    if (!q || evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    if (evt.key === "Escape" || (evt.key === "Enter" && !evt.shiftKey)) {
      if (evt.key === "Enter" && evt.target.tagName === "BUTTON") { return; }  // its own action
      evt.preventDefault();
      var button = document.getElementById(evt.key === "Escape" ? "back-button" : "next-button");
      if (busy || evt.repeat || !button || button.disabled) { return; }
      post(button.getAttribute(evt.key === "Escape" ? "hx-post" : "formaction") ||
           q.querySelector("form").getAttribute("hx-post"));
      return;
    }
    var digit = digitOf(evt);
    if (digit !== null && !typingText(evt.target)) {
      var pick = q.querySelector('input[data-key="' + digit + '"]');
      if (!pick) { return; }
      evt.preventDefault();  // a checkbox (the refusal beside a typed answer) toggles
      pick.checked = pick.type === "checkbox" ? !pick.checked : true;
      pick.focus();
    }
  });

  document.addEventListener("htmx:beforeRequest", function () { busy = true; });
  document.addEventListener("htmx:afterRequest", function () { busy = false; });

  // Our own confirm, so that a dismissed "Cancel survey" puts focus back on the answer.
  document.addEventListener("htmx:confirm", function (evt) {
    if (!evt.detail.question) { return; }
    evt.preventDefault();
    if (window.confirm(evt.detail.question)) { evt.detail.issueRequest(true); } else { focusAnswer(); }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var q = question();
    if (q && !q.contains(document.activeElement)) { focusAnswer(); }
  });
  document.addEventListener("DOMContentLoaded", focusAnswer);
})();
