"""Scheduled account housekeeping (see CELERY_BEAT_SCHEDULE); each run is recorded."""

from celery import shared_task

from apps.audit.jobs import recorded_run

from . import services


@shared_task
def clear_expired_sessions() -> None:
    with recorded_run("clear-expired-sessions"):
        services.sessions_clear_expired()
