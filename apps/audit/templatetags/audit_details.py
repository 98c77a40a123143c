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

from apps.audit.details import NOTHING, in_words, label, ordered

register = template.Library()


@register.filter
def detail_label(key: object) -> str:
    return label(key)


@register.filter
def as_details(value: object) -> SafeString:
    """A mapping as a list of label and value (nested mappings as nested lists); anything else
    as plain text."""
    if isinstance(value, dict):
        if not value:
            return format_html('<span class="empty">{}</span>', NOTHING)
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((label(k), as_details(value[k])) for k in ordered(value))
        )
        return format_html('<dl class="details">{}</dl>', rows)
    if isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value):
        return format_html(
            '<ol class="details-list">{}</ol>',
            format_html_join("", "<li>{}</li>", ((as_details(v),) for v in value)),
        )
    return format_html("{}", in_words(value))


@register.filter
def detail_value(value: object) -> str:
    return in_words(value)
