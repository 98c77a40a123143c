"""Reads of the audit trail."""

from django.db.models import QuerySet

from .models import SearchAudit, SecurityEvent


def security_events(*, username: str | None = None) -> QuerySet[SecurityEvent]:
    """Security events newest first, optionally of one account."""
    events = SecurityEvent.objects.all()
    if username is not None:
        events = events.filter(username=username)
    return events


def search_audits() -> QuerySet[SearchAudit]:
    return SearchAudit.objects.all()
