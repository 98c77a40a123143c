// Draw the place a search looks in on #place-map: a circle (click its centre; the radius box
// sets its size) or a polygon (click each corner in turn). The shape is written into the
// search's `near` or `within` field as text, which stays what is searched: it can be typed or
// corrected by hand, and a shape already there (a search being changed) is drawn on opening.
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  if (!element || !window.anprMap) return;
  var near = document.getElementById("id_near");
  var within = document.getElementById("id_within");
  var radius = document.getElementById("place-radius");
  var status = document.getElementById("place-status");
  var map = window.anprMap(element, document.getElementById("place-map-status"));
  var layer = L.layerGroup().addTo(map);
  var mode = null;
  var corners = [];

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function say(text) { if (status) status.textContent = text; }

  function draw() {
    layer.clearLayers();
    var circle = (near.value || "").split(",").map(Number);
    if (circle.length === 3 && circle.every(isFinite)) {
      L.circle([circle[0], circle[1]], { radius: circle[2], className: "place-shape" }).addTo(layer);
      return L.latLng(circle[0], circle[1]).toBounds(circle[2] * 2);
    }
    var points = (within.value || "").split(";").map(function (corner) { return corner.split(",").map(Number); })
      .filter(function (p) { return p.length === 2 && p.every(isFinite); });
    if (points.length >= 3) {
      L.polygon(points, { className: "place-shape" }).addTo(layer);
    } else if (points.length) {
      L.polyline(points, { className: "place-shape" }).addTo(layer);
    }
    points.forEach(function (p) { L.circleMarker(p, { radius: 4 }).addTo(layer); });
    return points.length ? L.latLngBounds(points) : null;
  }

  function choose(next) {
    mode = next;
    corners = [];
    if (next === "near") { within.value = ""; say("Click the centre of the circle."); }
    if (next === "within") { near.value = ""; within.value = ""; say("Click each corner of the polygon in turn."); }
    if (next === "clear") { near.value = ""; within.value = ""; mode = null; say("No place drawn."); }
    element.dataset.mode = mode || "";
    draw();
  }

  document.querySelectorAll("[data-draw]").forEach(function (button) {
    button.addEventListener("click", function () { choose(button.dataset.draw); });
  });

  map.on("click", function (event) {
    var point = [round(event.latlng.lat), round(event.latlng.lng)];
    if (mode === "near") {
      near.value = point.concat([Number(radius.value) || 500]).join(",");
      say("Circle drawn: " + near.value + ". Click elsewhere to move it.");
    } else if (mode === "within") {
      corners.push(point.join(","));
      within.value = corners.join(";");
      say(corners.length + (corners.length === 1 ? " corner" : " corners") + (corners.length < 3 ? ": at least 3 are needed." : "."));
    } else {
      return;
    }
    draw();
  });

  radius.addEventListener("change", function () {
    var circle = near.value.split(",");
    if (circle.length === 3) { circle[2] = String(Number(radius.value) || 500); near.value = circle.join(","); draw(); }
  });
  [near, within].forEach(function (field) { field.addEventListener("change", draw); });

  var shown = draw();
  if (shown) map.fitBounds(shown, { padding: [30, 30], maxZoom: 16 });
  else map.setView(window.anprMap.home.centre, window.anprMap.home.zoom);
})();
