"""Recognition runs on its own queue (CELERY_TASK_ROUTES), so long jobs never hold up other work."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from apps.audit.jobs import recorded_run

from . import services


# Acknowledged only when done: a worker killed mid-job leaves the message to be delivered
# again, and the job, being idempotent, stores no read twice. Past the soft limit the job
# fails with a reason rather than running (and being redelivered) without end. A database
# that went away (restarting, failing over) is waited for: the job is tried again, at
# growing intervals up to ten minutes, instead of staying "processing" with its message gone.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.RECOGNITION_MAX_TASK_SECONDS,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=20,
)
def recognise_video_job(job_id: int) -> None:
    services.video_job_process(job_id=job_id)


@shared_task
def requeue_lost_video_jobs() -> None:
    """Scheduled, on the default queue: send unfinished jobs again if the broker lost them."""
    with recorded_run("requeue-lost-video-jobs") as details:
        details["requeued"] = services.video_jobs_requeue_lost()
