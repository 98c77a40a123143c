"""Every change to hotlists, entries, alerts and cloned-plate suspicions. Field changes are
recorded by django-auditlog (of a suspicion, only its review: settings AUDITLOG_INCLUDE_TRACKING_MODELS)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict, Unpack

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import change_record, deletions_record
from apps.core.plates import lookalike_key, normalise_vrm
from apps.core.users import User
from apps.reads.evidence import delete_unused_images

from .models import Alert, ClonedPlateSuspicion, Hotlist, HotlistEntry

ENTRY_FIELDS = ("foreign", "reason", "action", "markers", "information", "expires_at")
HOTLIST_FIELDS = ("name", "source", "priority", "active", "covert")
ANALYZE_AFTER = 1000  # rows an import changes before the table's statistics are refreshed


class HotlistFields(TypedDict, total=False):
    """A list's fields as given (HOTLIST_FIELDS); a change names only those it changes."""

    name: str
    source: str
    priority: int
    active: bool
    covert: bool


class EntryFields(TypedDict, total=False):
    """An entry's fields as given (ENTRY_FIELDS); a change names only those it changes."""

    foreign: bool
    reason: str
    action: str
    markers: list[str]
    information: str
    expires_at: datetime | None


class EntryChange(EntryFields, total=False):
    """A change to an entry: its fields, and perhaps its plate."""

    vrm: str


class EntryRow(EntryFields):
    """One checked row of an import: a plate and its entry's fields."""

    vrm: str


@transaction.atomic
def hotlist_create(*, actor: User, owners: Iterable[User] = (), **fields: Unpack[HotlistFields]) -> Hotlist:
    """A new list; its creator owns it."""
    hotlist = Hotlist(**{k: v for k, v in fields.items() if k in HOTLIST_FIELDS})
    hotlist.full_clean()
    hotlist.save()
    hotlist.owners.set({actor, *owners})
    return hotlist


@transaction.atomic
def hotlist_update(*, hotlist: Hotlist, **fields: Unpack[HotlistFields]) -> Hotlist:
    for name, value in fields.items():
        if name in HOTLIST_FIELDS:
            setattr(hotlist, name, value)
    hotlist.full_clean()
    hotlist.save()
    return hotlist


@transaction.atomic
def entry_create(*, hotlist: Hotlist, vrm: str, actor: User, **fields: Unpack[EntryFields]) -> HotlistEntry:
    entry = HotlistEntry(
        hotlist=hotlist, added_by=actor, **_plate(vrm), **_entry_fields(fields, complete=True)
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_update(*, entry: HotlistEntry, **fields: Unpack[EntryChange]) -> HotlistEntry:
    if "vrm" in fields:
        for name, value in _plate(fields["vrm"]).items():
            setattr(entry, name, value)
    for name, value in _entry_fields(fields).items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry: HotlistEntry) -> None:
    entry.delete()


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    removed: int
    unchanged: int


@transaction.atomic
def entries_import(*, hotlist: Hotlist, rows: list[EntryRow], replace: bool, actor: User) -> ImportResult:
    """Apply checked rows ({vrm, foreign, reason, action, markers, information, expires_at}) in bulk.

    Merge adds and updates; replace also removes entries the file does not list. Rows equal
    to what is held change nothing, so importing the same file twice changes nothing.
    """
    # Held entries as plain tuples: a national list has hundreds of thousands.
    held = {row[0]: row[1:] for row in hotlist.entries.values_list("vrm", "pk", *ENTRY_FIELDS)}
    wanted = {normalise_vrm(row["vrm"]): _entry_fields(row, complete=True) for row in rows}
    added, changed = [], []
    for vrm, fields in wanted.items():
        current = held.get(vrm)
        if current is None:
            added.append(HotlistEntry(hotlist=hotlist, added_by=actor, **_plate(vrm), **fields))
        elif dict(zip(ENTRY_FIELDS, current[1:], strict=True)) != {
            name: fields[name] for name in ENTRY_FIELDS
        }:
            changed.append(HotlistEntry(pk=current[0], **fields))
    HotlistEntry.objects.bulk_create(added, batch_size=5000)
    HotlistEntry.objects.bulk_update(changed, ENTRY_FIELDS, batch_size=5000)
    removed = 0
    if replace:
        gone = [current[0] for vrm, current in held.items() if vrm not in wanted]
        # Each entry taken off is logged with its plate, as deleting it alone would be (an owner
        # cannot drop a wanted vehicle unseen by re-importing the list without it), but in bulk:
        # Django's one-by-one deletion and logging of 490,000 entries ran for over 15 minutes.
        with disable_auditlog():
            for start in range(0, len(gone), 10_000):
                batch = HotlistEntry.objects.filter(pk__in=gone[start : start + 10_000])
                deletions_record(list(batch), actor=actor)
                removed += batch.delete()[0]
    result = ImportResult(
        added=len(added),
        updated=len(changed),
        removed=removed,
        unchanged=len(wanted) - len(added) - len(changed),
    )
    if len(added) + len(changed) + removed >= ANALYZE_AFTER:
        # Fresh statistics, or the planner may scan every entry instead of using the plate index.
        with connection.cursor() as cursor:
            cursor.execute("SELECT hotlists_analyze_entries()")  # owner-defined: ANALYZE needs the owner
    # Bulk writes bypass the change log's signals, so the import is logged on the list itself.
    change_record(
        instance=hotlist,
        actor=actor,
        changes={"entries": ["", f"imported ({'replace' if replace else 'merge'})"]},
        detail=result.__dict__,
    )
    return result


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: User) -> Alert:
    """The officer has seen it (the first acknowledgement stands)."""
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return alert


