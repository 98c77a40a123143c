"""Reads of the audit trail."""

from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet

from apps.core.months import count_per_month

from .chain import checkpoint_confirms
from .models import JobRun, SearchAudit, SecurityEvent


def security_events(*, username: str | None = None) -> QuerySet[SecurityEvent]:
    """Security events newest first, optionally of one account."""
    events = SecurityEvent.objects.all()
    if username is not None:
        events = events.filter(username=username)
    return events


def failed_sign_ins(*, since: date) -> QuerySet[SecurityEvent]:
    """Failed sign-ins from a day on (in the force's time zone, as the sign-in audit's own filter
    counts days)."""
    return security_events().filter(kind=SecurityEvent.Kind.LOGIN_FAILED, at__date__gte=since)


def jobs_failing() -> QuerySet[JobRun]:
    """The last run of each scheduled job, where that run failed: jobs failing until they next succeed."""
    last_runs = (
        JobRun.objects.filter(job__in=settings.CELERY_BEAT_SCHEDULE)
        .order_by("job", "-at", "-id")
        .distinct("job")
        .values("pk")
    )
    return JobRun.objects.filter(pk__in=last_runs, outcome=JobRun.Outcome.FAILED)


def search_audits() -> QuerySet[SearchAudit]:
    return SearchAudit.objects.all()


def last_chain_verification() -> JobRun | None:
    """The latest run of the daily chain verification (apps/audit/tasks.py), whatever its outcome.
    A run recorded as intact is shown so only when the checkpoint it names is on file with the
    heads it recorded: the application may append a run's row, not write a checkpoint."""
    run = JobRun.objects.filter(job="audit-verify").first()
    if run and run.outcome == JobRun.Outcome.OK and not checkpoint_confirms(run.details):
        run.outcome = JobRun.Outcome.FAILED  # as shown, never saved
        run.error = "the run's checkpoint is not on file with the heads it recorded"
    return run


# A person asking the read store a new question; further pages and opening a result are not.
SEARCH_KINDS = (SearchAudit.Kind.SEARCH, SearchAudit.Kind.HISTORY, SearchAudit.Kind.EXPORT)


def searches_per_month(since: datetime) -> dict[tuple[date, str], int]:
    """Searches, vehicle histories and exports since a moment: {(UTC month, purpose code): n}."""
    searches = SearchAudit.objects.filter(at__gte=since, kind__in=SEARCH_KINDS)
    return count_per_month(searches, "at", by="purpose")


def job_runs_per_month(job: str, since: datetime) -> dict[tuple[date, str], int]:
    """Runs of one scheduled job since a moment: {(UTC month of the run's end, outcome): n}."""
    return count_per_month(JobRun.objects.filter(job=job, at__gte=since), "at", by="outcome")
