"""Scheduled account housekeeping (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task
def clear_expired_sessions() -> None:
    services.sessions_clear_expired()
