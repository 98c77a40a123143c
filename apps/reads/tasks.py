"""Scheduled read-store jobs (see CELERY_BEAT_SCHEDULE); each run is recorded (audit.JobRun)."""

from celery import shared_task

from apps.audit.jobs import recorded_run

from .national_export_runs import run_national_export
from .partitions import ensure_partitions_ahead


@shared_task
def create_partitions_ahead() -> None:
    """Create the coming week's day partitions, so ingest never waits on one."""
    with recorded_run("create-read-partitions-ahead") as details:
        ensure_partitions_ahead(days_ahead=7)
        details["days_ahead"] = 7


# A failed export (disk, endpoint) is recorded as a failed run, then tried again with backoff;
# what was written stays recorded, so a retry only delivers it.
@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def national_export(self) -> None:
    """The national export's daily run (apps/reads/national_export_runs.py)."""
    with recorded_run("national-export") as details:
        details["attempt"] = self.request.retries + 1
        run_national_export(record=details)
