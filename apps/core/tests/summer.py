"""A moment in British Summer Time for tests: London shows it an hour ahead of UTC."""

from datetime import UTC, datetime

from django.utils import timezone


def last_july(hour: int = 9, minute: int = 5, second: int = 3) -> datetime:
    """The latest 14 July at this UTC time that is already past (this year's or last year's),
    with a fraction of a second that pages and exports must not show. At 09:05:03 UTC London
    reads 10:05:03 BST."""
    now = timezone.now()
    moment = datetime(now.year, 7, 14, hour, minute, second, 123456, tzinfo=UTC)
    return moment if moment < now else moment.replace(year=now.year - 1)
