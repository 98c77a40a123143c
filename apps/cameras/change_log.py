"""How the change log (apps/audit/changes.py) shows a camera's position wherever it is held
(POSITION_FIELDS): withheld from those without the location permission, by the rule of
disclosure.py. Registered by CamerasConfig.ready.
"""

from auditlog.models import LogEntry

from apps.audit.changes import WITHHELD, Withheld, model_label, register_masking

from .disclosure import POSITION_FIELDS, may_see_locations


def register() -> None:
    for label in POSITION_FIELDS:
        register_masking(label, withheld_positions)


def withheld_positions(entry: LogEntry, user) -> Withheld | None:
    """The position fields of the entry's model, unless `user` may see camera locations."""
    if may_see_locations(user):
        return None
    return Withheld(WITHHELD, fields=frozenset(POSITION_FIELDS[model_label(entry)]))
