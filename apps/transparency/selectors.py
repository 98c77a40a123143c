"""The transparency report: monthly figures from the database, small counts hidden, cached.

Every figure comes from one app's selector; nothing here is typed in by hand. The report is
computed at most once per TRANSPARENCY_CACHE_SECONDS and served from the configured cache, so
anonymous callers cannot make the database count reads on demand.

Small-number rule: a count of people's actions on cases (hits and what was done about them,
searches, access requests) from 1 to TRANSPARENCY_SMALL_COUNT - 1 is shown as "fewer than N"
(None here), so nobody who knows of one stop, one search or one request can find it in the
report. Counts of cameras, reads captured, assessments, reviews and retention runs are not
hidden: they describe the system and the force's own decisions about it, never a person.

Settled months only, for people's actions, and then for good: a month's counts of them are
withheld (None) until TRANSPARENCY_SETTLE_DAYS after it ends, when its whole row is published
once and never counted again (PublishedMonth). A running total recounted every hour, or a past
month moved by an outcome recorded late, could be diffed against an earlier copy to date one
stop, search or request to within the hour.
"""

import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from apps.access_requests.models import AccessRequestEvent
from apps.access_requests.selectors import PUBLISHED_STEPS, request_steps_per_month
from apps.assessments.selectors import approvals_per_month, reviews_overdue, reviews_per_month
from apps.audit.models import JobRun
from apps.audit.selectors import job_runs_per_month, last_chain_verification, searches_per_month
from apps.cameras.models import Camera
from apps.cameras.selectors import live_cameras_by_kind, live_cameras_per_month
from apps.core.months import as_moment, month_after, months_back
from apps.hotlists.models import Alert
from apps.hotlists.selectors import AlertsPerMonth, alerts_per_month
from apps.reads.retention import RETENTION_JOB, retention_days
from apps.reads.selectors import oldest_read_held, reads_per_month

from .models import PublishedMonth
from .report import WITHHELD, MonthRow, PeopleFigures, TransparencyReport
from .services import month_publish

CACHE_KEY = "transparency-report:v3"
PREVIOUS_KEY = "transparency-report:v3:previous"  # kept with no expiry, served while recounting
COUNTING_KEY = "transparency-report:v3:counting"
COUNTING_SECONDS = 300  # a count that died is retried after this
MONTHS = 12  # whole months before the current one
OTHER_PURPOSE = "other"


def transparency_report() -> TransparencyReport:
    """The report as last computed, counting it again once TRANSPARENCY_CACHE_SECONDS have passed.

    One caller counts; those arriving meanwhile get the previous copy, so a crowd of anonymous
    callers at the moment the copy expires cannot start a count each.
    """
    # The cache gives back what was stored in it, which its types cannot know (Any).
    report: TransparencyReport | None = cache.get(CACHE_KEY)
    if report is not None:
        return report
    counting = cache.add(COUNTING_KEY, True, COUNTING_SECONDS)
    previous: TransparencyReport | None = cache.get(PREVIOUS_KEY)
    if not counting and previous is not None:
        return previous
    try:
        report = transparency_report_compute()
        cache.set(CACHE_KEY, report, settings.TRANSPARENCY_CACHE_SECONDS)
        cache.set(PREVIOUS_KEY, report, None)
    finally:
        if counting:
            cache.delete(COUNTING_KEY)
    return report


