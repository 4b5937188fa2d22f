// Leaflet's default marker, from the image addresses the page gives (lazy-map.js): with
// hashed static file names Leaflet's own guess of its image folder fails. No shadow: it has
// no sharp version for high-density screens, and the pin reads well without it.
(function () {
  var urls = window.CivicDeskMapIcons;
  if (!urls || !window.L) return;
  L.Marker.prototype.options.icon = L.icon({
    iconUrl: urls.iconUrl, iconRetinaUrl: urls.iconRetinaUrl,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28]
  });
})();
