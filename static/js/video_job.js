// A video job's page: follow its progress from the API until it finishes.
(function () {
  "use strict";
  const job = document.getElementById("job");
  if (!job || job.dataset.finished === "true") return;
  const labels = { queued: "Queued", processing: "Processing", done: "Done", failed: "Failed" };
  const byId = (id) => document.getElementById(id);

  async function poll() {
    let data;
    try {
      const response = await fetch(job.dataset.api, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      data = await response.json();
    } catch (error) {
      setTimeout(poll, 3000); // a restart or a blip: keep trying, more slowly
      return;
    }
    const status = byId("job-status");
    status.textContent = labels[data.status] || data.status;
    status.className = "status status-" + data.status;
    byId("job-progress").value = data.progress.percent;
    byId("job-percent").textContent = data.progress.percent + "%";
    byId("job-frames").textContent = data.progress.frames_done + " of " + (data.progress.frames_total || "?") + " frames";
    if (data.status === "done") {
      byId("job-reads-found").textContent = data.reads_found;
      byId("job-reads-stored").textContent = data.reads_stored;
      byId("job-reads").hidden = false;
      byId("job-reads-link").hidden = false;
    }
    if (data.status === "failed") {
      byId("job-error").textContent = data.error;
      byId("job-error").hidden = false;
      window.location.reload(); // shows the "Try again" button
      return;
    }
    if (data.status !== "done") setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
