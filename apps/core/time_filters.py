"""`{{ moment|when }}`: every moment a page shows, as apps/core/times.py writes it.

A built-in of the portal's templates (TEMPLATES in settings), so no template loads it.
"""

from django import template

from .times import shown_if_moment

register = template.Library()


@register.filter(expects_localtime=False)
def when(value):
    """A moment (or ISO 8601 text holding one, as audit rows keep criteria) in the force's zone
    and the portal's one format; other values pass unchanged, None as an empty string (so
    `|when|default:"never"` reads naturally)."""
    if value is None:
        return ""
    return shown_if_moment(value)
