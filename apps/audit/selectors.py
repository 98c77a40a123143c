"""Reads of the audit trail."""

from django.db.models import QuerySet

from .models import JobRun, SearchAudit, SecurityEvent


def security_events(*, username: str | None = None) -> QuerySet[SecurityEvent]:
    """Security events newest first, optionally of one account."""
    events = SecurityEvent.objects.all()
    if username is not None:
        events = events.filter(username=username)
    return events


def search_audits() -> QuerySet[SearchAudit]:
    return SearchAudit.objects.all()


def last_chain_verification() -> JobRun | None:
    """The latest run of the daily chain verification (apps/audit/tasks.py), whatever its outcome."""
    return JobRun.objects.filter(job="audit-verify").first()
