// Draws markers ({code, name, latitude, longitude, ...}) from #map-markers on #map with Leaflet;
// with data-route on #map, a line joins them in the order given (vehicle history: oldest first).
// Tiles come from data-tile-url when set; on a closed network (no URL, or tiles failing to
// load) the markers still show on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) return;
  var markers = JSON.parse(document.getElementById("map-markers").textContent).filter(function (m) {
    return m.latitude !== null && m.latitude !== undefined;
  });
  var status = document.getElementById("map-status");
  var map = L.map(element, { attributionControl: false });
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    var failed = false;
    L.tileLayer(tileUrl, { maxZoom: 19 }).on("tileerror", function () {
      if (failed) return;
      failed = true;
      element.classList.add("map-plain");
      if (status) status.textContent = "Map tiles could not load: positions are shown on a plain grid.";
    }).addTo(map);
  } else {
    element.classList.add("map-plain");
  }
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
  else map.setView([54.0, -2.0], 6);
  element.dataset.markerCount = String(points.length);
})();
