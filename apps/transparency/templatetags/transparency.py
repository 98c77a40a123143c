"""Showing the report's figures: a hidden small count reads "fewer than N"."""

from datetime import datetime

from django import template

register = template.Library()


@register.filter
def figure(value, small_count):
    """A count as the public reads it; None is a count hidden by the small-number rule."""
    return f"fewer than {small_count}" if value is None else f"{value:,}"


@register.filter
def entry(mapping, key):
    return mapping.get(key)


@register.filter
def moment(value: str) -> datetime:
    """A moment the report holds as ISO 8601 text (it is cached as plain values)."""
    return datetime.fromisoformat(value)
