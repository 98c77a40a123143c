"""How a moment is written for a person to read: in the force's own zone (TIME_ZONE), with the
zone's name, in one UK format, e.g. "14 Jul 2026, 10:05:03 BST" or "4 Dec 2026, 10:05:03 GMT".

The one home of that rule. Pages use it through the `when` template filter (apps/core/time_filters.py),
messages and e-mails through `shown`, the live alert rows receive it ready written (their JavaScript
formats nothing), and the portal's DATETIME_FORMAT (anpr_site/formats/en_GB/formats.py) is the
same format, so the admin site and any moment rendered without a filter agree. Spreadsheets get
`iso_local`: ISO 8601 with the offset and no fraction of a second, which spreadsheets and scripts
read without guessing the zone.

Stored moments, the API and the national export stay in UTC: machines read those.
"""

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

# Django's date format: day, month as three letters, year, 24-hour time, the zone's abbreviation.
SHOWN_FORMAT = "j M Y, H:i:s T"
# A day on its own (a review due, the day of a decision): the same day, month and year.
SHOWN_DAY_FORMAT = "j M Y"


def shown(moment: datetime | None) -> str:
    """A moment as people read it: "14 Jul 2026, 10:05:03 BST"; empty for none."""
    if moment is None:
        return ""
    return dateformat.format(timezone.localtime(moment), SHOWN_FORMAT)


def shown_day(day: date | datetime | None) -> str:
    """A day as people read it: "4 Dec 2026" (a moment's day in the force's zone); empty for none."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day)
    return dateformat.format(day, SHOWN_DAY_FORMAT)


def iso_local(moment: datetime | None) -> str:
    """A moment for a spreadsheet: "2026-07-14T10:05:03+01:00" in the force's zone; empty for none."""
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def shown_if_moment(value):
    """A value that may be a moment (a datetime, or ISO 8601 text with its offset, as the audit
    trail and the change log hold them) shown as people read moments; anything else as it is."""
    moment = value
    if isinstance(value, str) and len(value) >= 19:
        try:
            moment = parse_datetime(value)
        except ValueError:
            return value
    if not isinstance(moment, datetime) or not timezone.is_aware(moment):
        return value
    try:
        return shown(moment)
    except (OverflowError, ValueError):  # a moment the zone cannot hold (year 1): text someone typed
        return value
