"""Scheduled jobs: every run is recorded in the audit trail (JobRun), whatever its outcome.

The schedule itself is CELERY_BEAT_SCHEDULE in settings; its keys are the job names here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.utils import timezone

from .models import JobRun


@contextmanager
def recorded_run(job: str) -> Iterator[dict]:
    """Run a job's body; what it puts in the yielded dict is recorded with the outcome."""
    started, details = timezone.now(), dict[str, Any]()
    try:
        yield details
    except BaseException as error:  # an interrupted run (Ctrl-C, a worker's shutdown) too
        JobRun.objects.create(
            job=job,
            started_at=started,
            outcome=JobRun.Outcome.FAILED,
            details=details,
            error=(f"{error}" or type(error).__name__)[:2000],
        )
        raise
    JobRun.objects.create(job=job, started_at=started, outcome=JobRun.Outcome.OK, details=details)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: str
    schedule: str
    last: JobRun | None
    next_run: datetime


def scheduled_jobs(now: datetime | None = None) -> list[ScheduledJob]:
    """Each job in the beat schedule with its last recorded run and when it runs next."""
    now = now or timezone.now()
    jobs = []
    for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        schedule = maybe_schedule(entry["schedule"], app=current_app)
        last = JobRun.objects.filter(job=name).first()
        remaining = schedule.remaining_estimate(last.started_at if last else now)
        jobs.append(
            ScheduledJob(name, entry["task"], _describe(schedule, now), last, max(now, now + remaining))
        )
    return jobs


def _describe(schedule, now: datetime) -> str:
    run_every = getattr(schedule, "run_every", None)
    if run_every is not None and not hasattr(schedule, "minute"):
        minutes = run_every.total_seconds() / 60
        if minutes < 60:
            return f"every {minutes:g} minutes" if minutes != 1 else "every minute"
        return f"every {minutes / 60:g} hours" if minutes != 60 else "every hour"
    # The schedule is in UTC (CELERY_TIMEZONE); people read today's run in the force's zone.
    today = now.astimezone(UTC).replace(
        hour=_first(schedule.hour), minute=_first(schedule.minute), second=0, microsecond=0
    )
    return f"daily at {timezone.localtime(today):%H:%M %Z}"


def _first(values) -> int:
    return min(values)
