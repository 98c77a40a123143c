"""The one write the report makes: a settled month's row, published once."""

from datetime import date
from typing import Any

from .models import PublishedMonth


def month_publish(month: date, figures: dict[str, Any]) -> dict[str, Any]:
    """Publish a settled month's row, or return the row already published for it (by another
    process counting at the same moment): the first copy stands."""
    published, _ = PublishedMonth.objects.get_or_create(month=month, defaults={"figures": figures})
    first: dict[str, Any] = published.figures
    return first
