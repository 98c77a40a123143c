// Draws markers ({code, name, latitude, longitude, ...}) from #map-markers on #map with Leaflet;
// with data-route on #map, a line joins them in the order given (vehicle history: oldest first).
// Tiles as map_base.js says: on a closed network the markers still show on a plain grid.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.anprMap) return;
  var markers = JSON.parse(document.getElementById("map-markers").textContent).filter(function (m) {
    return m.latitude !== null && m.latitude !== undefined;
  });
  var map = window.anprMap(element, document.getElementById("map-status"));
  var points = markers.map(function (m) { return [m.latitude, m.longitude]; });
  if ("route" in element.dataset && points.length > 1) {
    // Drawn first, so the markers lie on top of it and stay in reach of the pointer.
    L.polyline(points, { className: "map-route", color: "#0b1f33", weight: 3, opacity: 0.6 }).addTo(map);
    element.dataset.routePoints = String(points.length);
  }
  markers.forEach(function (m, index) {
    // A node, not a string: Leaflet puts a string tooltip in as HTML, and names are typed by people.
    var label = document.createElement("span");
    label.textContent = m.label || (m.code + (m.name ? " — " + m.name : ""));
    L.circleMarker(points[index], { radius: 7, color: "#0b1f33", weight: 2, fillColor: m.colour || "#ffb000", fillOpacity: 0.9 })
      .bindTooltip(label, { permanent: markers.length <= 25, direction: "right" }).addTo(map);
  });
  if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 14 });
  else map.setView(window.anprMap.home.centre, window.anprMap.home.zoom);
  element.dataset.markerCount = String(points.length);
})();
