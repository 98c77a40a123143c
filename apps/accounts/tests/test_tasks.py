"""Scheduled housekeeping, run by a real Celery worker."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.accounts.tasks import clear_expired_sessions


@pytest.mark.worker
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_the_worker_clears_expired_sessions_and_keeps_live_ones(celery_worker):
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    clear_expired_sessions.delay()

    deadline = time.monotonic() + 30
    while Session.objects.filter(session_key=expired.session_key).exists():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    assert Session.objects.filter(session_key=live.session_key).exists()
