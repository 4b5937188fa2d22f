/* The supervisor's wall: the figures again every 15 s (not while a "give it to" list is open
 * or focused, so a reassignment in progress is not swept away). */
(function () {
  "use strict";
  var wall = document.getElementById("wall"), updated = document.getElementById("wall-updated");
  if (!wall) return;
  setInterval(function () {
    if (wall.contains(document.activeElement) && document.activeElement.tagName === "SELECT") return;
    fetch(wall.getAttribute("data-src"), {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      wall.innerHTML = html;
      updated.textContent = wall.getAttribute("data-updated") + " " + new Date().toLocaleTimeString();
    }).catch(function () { /* the next round tries again */ });
  }, 15000);
})();
