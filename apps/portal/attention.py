"""What waits for a user, as their home page shows it: counts that link to the lists behind them.

Each figure is counted by a selector of the app that owns what it counts, scoped to the user as
that app scopes its own pages, in one query; and it is shown only to holders of the permissions
its list asks for, so a figure never counts what its list would not show. Where the list can be
filtered to what the figure counts, the link carries that filter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from apps.access_requests.selectors import (
    approvals_granted,
    decisions_unseen,
    pending_queue,
    requests_waiting,
)
from apps.accounts.selectors import locked_usernames
from apps.assessments.selectors import (
    assessments_submitted,
    awaiting_decision,
    cameras_awaiting_assessment,
    reviews_due,
    reviews_overdue,
)
from apps.audit.models import SecurityEvent
from apps.audit.selectors import failed_sign_ins, jobs_failing
from apps.hotlists.selectors import alerts_open, desk_alerts, historic_hits
from apps.misuse.selectors import misuse_flags_open

# How far back the failed sign-ins figure looks: today and the days before it.
SIGN_IN_DAYS = 7


@dataclass(frozen=True)
class Figure:
    """One count on the home page and the list it links to."""

    name: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Measure:
    """How one figure is counted, where its list is, and who may see it."""

    name: str
    label: str
    permissions: tuple[str, ...]
    count: Callable[..., int]  # (user, now) -> the figure
    url: Callable[[datetime], str]  # (now) -> its list, filtered where the list allows


def figures_for(user, *, now: datetime | None = None) -> list[Figure]:
    """The figures this user may see, counted now, in the order of MEASURES."""
    now = now or timezone.now()
    return [
        Figure(measure.name, measure.label, measure.count(user, now), measure.url(now))
        for measure in MEASURES
        if user.has_perms(measure.permissions)
    ]


def _url(name: str, **query: str) -> Callable[[datetime], str]:
    return lambda now: reverse(name) + (f"?{urlencode(query)}" if query else "")


def _failed_sign_ins_url(now: datetime) -> str:
    query = {"kind": SecurityEvent.Kind.LOGIN_FAILED.value, "after": _first_day(now).isoformat()}
    return f"{reverse('audit:security_events')}?{urlencode(query)}"


def _first_day(now: datetime) -> date:
    return timezone.localdate(now) - timedelta(days=SIGN_IN_DAYS - 1)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "open-alerts",
        "Open alerts: no outcome recorded",
        ("hotlists.view_alert",),
        lambda user, now: alerts_open(desk_alerts(user)).count(),
        _url("hotlists:alerts", status="open"),
    ),
    Measure(
        "open-historic-hits",
        "Late hits on your lists: no outcome recorded",
        ("hotlists.view_alert",),
        lambda user, now: alerts_open(historic_hits(user)).count(),
        _url("hotlists:historic_alerts"),
    ),
    Measure(
        "requests-waiting",
        "Your access requests waiting for a decision",
        ("access_requests.add_accessrequest",),
        lambda user, now: requests_waiting(user).count(),
        _url("access_requests:mine"),
    ),
    Measure(
        "decisions-unseen",
        "Decisions on your access requests not yet seen",
        ("access_requests.add_accessrequest",),
        lambda user, now: decisions_unseen(user).count(),
        _url("access_requests:mine"),
    ),
    Measure(
        "requests-to-decide",
        "Access requests waiting for your decision",
        ("access_requests.decide_accessrequest",),
        lambda user, now: pending_queue(user).count(),
        _url("access_requests:queue"),
    ),
    Measure(
        "approvals-granted",
        "Approvals you granted, in force",
        ("access_requests.decide_accessrequest",),
        lambda user, now: approvals_granted(user, now=now).count(),
        _url("access_requests:granted"),
    ),
    Measure(
        "assessments-to-decide",
        "Assessments waiting for your decision",
        ("assessments.approve_assessment",),
        lambda user, now: awaiting_decision(user).count(),
        _url("assessments:list", status="submitted"),
    ),
    Measure(
        "assessments-submitted",
        "Assessments waiting for a decision",
        ("assessments.add_assessment",),
        lambda user, now: assessments_submitted(user).count(),
        _url("assessments:list", status="submitted"),
    ),
    Measure(
        "reviews-overdue",
        "Camera reviews overdue",
        ("assessments.add_review",),
        lambda user, now: reviews_overdue(timezone.localdate(now)),
        _url("assessments:reviews"),
    ),
    Measure(
        "reviews-due",
        "Camera reviews due within 30 days, overdue included",
        ("assessments.add_review",),
        lambda user, now: reviews_due(timezone.localdate(now)).count(),
        _url("assessments:reviews"),
    ),
    Measure(
        "cameras-awaiting-assessment",
        "Proposed cameras without an approved assessment",
        ("assessments.add_assessment", "cameras.view_camera"),
        lambda user, now: cameras_awaiting_assessment().count(),
        _url("cameras:list"),
    ),
    Measure(
        "misuse-flags-open",
        "Misuse flags open",
        ("audit.view_searchaudit",),
        lambda user, now: misuse_flags_open().count(),
        _url("misuse:flags", status="open"),
    ),
    Measure(
        "failed-sign-ins",
        f"Failed sign-ins in the last {SIGN_IN_DAYS} days",
        ("audit.view_securityevent",),
        lambda user, now: failed_sign_ins(since=_first_day(now)).count(),
        _failed_sign_ins_url,
    ),
    Measure(
        "jobs-failing",
        "Scheduled jobs whose last run failed",
        ("audit.view_jobrun",),
        lambda user, now: jobs_failing().count(),
        _url("audit:jobs"),
    ),
    Measure(
        "locked-accounts",
        "Accounts locked after failed sign-ins",
        ("accounts.view_user",),
        lambda user, now: len(locked_usernames()),
        _url("accounts:user_list"),
    ),
)
