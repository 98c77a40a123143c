"""The daily retention job: every app that keeps something removes what is past its period."""

from celery import shared_task

from apps.access_requests.services import requests_remove_expired
from apps.audit.jobs import recorded_run
from apps.audit.retention import audit_remove_expired
from apps.hotlists.services import alerts_remove_expired
from apps.reads.national_export_runs import export_files_remove_expired
from apps.reads.retention import RETENTION_JOB, reads_remove_expired
from apps.recognition.services import video_files_remove_expired


@shared_task
def apply_retention() -> None:
    """Remove what is past its retention period: reads (by day), alerts, access requests, audit,
    uploaded video files."""
    with recorded_run(RETENTION_JOB) as details:
        details["reads"] = reads_remove_expired()
        details["alerts"] = alerts_remove_expired()
        details["audit"] = audit_remove_expired()  # first: access requests go once their events have
        details["access_requests"] = requests_remove_expired()
        details["video_files"] = video_files_remove_expired()
        details["national_export_files"] = export_files_remove_expired()


# The task's name before it moved to the portal: a beat or a queued message from the release
# before still runs retention. Remove once no deployment runs that release.
apply_retention_by_old_name = shared_task(name="apps.reads.tasks.apply_retention")(apply_retention.run)
