"""The one write the report makes: a settled month's row, published once."""

from datetime import date

from .models import PublishedMonth
from .report import MonthRow


def month_publish(month: date, figures: MonthRow) -> MonthRow:
    """Publish a settled month's row, or return the row already published for it (by another
    process counting at the same moment): the first copy stands."""
    published, _ = PublishedMonth.objects.get_or_create(month=month, defaults={"figures": figures})
    first: MonthRow = published.figures  # a JSONField gives Any: it holds the row first published
    return first
