"""Scheduled read-store jobs (see CELERY_BEAT_SCHEDULE); each run is recorded (audit.JobRun)."""

from celery import shared_task

from apps.access_requests.services import requests_remove_expired
from apps.audit.jobs import recorded_run
from apps.audit.retention import remove_expired_audit
from apps.hotlists.services import alerts_remove_expired
from apps.recognition.services import video_files_remove_expired

from .national_export_runs import remove_export_files, run_national_export
from .partitions import ensure_partitions_ahead
from .retention import RETENTION_JOB, remove_expired_reads


@shared_task
def create_partitions_ahead() -> None:
    """Create the coming week's day partitions, so ingest never waits on one."""
    with recorded_run("create-read-partitions-ahead") as details:
        ensure_partitions_ahead(days_ahead=7)
        details["days_ahead"] = 7


@shared_task
def apply_retention() -> None:
    """Remove what is past its retention period: reads (by day), alerts, access requests, audit,
    uploaded video files."""
    with recorded_run(RETENTION_JOB) as details:
        details["reads"] = remove_expired_reads()
        details["alerts"] = alerts_remove_expired()
        details["audit"] = remove_expired_audit()  # first: access requests go once their events have
        details["access_requests"] = requests_remove_expired()
        details["video_files"] = video_files_remove_expired()
        details["national_export_files"] = remove_export_files()


# A failed export (disk, endpoint) is recorded as a failed run, then tried again with backoff;
# what was written stays recorded, so a retry only delivers it.
@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def national_export(self) -> None:
    """The national export's daily run (apps/reads/national_export_runs.py)."""
    with recorded_run("national-export") as details:
        details["attempt"] = self.request.retries + 1
        run_national_export(record=details)
