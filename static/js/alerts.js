// The live alert desk: new alerts arrive over server-sent events and take their place among the
// rows by when the vehicle was seen, most recent first. EventSource reconnects by itself and sends
// Last-Event-ID, so the server replays what was missed. A filtered page's stream carries only the
// alerts its filters list (the server decides, with the page's own query); pages after the first
// have no stream. Times come written by the server, in the force's zone, as the page's own rows.
(function () {
  "use strict";
  var table = document.querySelector("[data-stream-url]");
  if (!table || !window.EventSource) return;
  var rows = document.getElementById("alert-rows");
  var status = document.getElementById("live-status");
  var banner = document.getElementById("alert-banner");
  var live = table.dataset.filtered === "yes"
    ? "Live: new alerts matching these filters appear here."
    : "Live: new alerts appear here.";
  var seen = {};
  var source = new EventSource(table.dataset.streamUrl);

  source.onopen = function () { status.textContent = live; status.className = "live-status live-on"; };
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
    rows.insertBefore(row(alert), firstSeenBefore(alert.seen_at));
    if (alert.priority === 1) emphasise(alert);
  });

  // The first row seen before this moment (null: none, the new row goes last).
  function firstSeenBefore(moment) {
    var when = Date.parse(moment);
    var times = rows.querySelectorAll("tr > td > time");
    for (var i = 0; i < times.length; i++) {
      if (Date.parse(times[i].dateTime) < when) return times[i].closest("tr");
    }
    return null;
  }

  // The same cells as templates/hotlists/_alert_row.html.
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
    var link = document.createElement("a"); link.className = "plate"; link.href = alert.url; link.textContent = alert.vrm;
    plate.appendChild(link);
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
    var when = document.createElement("time"); when.dateTime = alert.seen_at; when.textContent = alert.seen;
    cell(tr).appendChild(when);
    var state = cell(tr); state.className = "alert-status"; state.textContent = alert.status;
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
