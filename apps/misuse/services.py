"""Writes of misuse flags: raising them from the audit trail, and an auditor closing one."""

import hashlib
import json
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from apps.core.users import User

from .detection import Candidate, candidates_for_day
from .models import MisuseFlag, MisuseFlagClosure


class FlagAlreadyClosed(Exception):
    """A flag is closed once; a later finding is a new note elsewhere, not a second closure."""


def flags_raise(*, now: datetime) -> list[MisuseFlag]:
    """Raise a flag for every pattern found in the last MISUSE_LOOKBACK_DAYS complete UTC days
    that has not been raised before for the same evidence. Returns the flags raised."""
    today = now.date()
    days = [today - timedelta(days=n) for n in range(settings.MISUSE_LOOKBACK_DAYS, 0, -1)]
    return [flag for day in days for flag in _raise_day(day)]


@transaction.atomic
def flag_close(*, flag: MisuseFlag, auditor: User, note: str) -> MisuseFlagClosure:
    """Close an open flag with the auditor's note. The closure row is itself the audit record:
    append-only and chained, saying who closed it, when, and what they found."""
    if not note.strip():
        raise ValueError("Say what was found: a note is required to close a flag.")
    if flag.user_id is not None and flag.user_id == auditor.pk:
        raise ValueError("A flag about your own activity is closed by another auditor.")
    try:
        # One closure per flag (a unique key): of two auditors closing at once, the second is
        # refused here; the savepoint also rolls back the chain head its insert moved.
        with transaction.atomic():
            return MisuseFlagClosure.objects.create(
                flag=flag, closed_by=auditor.get_username(), note=note.strip()
            )
    except IntegrityError:
        raise FlagAlreadyClosed(f"Flag {flag.pk} is already closed.") from None


def evidence_key(candidate: Candidate) -> str:
    """One digest of what a flag is about, so the same evidence never raises a second flag."""
    evidence = [candidate.kind, candidate.username, list(candidate.search_ids), list(candidate.event_ids)]
    return hashlib.sha256(json.dumps(evidence).encode()).hexdigest()


def _raise_day(day: date) -> list[MisuseFlag]:
    raised = []
    for candidate in candidates_for_day(day):
        key = evidence_key(candidate)
        if MisuseFlag.objects.filter(evidence_key=key).exists():
            continue
        try:
            # A savepoint: a run racing this one is stopped by the unique key, and the chain
            # head the insert's trigger moved rolls back with it.
            with transaction.atomic():
                raised.append(_create(candidate, key))
        except IntegrityError:
            continue
    return raised


def _create(candidate: Candidate, key: str) -> MisuseFlag:
    return MisuseFlag.objects.create(
        kind=candidate.kind,
        username=candidate.username,
        user_id=candidate.user_id,
        summary=candidate.summary,
        search_ids=list(candidate.search_ids),
        event_ids=list(candidate.event_ids),
        details=candidate.details,
        evidence_key=key,
    )
