/* USWDS writes its file input's words in English only ("Drag files here or choose from
 * folder", "Change file", …). This puts the page's translations (the JSON in
 * #uswds-strings, from our catalog) in their place, now and whenever USWDS rewrites them. */
(function () {
  "use strict";
  var source = document.getElementById("uswds-strings");
  if (!source) return;
  var words = JSON.parse(source.textContent);
  var keys = Object.keys(words).sort(function (a, b) { return b.length - a.length; });
  function swap(text) {
    keys.forEach(function (k) { if (text.indexOf(k) >= 0) text = text.split(k).join(words[k]); });
    return text;
  }
  function localize(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var changed = swap(node.nodeValue);
      if (changed !== node.nodeValue) node.nodeValue = changed;
    }
    root.querySelectorAll("[aria-label]").forEach(function (el) {
      var label = swap(el.getAttribute("aria-label"));
      if (label !== el.getAttribute("aria-label")) el.setAttribute("aria-label", label);
    });
  }
  // USWDS builds the file input's box when the page is ready, and rebuilds its words when
  // files are chosen: translate every box now and after each change (our own changes are
  // made with the observer paused, so they do not loop).
  var opts = {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["aria-label"]};
  var queued = false;
  function run() { document.querySelectorAll("div.usa-file-input").forEach(localize); }
  var observer = new MutationObserver(function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      observer.disconnect();
      run();
      observer.observe(document.body, opts);
    });
  });
  function start() { run(); observer.observe(document.body, opts); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
