"""The shape of the transparency report: its figures, each month's row, and what they count.

Plain values only (the report is cached, and each settled month's row is stored as JSON);
moments are ISO 8601 texts, months "YYYY-MM". A count of people's actions is None where it is
hidden as small or withheld until its month has settled (apps/transparency/selectors.py).
"""

from typing import TypedDict


class PeopleFigures(TypedDict):
    """A month's counts of people's actions: each None while the month is not settled; once it
    is, each count None where it is small."""

    hotlist_hits: int | None
    alerts_acted_on: int | None
    alert_outcomes: dict[str, int | None] | None
    searches_by_purpose: dict[str, int | None] | None
    access_requests: dict[str, int | None] | None


# A month not yet settled: none of its counts of people's actions is published.
WITHHELD = PeopleFigures(
    hotlist_hits=None,
    alerts_acted_on=None,
    alert_outcomes=None,
    searches_by_purpose=None,
    access_requests=None,
)
PEOPLE_FIGURES = tuple(WITHHELD)


class MonthRow(PeopleFigures):
    """One month of the report; a settled month's row is published once and kept."""

    month: str
    to_date: bool
    final: bool
    live_cameras: dict[str, int] | None
    reads_captured: int
    assessments_approved: int
    reviews_done: int
    retention_runs: dict[str, int]


class Retention(TypedDict):
    period_days: int
    oldest_read_seen_at: str | None
    oldest_read_age_days: int | None


class AuditChain(TypedDict):
    last_verified_at: str | None
    outcome: str | None


class Labels(TypedDict):
    """What each code in the report stands for, by kind of code."""

    camera_kinds: dict[str, str]
    alert_outcomes: dict[str, str]
    search_purposes: dict[str, str]
    access_request_steps: dict[str, str]
    retention_outcomes: dict[str, str]


class TransparencyReport(TypedDict):
    force: str
    generated_at: str
    computed_in_seconds: float
    cache_seconds: int
    small_count: int
    settle_days: int
    live_cameras: dict[str, int]
    reviews_overdue: int
    retention: Retention
    audit_chain: AuditChain
    labels: Labels
    months: list[MonthRow]
