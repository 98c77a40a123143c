"""Scheduled read-store housekeeping (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .partitions import ensure_partitions_ahead


@shared_task
def create_partitions_ahead() -> None:
    """Create the coming week's day partitions, so ingest never waits on one."""
    ensure_partitions_ahead(days_ahead=7)
