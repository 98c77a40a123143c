"""Fixtures of the reliability tests (make reliability): a clean broker, and the worker, beat
and server processes a test starts, stopped at its end."""

import subprocess

import pytest
from django.conf import settings


@pytest.fixture
def empty_broker():
    """No message left from an earlier run (a killed worker's is redelivered much later)."""
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.fixture
def processes():
    """Worker, beat and server processes a test starts; stopped at its end, whatever happened."""
    started: list = []
    yield started
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker deep in a task does not stop: kill it
            process.kill()
            process.wait()