@transaction.atomic
def alert_record_outcome(*, alert: Alert, outcome: Alert.Outcome, notes: str, actor: User) -> Alert:
    """What happened: stopped, not found, no action, or a false read (feeds camera read quality)."""
    alert_acknowledge(alert=alert, actor=actor)
    alert.outcome, alert.outcome_notes = outcome, notes
    alert.outcome_by, alert.outcome_at = actor, timezone.now()
    alert.save(update_fields=["outcome", "outcome_notes", "outcome_by", "outcome_at"])
    return alert


@transaction.atomic
def cloned_plate_review(
    *, suspicion: ClonedPlateSuspicion, outcome: ClonedPlateSuspicion.Outcome, notes: str, actor: User
) -> ClonedPlateSuspicion:
    """A list owner's finding on a cloned-plate suspicion; a later one replaces it (the change log
    keeps each)."""
    suspicion.outcome, suspicion.notes = outcome, notes
    suspicion.reviewed_by, suspicion.reviewed_at = actor, timezone.now()
    suspicion.save(update_fields=["outcome", "notes", "reviewed_by", "reviewed_at"])
    return suspicion


class Plate(TypedDict):
    vrm: str
    lookalike: str


def _plate(vrm: str) -> Plate:
    plate = normalise_vrm(vrm)
    return {"vrm": plate, "lookalike": lookalike_key(plate)}


def _entry_fields(fields: Mapping[str, object], *, complete: bool = False) -> dict[str, object]:
    """The entry fields given; with complete=True, the rest at their defaults (a whole entry)."""
    values = {name: fields[name] for name in ENTRY_FIELDS if name in fields}
    if complete:
        values = {"foreign": False, "markers": [], "information": "", "expires_at": None} | values
    return values


def alerts_remove_expired(*, now: datetime | None = None) -> dict[str, int]:
    """Remove alerts whose read was seen longer ago than the shorter of ALERT_RETENTION_DAYS and
    READ_RETENTION_DAYS, and the plate images only they still kept.

    By the read's seen_at, never the alert's creation: an alert is read data, and one raised
    today by a back-loaded read seen two years ago must go when that read goes, not two years on.
    """
    days = min(settings.ALERT_RETENTION_DAYS, settings.READ_RETENTION_DAYS)
    cut_off = (now or timezone.now()) - timedelta(days=days)
    expired = Alert.objects.filter(read_seen_at__lt=cut_off)
    images = set(expired.exclude(plate_image="").values_list("plate_image", flat=True))
    with transaction.atomic():
        # A suspicion also names a read up to CLONED_PLATE_LOOKBACK_HOURS older than its alert's:
        # it goes when that read goes (the rest go with their alerts).
        ClonedPlateSuspicion.objects.filter(earlier_read_seen_at__lt=cut_off).delete()
        removed = expired.delete()[1].get(Alert._meta.label, 0)  # not the suspicions with them
    return {"alerts": removed, "images": delete_unused_images(images)}
