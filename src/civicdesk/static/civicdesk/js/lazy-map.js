/* Maps on demand. A map costs a phone about 60 KB and a second of its processor: on a narrow
 * screen it waits for "Show the map"; on a wide one it loads at once. The holder names the
 * files it needs (data-map-assets, from the map_assets template tag); the map's own script
 * (maps.js, map-pick.js) draws it once they are in. Without JavaScript nothing is lost: every
 * map has its list or its address field beside it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-map-assets]").forEach(function (holder) {
    var assets = JSON.parse(holder.getAttribute("data-map-assets"));
    var button = holder.querySelector("[data-map-show]");
    var loaded = false;
    function load(focus) {
      if (loaded) return;
      loaded = true;
      if (button) button.hidden = true;
      window.CivicDeskMapIcons = assets.icons;
      assets.css.forEach(function (href) {
        var link = document.createElement("link");
        link.rel = "stylesheet"; link.href = href;
        document.head.appendChild(link);
      });
      var last = null;
      assets.js.forEach(function (src) {
        var script = document.createElement("script");
        script.src = src; script.async = false;  // in order: Leaflet first
        document.body.appendChild(script);
        last = script;
      });
      if (focus && last) last.addEventListener("load", function () {
        var map = holder.querySelector(".leaflet-container");
        if (map) map.focus();
      });
    }
    if (window.matchMedia("(min-width: 40em)").matches || !button) load(false);
    else { button.hidden = false; button.addEventListener("click", function () { load(true); }); }
  });
})();