def transparency_report_compute(now: datetime | None = None) -> TransparencyReport:
    """Every figure, counted now, but settled months as first published; small counts hidden;
    plain values only (it is cached)."""
    started = time.perf_counter()
    now = now or timezone.now()
    months = months_back(now, MONTHS)
    since = as_moment(months[0])
    reads = reads_per_month(since)
    alerts = alerts_per_month(since)
    searches = searches_per_month(since)
    requests = request_steps_per_month(since)
    approvals = approvals_per_month(since)
    reviews = reviews_per_month(since)
    retention_runs = job_runs_per_month(RETENTION_JOB, since)
    live = live_cameras_per_month(months)
    purposes = [code for code, _ in settings.SEARCH_PURPOSES]
    # A JSONField gives Any: each holds the MonthRow month_publish stored.
    published: dict[date, MonthRow] = {
        row.month: row.figures for row in PublishedMonth.objects.filter(month__gte=months[0])
    }
    rows: list[MonthRow] = []
    for month in months:
        if month in published:
            rows.append(published[month])
            continue
        final = now >= as_moment(month_after(month)) + timedelta(days=settings.TRANSPARENCY_SETTLE_DAYS)
        people = people_figures(month, alerts, searches, requests, purposes) if final else WITHHELD
        row: MonthRow = {
            "month": f"{month:%Y-%m}",
            "to_date": month == months[-1],
            "final": final,
            "live_cameras": live[month],
            "reads_captured": reads.get(month, 0),
            **people,
            "assessments_approved": approvals.get(month, 0),
            "reviews_done": reviews.get(month, 0),
            "retention_runs": {
                outcome: retention_runs.get((month, outcome), 0) for outcome in JobRun.Outcome.values
            },
        }
        rows.append(month_publish(month, row) if final else row)
    oldest = oldest_read_held()
    verified = last_chain_verification()
    return {
        "force": settings.FORCE_NAME,
        "generated_at": now.isoformat(),
        "computed_in_seconds": round(time.perf_counter() - started, 3),
        "cache_seconds": settings.TRANSPARENCY_CACHE_SECONDS,
        "small_count": settings.TRANSPARENCY_SMALL_COUNT,
        "settle_days": settings.TRANSPARENCY_SETTLE_DAYS,
        "live_cameras": live_cameras_by_kind(),
        "reviews_overdue": reviews_overdue(timezone.localdate(now)),  # the review calendar's day
        "retention": {
            "period_days": retention_days(),
            "oldest_read_seen_at": oldest.isoformat() if oldest else None,
            "oldest_read_age_days": (now - oldest) // timedelta(days=1) if oldest else None,
        },
        "audit_chain": {
            "last_verified_at": verified.at.isoformat() if verified else None,
            "outcome": verified.outcome if verified else None,
        },
        "labels": {
            "camera_kinds": dict(Camera.Kind.choices),
            "alert_outcomes": dict(Alert.Outcome.choices),
            "search_purposes": dict(settings.SEARCH_PURPOSES),
            "access_request_steps": {step: AccessRequestEvent.Kind(step).label for step in PUBLISHED_STEPS},
            "retention_outcomes": dict(JobRun.Outcome.choices),
        },
        "months": rows,
    }


def people_figures(
    month: date,
    alerts: AlertsPerMonth,
    searches: dict[tuple[date, str], int],
    requests: dict[tuple[date, str], int],
    purposes: list[str],
) -> PeopleFigures:
    """A completed month's counts of people's actions, small ones hidden."""
    outcomes = {code: small(alerts["outcomes"].get((month, code), 0)) for code in Alert.Outcome.values}
    by_purpose = dict.fromkeys(purposes, 0)
    for (searched_in, purpose), n in searches.items():
        if searched_in == month:
            # A purpose no longer in SEARCH_PURPOSES still counts, under "other".
            by_purpose[purpose if purpose in by_purpose else OTHER_PURPOSE] += n
    return {
        "hotlist_hits": small(alerts["hits"].get(month, 0)),
        "alerts_acted_on": acted_on_shown(alerts["acted_on"].get(month, 0), outcomes),
        "alert_outcomes": outcomes,
        "searches_by_purpose": {code: small(n) for code, n in by_purpose.items()},
        "access_requests": {step: small(requests.get((month, step), 0)) for step in PUBLISHED_STEPS},
    }


def small(count: int) -> int | None:
    """The count, or None where it is above zero and below TRANSPARENCY_SMALL_COUNT."""
    return None if 0 < count < settings.TRANSPARENCY_SMALL_COUNT else count


def acted_on_shown(acted_on: int, outcome_parts: dict[str, int | None]) -> int | None:
    """The alerts acted on are the sum of their outcomes: shown only when no outcome is hidden,
    or the total less the parts shown would give the hidden ones away."""
    return None if None in outcome_parts.values() else small(acted_on)
