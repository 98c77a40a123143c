"""How the change log (apps/audit/changes.py) shows a hotlist, its entries and its alerts: a
covert list's are withheld from all but the list's owners, by the rule of selectors.py (and when
the list is gone, so its audience is unknown, from everyone). An alert is read data: it is no
longer logged, and entries from before are shown to no one. Registered by HotlistsConfig.ready.
"""

from auditlog.models import LogEntry

from apps.audit.changes import COVERT, Withheld, model_label, register_masking, register_not_shown

from .models import Hotlist
from .selectors import hit_audience, may_be_told

# Models belonging to a hotlist, and the field naming it (the list's own id for the list). A
# cloned-plate suspicion's entries (its review only) are the list's through its alert.
OF_A_HOTLIST = {
    "hotlists.hotlist": None,
    "hotlists.hotlistentry": "hotlist",
    "hotlists.alert": "hotlist",
    "hotlists.clonedplatesuspicion": "alert__hotlist",
}


def register() -> None:
    for label in OF_A_HOTLIST:
        register_masking(label, withheld_if_covert)
    register_not_shown("hotlists.alert")


def withheld_if_covert(entry: LogEntry, user) -> Withheld | None:
    """The whole entry, unless `user` may be told of the list it belongs to."""
    hotlist_id = _hotlist_id(entry, OF_A_HOTLIST[model_label(entry)])
    hotlist = Hotlist.objects.filter(pk=hotlist_id).first() if hotlist_id is not None else None
    if hotlist is None:
        return Withheld(COVERT)  # the list is gone: whether it was covert is not known now
    return None if may_be_told(hit_audience(hotlist), user.pk) else Withheld(COVERT)


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
