"""The details the audit trail keeps as data (a security event's detail, what a job run did, what a
search asked for), shown as people read them: labels in words and values as lists, never a
Python dict or list.

    {% load audit_details %}
    {{ event.detail|as_details }}      a <dl> of label and value, nested where the value is
    {{ key|detail_label }}             "vrm" -> "Plate", "allowance_per_hour" -> "Allowance per hour"
    {{ value|detail_value }}           [3, 4] -> "3, 4", True -> "yes", None -> "—", a moment in
                                       the force's zone ("14 Jul 2026, 10:05:03 BST")
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from apps.core.times import shown_if_moment

register = template.Library()

# The database keeps a detail's keys in an order of its own (jsonb); these lead, in this order.
FIRST = ("action", "before", "after")
# Keys whose own words are not the ones a person would use.
LABELS = {"vrm": "plate", "vrms": "plates", "via": "through", "ip_address": "address"}
NOTHING = "—"


@register.filter
def detail_label(key: object) -> str:
    words = LABELS.get(str(key), str(key).replace("_", " "))
    return words[:1].upper() + words[1:]


@register.filter
def as_details(value: object) -> SafeString:
    """A mapping as a list of label and value (nested mappings as nested lists); anything else
    as plain text."""
    if isinstance(value, dict):
        if not value:
            return format_html('<span class="empty">{}</span>', NOTHING)
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((detail_label(k), as_details(value[k])) for k in _ordered(value))
        )
        return format_html('<dl class="details">{}</dl>', rows)
    if isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value):
        return format_html(
            '<ol class="details-list">{}</ol>',
            format_html_join("", "<li>{}</li>", ((as_details(v),) for v in value)),
        )
    return format_html("{}", _text(value))


@register.filter
def detail_value(value: object) -> str:
    return _text(value)


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(k)}: {_text(value[k])}" for k in _ordered(value))
    return str(shown_if_moment(value))


def _ordered(value: dict) -> list:
    return sorted(value, key=lambda key: FIRST.index(key) if key in FIRST else len(FIRST))
