/* Console: the work queue's tick-all box, and keyboard shortcuts (the list: console/_shortcuts.html). Single keys act only when
 * focus is not in a field, and can be turned off (WCAG 2.1.4), remembered on this browser. */
(function () {
  "use strict";
  // The work queue: one box ticks every request on the page.
  var all = document.getElementById("bulk-all"), bulk = document.getElementById("bulk");
  function ticked() {
    var n = document.querySelectorAll('input[name="ids"]:checked').length;
    document.getElementById("bulk-count").textContent = n ? "(" + document.getElementById("bulk-form").getAttribute("data-count") + " " + n + ")" : "";
    if (n) bulk.open = true;  // ticking a request opens what to do with it
  }
  if (all) all.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll('input[name="ids"]'), function (box) { box.checked = all.checked; });
    ticked();
  });
  if (bulk) document.addEventListener("change", function (e) { if (e.target.name === "ids") ticked(); });
  var dialog = document.getElementById("cd-keys");
  if (!dialog) return;
  var toggle = document.getElementById("cd-keys-on");
  var KEY = "cd-keys-on";
  toggle.checked = localStorage.getItem(KEY) !== "0";
  toggle.addEventListener("change", function () { localStorage.setItem(KEY, toggle.checked ? "1" : "0"); });
  function open() { if (!dialog.open) dialog.showModal(); }
  document.getElementById("cd-keys-open").addEventListener("click", open);
  document.getElementById("cd-keys-close").addEventListener("click", function () { dialog.close(); });
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function rowLinks() { return Array.prototype.slice.call(document.querySelectorAll(".cd-inbox__open")); }
  function move(step) {
    var links = rowLinks();
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = links[Math.max(0, Math.min(links.length - 1, at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step))];
    next.focus();
    next.closest("tr").scrollIntoView({block: "nearest"});
  }
  function click(selector) { var el = document.querySelector(selector); if (el) el.click(); return !!el; }
  function focus(selector) { var el = document.querySelector(selector); if (el) el.focus(); return !!el; }
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented) return;  // the canned-response list used it
    if (e.key === "Escape" && document.activeElement && document.activeElement.id === "chat-text") {
      document.activeElement.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || dialog.open) return;
    if (e.key === "?") { e.preventDefault(); open(); return; }
    if (!toggle.checked) return;
    var done = false;
    switch (e.key) {
      case "j": move(1); done = true; break;
      case "k": move(-1); done = true; break;
      case "r": done = focus("#chat-text"); break;
      case "t": done = click("#take-button"); break;
      case "c": done = focus("#c-code"); break;
      case "i": done = click("#back-to-inbox"); break;
    }
    if (done) e.preventDefault();
  });
})();
