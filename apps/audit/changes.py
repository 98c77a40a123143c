"""The change log (django-auditlog's LogEntry) as auditors read it: newest first, each entry's
changes as rows of field, before and after, with what must not be shown withheld.

Secrets are never shown, whoever asks: a password hash, a token's digest or key, a second
factor's key is recorded by the library (half masked at best), so here every value of such a
field is replaced. Camera positions are withheld from those without the location permission, by
the rule of apps/cameras/disclosure.py.
"""

from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from apps.cameras.disclosure import POSITION_FIELDS, may_see_locations

HIDDEN = "(secret: not shown)"
WITHHELD = "(withheld: camera location)"
# Field names that hold a secret in any model: accounts' passwords, API tokens' digests and keys,
# TOTP devices' keys, one-time codes.
SECRET_FIELDS = frozenset({"password", "key", "digest", "token_key", "token", "salt", "secret", "otp_secret"})
# Models whose name (object_repr) or id holds part of a secret (an API token's id is its digest):
# named by their kind alone.
SECRET_NAMED = frozenset({"accounts.apitoken"})


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
    """Every change-log entry, newest first, with what the page shows of each."""
    return LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-id")


def tracked_models() -> QuerySet[ContentType]:
    """The models whose changes are logged, for the page's model filter."""
    return ContentType.objects.filter(
        pk__in=[ContentType.objects.get_for_model(model).pk for model in auditlog.get_models()]
    ).order_by("app_label", "model")


def as_shown(entries, user) -> list[ChangeEntry]:
    """These entries as `user` may read them: secrets hidden, positions withheld unless allowed."""
    sees_positions = may_see_locations(user)
    return [_shown(entry, sees_positions) for entry in entries]


def _shown(entry: LogEntry, sees_positions: bool) -> ChangeEntry:
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
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
