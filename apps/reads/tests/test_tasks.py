"""The partition job, run by a real Celery worker."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.reads.partitions import existing_partition_days
from apps.reads.tasks import create_partitions_ahead


@pytest.mark.worker
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_the_worker_creates_the_coming_weeks_partitions(celery_worker):
    today = timezone.now().date()
    week = {today + timedelta(days=n) for n in range(8)}
    create_partitions_ahead.delay()
    deadline = time.monotonic() + 30
    while not week <= existing_partition_days():
        assert time.monotonic() < deadline, "the worker did not create the partitions"
        time.sleep(0.2)
