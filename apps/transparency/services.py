"""The one write the report makes: a settled month's row, published once."""

from datetime import date

from .models import PublishedMonth


def month_publish(month: date, figures: dict) -> dict:
    """Publish a settled month's row, or return the row already published for it (by another
    process counting at the same moment): the first copy stands."""
    published, _ = PublishedMonth.objects.get_or_create(month=month, defaults={"figures": figures})
    return published.figures
