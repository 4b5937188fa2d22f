/* The console's schedule zones on a map: each zone's polygons, coloured by service, with its
 * name and rule on hover and click. The zones come from a JSON script element
 * (#zones-data, written by the view); a preview of an upload draws its zones dashed. */
(function () {
  "use strict";
  var holder = document.getElementById("zones-map");
  var data = document.getElementById("zones-data");
  if (!holder || !data || !window.L) return;
  var zones = JSON.parse(data.textContent);
  var colours = ["#005ea2", "#00a91c", "#e5a000", "#8168b3", "#d83933", "#009ec1", "#6b4d9b"];
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(holder.dataset.tiles, { maxZoom: 19, detectRetina: true, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var all = [];
  zones.forEach(function (z) {
    var rings = [];
    z.polygons.forEach(function (poly) {
      rings.push(poly.map(function (ring) { return ring.map(function (pt) { return [pt[1], pt[0]]; }); }));
    });
    var shape = L.polygon(rings, {
      color: colours[z.colour % colours.length], weight: 2, fillOpacity: 0.15,
      dashArray: z.preview ? "6 4" : null
    }).addTo(map);
    var label = document.createElement("span");
    label.textContent = z.label;  // a zone's name comes from an uploaded file: text, never HTML
    shape.bindTooltip(label);
    all.push(shape);
  });
  if (all.length) map.fitBounds(L.featureGroup(all).getBounds(), { padding: [10, 10] });
  else map.setView([41.85, -89.48], 12);
})();
