"""Hourly: close approved access requests past their end (recorded as a job run)."""

from celery import shared_task

from apps.audit.jobs import recorded_run

from .services import requests_expire


@shared_task
def expire_access_requests() -> int:
    with recorded_run("expire-access-requests") as details:
        details["expired"] = requests_expire()
    return details["expired"]
