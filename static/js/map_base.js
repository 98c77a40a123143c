// The base every map shares: a Leaflet map on `element` with tiles from its data-tile-url, or,
// on a closed network (no URL, or tiles failing to load), a plain grid, said in `status`.
(function () {
  "use strict";
  window.anprMap = function (element, status) {
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
    return map;
  };
  // Where a map with nothing on it opens: the whole of Great Britain.
  window.anprMap.home = { centre: [54.0, -2.0], zoom: 6 };
})();
