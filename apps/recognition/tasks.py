"""Recognition runs on its own queue (CELERY_TASK_ROUTES), so long jobs never hold up other work."""

from celery import shared_task
from django.conf import settings

from apps.audit.jobs import recorded_run

from . import services


# Acknowledged only when done: a worker killed mid-job leaves the message to be delivered
# again, and the job, being idempotent, stores no read twice. Past the soft limit the job
# fails with a reason rather than running (and being redelivered) without end.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.RECOGNITION_MAX_TASK_SECONDS
)
def recognise_video_job(job_id: int) -> None:
    services.video_job_process(job_id=job_id)


@shared_task
def requeue_lost_video_jobs() -> None:
    """Scheduled, on the default queue: send unfinished jobs again if the broker lost them."""
    with recorded_run("requeue-lost-video-jobs") as details:
        details["requeued"] = services.video_jobs_requeue_lost()
