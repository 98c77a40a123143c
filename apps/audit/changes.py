"""The change log (django-auditlog's LogEntry) as auditors read it: newest first, each entry's
changes as rows of field, before and after, with what must not be shown withheld.

Secrets are never shown, whoever asks: a password hash, a token's digest or key, a second
factor's key is recorded by the library (half masked at best), so here every value of such a
field is replaced. Camera positions are withheld from those without the location permission, by
the rule of apps/cameras/disclosure.py; a covert hotlist, its entries and its alerts from all
but the list's owners, by the rule of apps/hotlists/selectors.py (and when the list is gone, so
its audience is unknown, from everyone).
"""

from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from apps.cameras.disclosure import POSITION_FIELDS, may_see_locations
from apps.hotlists.models import Hotlist
from apps.hotlists.selectors import hit_audience, may_be_told

HIDDEN = "(secret: not shown)"
COVERT = "(withheld: covert hotlist)"
WITHHELD = "(withheld: camera location)"
# Field names that hold a secret in any model: accounts' passwords, API tokens' digests and keys,
# TOTP devices' keys, one-time codes.
SECRET_FIELDS = frozenset({"password", "key", "digest", "token_key", "token", "salt", "secret", "otp_secret"})
# Models whose name (object_repr) or id holds part of a secret (an API token's id is its digest):
# named by their kind alone.
SECRET_NAMED = frozenset({"accounts.apitoken"})
# Models belonging to a hotlist, and the field naming it (the list's own id for the list).
OF_A_HOTLIST = {"hotlists.hotlist": None, "hotlists.hotlistentry": "hotlist", "hotlists.alert": "hotlist"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeEntry:
    """One log entry as shown: what, which object, who, when, and its changes."""

    entry: LogEntry
    model: str
    object_name: str
    object_id: str
    changes: list[Change]


def change_entries() -> QuerySet[LogEntry]:
    """Every change-log entry, newest first, with what the page shows of each; but none about an
    alert, which is read data (alerts are no longer logged; entries from before are not shown)."""
    return (
        LogEntry.objects.exclude(content_type__app_label="hotlists", content_type__model="alert")
        .select_related("content_type", "actor")
        .order_by("-timestamp", "-id")
    )


def tracked_models() -> QuerySet[ContentType]:
    """The models whose changes are logged, for the page's model filter."""
    return ContentType.objects.filter(
        pk__in=[ContentType.objects.get_for_model(model).pk for model in auditlog.get_models()]
    ).order_by("app_label", "model")


def as_shown(entries, user) -> list[ChangeEntry]:
    """These entries as `user` may read them: secrets hidden, positions withheld unless allowed."""
    sees_positions = may_see_locations(user)
    return [
        _withheld_covert(entry) if _is_covert_to(user, entry) else _shown(entry, sees_positions)
        for entry in entries
    ]


def _label(entry: LogEntry) -> str:
    return f"{entry.content_type.app_label}.{entry.content_type.model}"


def _is_covert_to(user, entry: LogEntry) -> bool:
    label = _label(entry)
    if label not in OF_A_HOTLIST:
        return False
    hotlist_id = _hotlist_id(entry, OF_A_HOTLIST[label])
    hotlist = Hotlist.objects.filter(pk=hotlist_id).first() if hotlist_id is not None else None
    if hotlist is None:
        return True  # the list is gone: whether it was covert is not known now
    return not may_be_told(hit_audience(hotlist), user.pk)


def _hotlist_id(entry: LogEntry, field: str | None) -> int | None:
    if field is None:
        return int(entry.object_pk)
    recorded = (entry.changes_dict or {}).get(field) or []
    named = [value for value in recorded if value not in (None, "None", "")]
    if named:  # a creation or deletion records the list it belonged to
        return int(named[-1])
    model = entry.content_type.model_class()
    current = (
        model.objects.filter(pk=entry.object_pk).values_list(field, flat=True).first() if model else None
    )
    return current


def _withheld_covert(entry: LogEntry) -> ChangeEntry:
    return ChangeEntry(
        entry=entry,
        model=entry.content_type.name,
        object_name=COVERT,
        object_id="not shown",
        changes=[Change("every field", "", COVERT)],
    )


def _shown(entry: LogEntry, sees_positions: bool) -> ChangeEntry:
    label = _label(entry)
    withheld = () if sees_positions else POSITION_FIELDS.get(label, ())
    changes = []
    for field, change in sorted((entry.changes_dict or {}).items()):
        if field in SECRET_FIELDS:
            changes.append(Change(field, HIDDEN, HIDDEN))
        elif field in withheld:
            changes.append(Change(field, WITHHELD, WITHHELD))
        elif isinstance(change, dict):  # a many-to-many change: objects added or removed
            verb = "added" if change.get("operation") == "add" else "removed"
            changes.append(Change(field, "", f"{verb}: {', '.join(map(str, change.get('objects', [])))}"))
        else:
            before, after = [*list(change), "", ""][:2]
            changes.append(Change(field, _text(before), _text(after)))
    if label in SECRET_NAMED:
        name, object_id = entry.content_type.name, "not shown"
    else:
        name, object_id = entry.object_repr, entry.object_pk
    return ChangeEntry(
        entry=entry, model=entry.content_type.name, object_name=name, object_id=object_id, changes=changes
    )


def _text(value) -> str:
    return "—" if value in (None, "None", "") else str(value)
