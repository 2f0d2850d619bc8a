// The operator's live link: the two dots (PBX and this page's socket), and a call that rings
// while the tab is in the background (title, sound, and a notification the operator allowed).
(function () {
  "use strict";
  var title = document.title, flashing = null, known = {};
  var say = window.surveyApp ? window.surveyApp.say : function (key) { return key; };

  function dot(id, ok, label) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.classList.toggle("ok", ok);
    el.classList.toggle("down", !ok);
    el.setAttribute("aria-label", label);
    el.title = label;
  }

  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no audio: the title and notification still signal */ }
  }

  function signal(pop) {
    var text = pop.querySelector(".pop-number");
    var words = (text ? text.textContent : "").replace(/\s+/g, " ").trim();
    if (!flashing) {
      flashing = setInterval(function () {
        document.title = document.title === title ? "\u260e " + say("incomingCall") : title;
      }, 1000);
    }
    beep();
    if (window.Notification && Notification.permission === "granted") {
      new Notification(say("incomingCall"), { body: words, tag: pop.id });
    }
  }

  // Working once the server's first frame (PBX link and pops) has come: by then its
  // subscription exists, so no pop published from now on can miss this page.
  var greeted = false;
  document.addEventListener("htmx:wsOpen", function () { greeted = false; });
  document.addEventListener("htmx:wsClose", function (evt) {
    dot("ws-status", false, say("liveLost"));
    // 1008: the session has ended (disabled, new password): the page shows the login instead
    if (evt.detail.event && evt.detail.event.code === 1008) { window.location.reload(); }
  });
  // Debug on: raw AMI events come as "<!--ami-->{json}"; they go to the console, not the page.
  var MARK = "<!--ami-->";
  document.addEventListener("htmx:wsBeforeMessage", function (evt) {
    var message = evt.detail.message;
    if (typeof message !== "string" || message.lastIndexOf(MARK, 0) !== 0) { return; }
    evt.preventDefault();
    try { console.debug("[AMI]", JSON.parse(message.slice(MARK.length))); }
    catch (e) { console.debug("[AMI]", message.slice(MARK.length)); }
  });
  document.addEventListener("htmx:wsAfterMessage", function (evt) {
    if (!greeted) { greeted = true; dot("ws-status", true, say("liveWorking")); }
    var box = document.getElementById("telephony");
    if (box && box.dataset.debug === "1") { console.debug("[telephony]", evt.detail.message); }
    var pops = document.querySelectorAll("#call-pops .pop");
    var seen = {};
    pops.forEach(function (pop) {
      seen[pop.id] = true;
      var ringing = pop.dataset.state === "ringing" && pop.dataset.direction === "inbound";
      if (ringing && !known[pop.id] && document.hidden) { signal(pop); }
    });
    known = seen;
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && flashing) { clearInterval(flashing); flashing = null; document.title = title; }
  });
  // Notifications: offered once, visibly, while the browser has not been asked yet; the
  // answer (or "Not now") is remembered in this browser and the offer does not come back.
  var OFFERED = "survey-app:notifications-offered";
  function offer() { return document.getElementById("notifications-offer"); }
  function remembered() {
    try { return window.localStorage.getItem(OFFERED) === "1"; } catch (e) { return false; }
  }
  function settle() {
    try { window.localStorage.setItem(OFFERED, "1"); } catch (e) { /* private mode */ }
    if (offer()) { offer().hidden = true; }
  }
  if (offer() && window.Notification && Notification.permission === "default" && !remembered()) {
    offer().hidden = false;
  }
  document.addEventListener("click", function (evt) {
    if (evt.target.id === "allow-notifications" && window.Notification) {
      settle();
      Notification.requestPermission();
    } else if (evt.target.id === "no-notifications") {
      settle();
    }
  });
})();
