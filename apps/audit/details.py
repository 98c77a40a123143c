"""Details the audit trail keeps as data (a security event's detail, what a job run did, what a
search asked for, a JSON field in the change log) in words: labels as people say them, values as
lists, moments in the force's zone, never a Python or JSON dict or list."""

from apps.core.times import shown_if_moment

# The database keeps a detail's keys in an order of its own (jsonb); these lead, in this order.
FIRST = ("action", "before", "after")
# Keys whose own words are not the ones a person would use.
LABELS = {"vrm": "plate", "vrms": "plates", "via": "through", "ip_address": "address"}
NOTHING = "—"


def label(key: object) -> str:
    """ "vrm" -> "Plate", "allowance_per_hour" -> "Allowance per hour"."""
    words = LABELS.get(str(key), str(key).replace("_", " "))
    return words[:1].upper() + words[1:]


def in_words(value: object) -> str:
    """[3, 4] -> "3, 4", True -> "yes", None -> "—", a mapping as "Label: value; …", a moment
    (or ISO 8601 text with its offset) as "14 Jul 2026, 10:05:03 BST"."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(in_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {in_words(value[k])}" for k in ordered(value))
    return str(shown_if_moment(value))


def ordered(value: dict) -> list:
    return sorted(value, key=lambda key: FIRST.index(key) if key in FIRST else len(FIRST))
