// The live alert desk: new alerts arrive over server-sent events and are added at the top.
// EventSource reconnects by itself and sends Last-Event-ID, so the server replays what was missed.
(function () {
  "use strict";
  var table = document.querySelector("[data-stream-url]");
  if (!table || !window.EventSource) return;
  var rows = document.getElementById("alert-rows");
  var status = document.getElementById("live-status");
  var banner = document.getElementById("alert-banner");
  var seen = {};
  var source = new EventSource(table.dataset.streamUrl);

  source.onopen = function () { status.textContent = "Live: new alerts appear here."; status.className = "live-status live-on"; };
  source.onerror = function () { status.textContent = "Reconnecting to live alerts…"; status.className = "live-status live-off"; };
  source.addEventListener("ended", function () {
    source.close();  // signed out, disabled or no longer allowed: the server will not send more
    status.textContent = "Live alerts stopped: sign in again to see them.";
    status.className = "live-status live-off";
  });
  source.addEventListener("alert", function (message) {
    var alert = JSON.parse(message.data);
    if (seen[alert.id]) return;
    seen[alert.id] = true;
    var empty = rows.querySelector(".empty-row");
    if (empty) empty.remove();
    rows.insertBefore(row(alert), rows.firstChild);
    if (alert.priority === 1) emphasise(alert);
  });

  function row(alert) {
    var tr = document.createElement("tr");
    tr.className = "alert-row new-alert unacknowledged priority-" + alert.priority;
    var patch = cell(tr);
    if (alert.plate_image) {
      var img = document.createElement("img");
      img.className = "thumb"; img.src = alert.plate_image; img.alt = "Plate patch of " + alert.vrm;
      patch.appendChild(img);
    }
    var plate = cell(tr);
    var span = document.createElement("span"); span.className = "plate"; span.textContent = alert.vrm;
    plate.appendChild(span);
    if (alert.match === "lookalike") {
      plate.appendChild(document.createElement("br"));
      var small = document.createElement("small"); small.textContent = "look-alike of " + alert.entry_vrm;
      plate.appendChild(small);
    }
    cell(tr).textContent = alert.hotlist;
    cell(tr).textContent = alert.reason;
    var action = cell(tr);
    var strong = document.createElement("strong"); strong.textContent = alert.action; action.appendChild(strong);
    if (alert.markers.length) {
      action.appendChild(document.createElement("br"));
      var markers = document.createElement("small"); markers.className = "markers"; markers.textContent = alert.markers.join(", ");
      action.appendChild(markers);
    }
    cell(tr).textContent = alert.camera + " (" + alert.area + ")";
    var when = document.createElement("time"); when.dateTime = alert.seen_at;
    when.textContent = new Date(alert.seen_at).toLocaleString("en-GB", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    cell(tr).appendChild(when);
    var link = document.createElement("a"); link.href = alert.url; link.textContent = "Open";
    cell(tr).appendChild(link);
    return tr;
  }

  function cell(tr) { var td = document.createElement("td"); tr.appendChild(td); return td; }

  function emphasise(alert) {
    banner.hidden = false;
    banner.textContent = "Priority alert: " + alert.vrm + " — " + alert.reason + ", " + alert.action + " (" + alert.camera + ")";
    try {  // a short tone; browsers may refuse sound until the page has been used
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator(); tone.frequency.value = 880; tone.connect(audio.destination);
      tone.start(); tone.stop(audio.currentTime + 0.35);
    } catch (e) { /* no sound available */ }
  }
})();
