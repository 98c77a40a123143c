"""Recognition runs on its own queue (CELERY_TASK_ROUTES), so long jobs never hold up other work."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recognise_video_job(job_id: int) -> None:
    # Acknowledged only when done: a worker killed mid-job leaves the message to be delivered
    # again, and the job, being idempotent, stores no read twice.
    services.video_job_process(job_id=job_id)
