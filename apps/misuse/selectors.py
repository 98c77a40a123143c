"""Reads of misuse flags for the auditors' pages."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from apps.audit.models import SearchAudit, SecurityEvent

from .models import MisuseFlag, MisuseFlagClosure


def misuse_flags() -> QuerySet[MisuseFlag]:
    """Every flag, newest first, each annotated `closed` and with its closure when there is one."""
    closed = MisuseFlagClosure.objects.filter(flag_id=OuterRef("pk"))
    return MisuseFlag.objects.annotate(closed=Exists(closed)).select_related("closure")


def misuse_flags_open() -> QuerySet[MisuseFlag]:
    """Flags no auditor has closed yet (the list's `?status=open`)."""
    return MisuseFlag.objects.filter(closure__isnull=True)


def flag_evidence(flag: MisuseFlag) -> dict[str, Any]:
    """The audit rows a flag cites, as they stand in the trail (retention may have removed some)."""
    return {
        "searches": SearchAudit.objects.filter(pk__in=flag.search_ids).order_by("at", "id"),
        "events": SecurityEvent.objects.filter(pk__in=flag.event_ids).order_by("at", "id"),
        # For the audit pages' `?id=` filter: the same rows in the trail's own pages.
        "search_ids": ",".join(str(pk) for pk in flag.search_ids),
        "event_ids": ",".join(str(pk) for pk in flag.event_ids),
    }
