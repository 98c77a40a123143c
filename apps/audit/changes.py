"""The change log (django-auditlog's LogEntry) as auditors read it: newest first, each entry's
changes as rows of field, before and after, with what must not be shown withheld.

Secrets are never shown, whoever asks: a password hash, a token's digest or key, a second
factor's key is recorded by the library (half masked at best), so here every value of such a
field is replaced. What else is withheld, and from whom, the app owning the rule says through
`register_masking` when it starts: cameras withholds positions from those without the location
permission (apps/cameras/change_log.py); hotlists a covert list, its entries and its alerts from
all but the list's owners, and old entries about alerts from everyone (apps/hotlists/change_log.py).
With nothing registered, only secrets are hidden.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, DateTimeField, Field, ForeignObjectRel, JSONField, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.times import shown

from .details import in_words

HIDDEN = "(secret: not shown)"
COVERT = "(withheld: covert hotlist)"
WITHHELD = "(withheld: camera location)"
# Field names that hold a secret in any model: accounts' passwords, API tokens' digests and keys,
# TOTP devices' keys, one-time codes.
SECRET_FIELDS = frozenset({"password", "key", "digest", "token_key", "token", "salt", "secret", "otp_secret"})
# Models whose name (object_repr) or id holds part of a secret (an API token's id is its digest):
# named by their kind alone.
SECRET_NAMED = frozenset({"accounts.apitoken"})


@dataclass(frozen=True)
class Withheld:
    """What a masking withholds of one entry from one user: the named `fields`, or the whole
    entry when `fields` is None; `reason` is shown in their place."""

    reason: str
    fields: frozenset[str] | None = None


Masking = Callable[[LogEntry, object], Withheld | None]
MASKINGS: dict[str, list[Masking]] = defaultdict(list)
# Models whose entries are never shown, to anyone ("app_label.model").
NOT_SHOWN: set[str] = set()


def register_masking(model_label: str, masking: Masking) -> None:
    """Have the page ask `masking(entry, user)` of every entry about `model_label`
    ("app_label.model") what it withholds from that user (None: nothing)."""
    if masking not in MASKINGS[model_label]:
        MASKINGS[model_label].append(masking)


def register_not_shown(model_label: str) -> None:
    """Leave every entry about `model_label` ("app_label.model") off the page, whoever asks: for a
    model whose changes are read data, which belongs behind the access window, not here."""
    NOT_SHOWN.add(model_label)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    label: str  # the field as people read it: its verbose name ("plate", not "vrm")


@dataclass(frozen=True)
class ChangeEntry:
    """One log entry as shown: what, which object, who, when, and its changes."""

    entry: LogEntry
    model: str
    object_name: str
    object_id: str
    changes: list[Change]


def change_entries() -> QuerySet[LogEntry]:
    """Every change-log entry, newest first, with what the page shows of each; but none about a
    model registered as not shown."""
    entries = LogEntry.objects.all()
    for label in NOT_SHOWN:
        app_label, model = label.split(".")
        entries = entries.exclude(content_type__app_label=app_label, content_type__model=model)
    return entries.select_related("content_type", "actor").order_by("-timestamp", "-id")


def tracked_models() -> QuerySet[ContentType]:
    """The models whose changes are logged, for the page's model filter."""
    return ContentType.objects.filter(
        pk__in=[ContentType.objects.get_for_model(model).pk for model in auditlog.get_models()]
    ).order_by("app_label", "model")


def as_shown(entries, user) -> list[ChangeEntry]:
    """These entries as `user` may read them: secrets hidden, and what the maskings withhold."""
    return [_as_shown_to(user, entry) for entry in entries]


def model_label(entry: LogEntry) -> str:
    """The entry's model as "app_label.model", as maskings are registered."""
    return f"{entry.content_type.app_label}.{entry.content_type.model}"


def _as_shown_to(user, entry: LogEntry) -> ChangeEntry:
    withheld = [w for masking in MASKINGS.get(model_label(entry), ()) if (w := masking(entry, user))]
    whole = next((w for w in withheld if w.fields is None), None)
    if whole is not None:
        return _withheld_whole(entry, whole.reason)
    return _shown(entry, {field: w.reason for w in withheld for field in w.fields or ()})


def _withheld_whole(entry: LogEntry, reason: str) -> ChangeEntry:
    return ChangeEntry(
        entry=entry,
        model=entry.content_type.name,
        object_name=reason,
        object_id="not shown",
        changes=[Change("every field", "", reason, "every field")],
    )


def _shown(entry: LogEntry, withheld: dict[str, str]) -> ChangeEntry:
    label = model_label(entry)
    model = entry.content_type.model_class()
    changes = []
    for field, change in (entry.changes_dict or {}).items():
        named = _field(model, field)
        if isinstance(named, ForeignObjectRel):
            continue  # the library's note of a relation held from the other side: no value of this record
        words = str(getattr(named, "verbose_name", "") or field.replace("_", " "))
        if field in SECRET_FIELDS:
            changes.append(Change(field, HIDDEN, HIDDEN, words))
        elif field in withheld:
            changes.append(Change(field, withheld[field], withheld[field], words))
        elif isinstance(change, dict):  # a many-to-many change: objects added or removed
            verb = "added" if change.get("operation") == "add" else "removed"
            objects = ", ".join(map(str, change.get("objects", [])))
            changes.append(Change(field, "", f"{verb}: {objects}", words))
        else:
            before, after = [*list(change), "", ""][:2]
            # A record created had no values before: only what it was created with is shown.
            was = "" if entry.action == LogEntry.Action.CREATE else _text(_plain(before, named))
            changes.append(Change(field, was, _text(_plain(after, named)), words))
    changes.sort(key=lambda change: change.label.lower())
    if label in SECRET_NAMED:
        name, object_id = entry.content_type.name, "not shown"
    else:
        name, object_id = entry.object_repr, entry.object_pk
    return ChangeEntry(
        entry=entry, model=entry.content_type.name, object_name=name, object_id=object_id, changes=changes
    )


def _field(model, name: str) -> Field | ForeignObjectRel | None:
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:  # a field since removed
        return None


def _plain(value, field: Field | ForeignObjectRel | None):
    """A value as the library recorded it (text), in words: yes or no for a flag, a list of
    markers as a list, not as the JSON it was kept as."""
    if isinstance(field, BooleanField) and value in ("True", "False"):
        return "yes" if value == "True" else "no"
    if isinstance(field, DateTimeField) and isinstance(value, str):
        # The library keeps a moment as UTC text without its offset: shown as every moment is.
        moment = parse_datetime(value)
        if moment is not None:
            return shown(moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC))
    if isinstance(field, JSONField) and isinstance(value, str):
        try:
            held = json.loads(value)
        except ValueError:
            return value
        if isinstance(held, list) and all(isinstance(item, str | int | float) for item in held):
            return ", ".join(map(str, held)) or "none"
        return in_words(held)  # a mapping as label and value, its moments in London time
    return value


def _text(value) -> str:
    return "—" if value in (None, "None", "") else str(value)
