"""Daily: close approved access requests past their end."""

from celery import shared_task

from .services import requests_expire


@shared_task
def expire_access_requests() -> int:
    return requests_expire()
