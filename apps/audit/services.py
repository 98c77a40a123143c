"""Writes to the audit trail. Nothing else inserts audit rows: django-auditlog's signals write
the change log of ordinary saves and deletions, and `change_record` the changes they cannot see.
docs/audit-records.md says which record holds what."""

from collections.abc import Iterable

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest

from apps.core.users import User

from .models import SearchAudit, SecurityEvent


def security_event_record(
    *,
    kind: SecurityEvent.Kind,
    username: str,
    request: HttpRequest | None = None,
    actor: str = "",
    detail: dict[str, object] | None = None,
) -> SecurityEvent:
    """Append one sign-in or account event, with where it came from."""
    return SecurityEvent.objects.create(
        kind=kind,
        username=username[:150],
        actor=actor[:150],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        detail=detail or {},
    )


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a forwarded header is the client's to forge unless a trusted proxy
    # rewrites REMOTE_ADDR, which is how production is deployed (see docker/).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def search_record(
    *,
    user: User,
    kind: SearchAudit.Kind,
    purpose: str,
    reference: str,
    vrm: str,
    filters: dict[str, object],
    result_count: int,
    result_count_capped: bool = False,
    access_request_id: int | None = None,
    via: str = "portal",
    purpose_detail: str | None = None,
) -> SearchAudit:
    """Append the record of one search (or export, history, opened read or image) before its
    results leave. `vrm` is the plate or pattern normalised, so an auditor finds 'AB12 CDE' and
    'ab-12-cde' under AB12CDE; `filters` keeps the criteria as given. `purpose` is a code of
    SEARCH_PURPOSES (apps/core/purposes.py), `purpose_detail` what `other` stood for."""
    return SearchAudit.objects.create(
        kind=kind,
        username=user.get_username(),
        user_id=user.pk,
        purpose=purpose,
        purpose_detail=purpose_detail,
        reference=reference,
        vrm=vrm[:32],
        filters=filters,
        access_request_id=access_request_id,
        result_count=result_count,
        result_count_capped=result_count_capped,
        via=via,
    )


def deletions_record(objects: Iterable[Model], *, actor: User) -> int:
    """Log in the change log the deletion of each of `objects` (about to be deleted in bulk,
    unseen by django-auditlog's signals), exactly as deleting each alone would: its every field,
    one row each, written a thousand to a statement. Returns how many."""
    rows = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=str(obj),
            action=LogEntry.Action.DELETE,
            changes=model_instance_diff(obj, None),
            actor=actor,
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def change_record(
    *, instance: Model, actor: User, changes: dict[str, list[str]], detail: dict[str, object]
) -> LogEntry:
    """Log in the change log, as an update of `instance`, a change that django-auditlog's signals
    do not see (a bulk write: a hotlist import adds, changes and removes entries without saving
    any one). `changes` is {field: [before, after]} as the library records it; `detail` is kept
    with it (counts, never plates; the change-log page does not show it)."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes=changes,
        additional_data=detail,
    )
