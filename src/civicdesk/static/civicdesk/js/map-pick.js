// Location picker on the request form. Without JavaScript the address and coordinate
// fields work on their own; with it, a click on the map fills the coordinates.
(function () {
  var el = document.getElementById("pick-map");
  if (!el || !window.L) return;
  var lat = document.getElementById("id_lat");
  var lng = document.getElementById("id_long");
  var center = el.dataset.center.split(",").map(Number);
  el.hidden = false;
  var hint = document.getElementById("map-hint");
  if (hint) hint.hidden = false;
  var map = L.map(el).setView(center, 14);
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, detectRetina: true, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: "Location" }).addTo(map);
      marker.on("dragend", function () { pinned(marker.getLatLng()); });
    }
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
  }
  function pinned(latlng) {
    place(latlng);
    document.dispatchEvent(new CustomEvent("civicdesk:pin", { detail: { lat: lat.value, lng: lng.value } }));
  }
  // An address picked from the suggestions moves the pin to it.
  document.addEventListener("civicdesk:address", function (e) {
    var ll = L.latLng(e.detail.lat, e.detail.long);
    place(ll);
    map.setView(ll, 17);
  });
  if (lat.value && lng.value && !isNaN(+lat.value) && !isNaN(+lng.value)) {
    place(L.latLng(+lat.value, +lng.value));
    map.setView([+lat.value, +lng.value], 16);
  }
  map.on("click", function (e) { pinned(e.latlng); });
})();
