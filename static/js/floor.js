// The floor: the "For" column goes on counting between pushes, the counts by state follow
// the rows the socket swaps in, and the page reloads at the centre's midnight. The server's clock is the reference (data-now), so
// a browser whose clock is off still counts from the right moment.
(function () {
  "use strict";
  var floor = document.getElementById("floor");
  if (!floor) { return; }
  var skew = Date.parse(floor.dataset.now) - Date.now();

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    var ss = String(s % 60).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + ss : m + ":" + ss;
  }
  function tick() {
    var now = Date.now() + skew;
    floor.querySelectorAll("time.since").forEach(function (el) {
      el.textContent = clock((now - Date.parse(el.getAttribute("datetime"))) / 1000);
    });
  }
  function recount() {
    document.querySelectorAll("#floor-counts .floor-count").forEach(function (count) {
      var rows = document.querySelectorAll('#floor-rows tr[data-state="' + count.dataset.state + '"]');
      count.querySelector("strong").textContent = rows.length.toLocaleString(document.documentElement.lang);
    });
  }
  setInterval(tick, 1000);
  // at the centre's midnight the page reloads: "today" starts again for every row
  var dayEnds = Date.parse(floor.dataset.dayEnds);
  if (dayEnds) {
    setTimeout(function () { window.location.reload(); }, Math.max(0, dayEnds - (Date.now() + skew)) + 2000);
  }
  document.addEventListener("htmx:wsAfterMessage", function () { recount(); tick(); });
})();
