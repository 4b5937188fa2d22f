// Read-only maps: one request's place, or many open requests (data in a JSON script tag).
(function () {
  if (!window.L) return;
  var single = document.getElementById("case-map");
  if (single) {
    single.hidden = false;
    var p = [+single.dataset.lat, +single.dataset.lng];
    var m = L.map(single, { scrollWheelZoom: false }).setView(p, 16);
    L.tileLayer(single.dataset.tiles, { maxZoom: 19, detectRetina: true, attribution: "&copy; OpenStreetMap" }).addTo(m);
    L.marker(p, { keyboard: false }).addTo(m);
  }
  var many = document.getElementById("requests-map");
  var data = document.getElementById("map-points");
  if (many && data) {
    many.hidden = false;
    var points = JSON.parse(data.textContent);
    var map = L.map(many).setView(many.dataset.center.split(",").map(Number), 13);
    L.tileLayer(many.dataset.tiles, { maxZoom: 19, detectRetina: true, attribution: "&copy; OpenStreetMap" }).addTo(map);
    var bounds = [];
    // Nearby requests gather into one numbered circle (Leaflet.markercluster) until zoomed in.
    // chunkedLoading spreads the work over frames, so a slow phone's page stays responsive.
    var layer = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true }) : null;
    var markers = points.map(function (pt) {
      var link = document.createElement("a");
      link.href = many.dataset.requestUrl.replace("ID", encodeURIComponent(pt.id));
      link.textContent = pt.id + ": " + pt.service + " (" + pt.status + ")";
      bounds.push([pt.lat, pt.lng]);
      return L.marker([pt.lat, pt.lng], { title: pt.id }).bindPopup(link);
    });
    if (layer) { layer.addLayers(markers); map.addLayer(layer); } else { markers.forEach(function (m) { m.addTo(map); }); }
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 16 });
  }
})();
