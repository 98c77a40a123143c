"""Calendar months in UTC: the periods public figures are counted in.

One rule for every app that counts by month, so a figure from one app and a figure from another
fall in the same month for the same moment.
"""

from datetime import UTC, date, datetime
from typing import overload

from django.db.models import Count, Model, QuerySet
from django.db.models.functions import TruncMonth


def month_start(moment: datetime) -> date:
    """The first day of the UTC month a moment falls in."""
    return moment.astimezone(UTC).date().replace(day=1)


def months_back(moment: datetime, count: int) -> list[date]:
    """The month of `moment` and the `count` whole months before it, oldest first."""
    first = month_start(moment)
    months = []
    year, month = first.year, first.month
    for _ in range(count + 1):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_after(month: date) -> date:
    """The first day of the month after a month's first day."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def as_moment(month: date) -> datetime:
    """Midnight UTC on the first day of a month."""
    return datetime(month.year, month.month, 1, tzinfo=UTC)


@overload
def count_per_month(rows: QuerySet[Model], moment_field: str) -> dict[date, int]: ...
@overload
def count_per_month(rows: QuerySet[Model], moment_field: str, *, by: str) -> dict[tuple[date, str], int]: ...
def count_per_month(
    rows: QuerySet[Model], moment_field: str, *, by: str | None = None
) -> dict[date, int] | dict[tuple[date, str], int]:
    """Rows counted per UTC month of `moment_field`: {month: n}, or {(month, value of by): n}.

    The caller bounds `rows` in time, so the count uses the field's index and touches no more.
    """
    grouping = ["month", by] if by else ["month"]
    counted = (
        rows.order_by()
        .annotate(month=TruncMonth(moment_field, tzinfo=UTC))
        .values(*grouping)
        .annotate(n=Count("*"))
    )
    if by:
        return {(row["month"].date(), row[by]): row["n"] for row in counted}
    return {row["month"].date(): row["n"] for row in counted}
