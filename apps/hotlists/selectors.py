"""Reads of hotlists and alerts, scoped to the user.

Covert lists and their hits: owners only, decided by the list's flag as it is now (a list made
covert hides its earlier hits too). `alerts_visible_to` (for queries) and `hit_audience` with
`may_be_told` (for one list and one person) are that one rule, used by the pages, the API, the
live stream and its catch-up, the ingest reply and the change log.

A cloned-plate suspicion is seen by whoever may see its alert (and its earlier read), and
reviewed by the list's owners.

Alerts are read data. An alert is seen only while its read (`read_seen_at`) is inside the
user's standard access window (apps/reads/access_window.py); an older one only through an
audited search of reads. Historic hits (the read arrived long after it was seen) are shown to
the list's owners only. Opening an alert, and listing alerts beyond the live desk's first page,
is audited (SearchAudit) before anything leaves: `alert_open` and `alerts_listed`.
"""

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.audit.services import search_record
from apps.cameras.models import Camera
from apps.core.months import count_per_month
from apps.core.plates import normalise_vrm
from apps.core.users import User
from apps.reads.access_window import access_grants, visible_q
from apps.reads.filters import ReadFilter
from apps.reads.models import Read
from apps.reads.selectors import SearchNotRecorded, SearchResult, read_opened, reads_search

from .models import Alert, ClonedPlateSuspicion, Hotlist, HotlistEntry

# What an audit row of an alert says it was for, in the search purposes' and references' terms
# (SEARCH_PURPOSES, SEARCH_REFERENCE_PATTERN): the alert's own number, or the list it was on.
ALERT_PURPOSE = "hotlist-alert"
DESK = "ALERT-DESK"
HISTORIC = "HISTORIC-HITS"
CLONED = "CLONED-PLATES"

MANAGE_ALL = "hotlists.change_hotlist"
LATEST_SEEN_FIRST = ("-read_seen_at", "-id")


def hotlists_visible_to(user: User) -> QuerySet[Hotlist]:
    if not user.has_perm("hotlists.view_hotlist"):
        return Hotlist.objects.none()
    if user.has_perm(MANAGE_ALL):
        return Hotlist.objects.all()
    return Hotlist.objects.filter(Q(covert=False) | Q(owners=user)).distinct()


def may_manage_entries(user: User, hotlist: Hotlist) -> bool:
    """Administrators manage every list's entries; owners manage their own list's."""
    return user.has_perm(MANAGE_ALL) or hotlist.owners.filter(pk=user.pk).exists()


def entries_of(hotlist: Hotlist, *, vrm: str = "") -> QuerySet[HotlistEntry]:
    """A list's entries; those whose plate starts with `vrm`, normalised, when one is given."""
    entries = hotlist.entries.all()
    vrm = normalise_vrm(vrm)
    return entries.filter(vrm__startswith=vrm) if vrm else entries


def alerts_visible_to(user: User, *, now: datetime | None = None) -> QuerySet[Alert]:
    """Every alert this user may see: its read inside their standard access window, and a covert
    list's hits or a historic hit only when they own the list."""
    if not user.has_perm("hotlists.view_alert"):
        return Alert.objects.none()
    # The standard window only: an access request reaches older reads through a search naming it.
    window = visible_q(
        access_grants(user, access_request=None, now=now or timezone.now()), seen_at="read_seen_at"
    )
    owned = Hotlist.objects.filter(owners=user).values("pk")
    return (
        Alert.objects.filter(window)
        .filter(Q(hotlist__in=owned) | Q(hotlist__covert=False, historic=False))
        .select_related("hotlist", "camera")
    )


def desk_alerts(user: User) -> QuerySet[Alert]:
    """The live alert desk: alerts raised as their read arrived, the most recently seen first
    (by when the vehicle passed, not when the alert was made: a read that arrived a few minutes
    late takes its place among the others)."""
    return (
        alerts_visible_to(user)
        .filter(historic=False)
        .select_related("cloned_plate")
        .order_by(*LATEST_SEEN_FIRST)
    )


def historic_hits(user: User) -> QuerySet[Alert]:
    """Hits on the user's own lists by reads that arrived late, most recently seen first."""
    return (
        alerts_visible_to(user)
        .filter(historic=True)
        .select_related("cloned_plate")
        .order_by(*LATEST_SEEN_FIRST)
    )


def cloned_plates_visible_to(user: User, *, now: datetime | None = None) -> QuerySet[ClonedPlateSuspicion]:
    """The cloned-plate suspicions this user may see: those of alerts they may see (the covert
    rule, historic hits and the window, as alerts_visible_to says), with the earlier read inside
    their standard window too. Those not yet reviewed first, most recently seen first; then the
    most recently reviewed."""
    now = now or timezone.now()
    window = visible_q(access_grants(user, access_request=None, now=now), seen_at="earlier_read_seen_at")
    return (
        ClonedPlateSuspicion.objects.filter(alert__in=alerts_visible_to(user, now=now))
        .filter(window)
        .select_related("alert__hotlist", "alert__camera", "earlier_camera", "reviewed_by")
        .order_by(F("reviewed_at").desc(nulls_first=True), "-alert__read_seen_at", "-id")
    )


def cloned_plate_of(user: User, alert: Alert) -> ClonedPlateSuspicion | None:
    """The suspicion an alert the user may see raised, if they may see it too."""
    return cloned_plates_visible_to(user).filter(alert=alert).first()


def may_review(user: User, suspicion: ClonedPlateSuspicion) -> bool:
    """A suspicion is reviewed by its list's owners: those who know the vehicle (who may also
    record alerts' outcomes)."""
    owners = suspicion.alert.hotlist.owners
    return user.has_perm("hotlists.change_alert") and owners.filter(pk=user.pk).exists()


def alerts_open(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Those of these alerts no one has recorded an outcome for yet: what waits for action (the
    desk's status filter "open")."""
    return alerts.filter(Alert.in_status(Alert.Status.OPEN))


def alerts_of_read(user: User, read: Read) -> list[dict[str, str]]:
    """For the read's own page (opened, and audited, through a search): the alerts it raised that
    this user may see, in words, each with its page (where opening it is audited in turn)."""
    alerts = (
        alerts_visible_to(user).filter(read_id=read.id, read_seen_at=read.seen_at).order_by("priority", "id")
    )
    return [
        {"summary": _alert_summary(alert), "url": reverse("hotlists:alert_detail", args=[alert.pk])}
        for alert in alerts
    ]


def alert_open(user: User, *, alert_id: int, via: str) -> Alert:
    """One alert the user may see, its opening audited first (raises Alert.DoesNotExist, or
    SearchNotRecorded when the audit row cannot be written: nothing is then shown)."""
    alert = alerts_visible_to(user).get(pk=alert_id)
    _record(
        user,
        kind=SearchAudit.Kind.ALERT,
        reference=alert_reference(alert),
        vrm=alert.vrm,
        filters={"alert": alert.pk},
        result_count=1,
        via=via,
    )
    return alert


def alert_read(user: User, *, alert: Alert, kind: SearchAudit.Kind, via: str) -> Read:
    """The read that raised an alert the user may see (the caller found it through
    alerts_visible_to or alert_open), opened (kind VIEW) or one of its images (IMAGE) under the
    alert's purpose and reference: audited, counted against the hour's allowance and held to the
    access window by the read store (apps/reads/selectors.py). Raises Read.DoesNotExist once the
    read is no longer held; SearchThrottled and SearchNotRecorded as that store does."""
    return read_opened(
        user,
        read_id=alert.read_id,
        seen_at=alert.read_seen_at,
        purpose=ALERT_PURPOSE,
        reference=alert_reference(alert),
        kind=kind,
        via=via,
    )


def alert_read_search(user: User, *, alert: Alert, via: str) -> SearchResult:
    """A search of the read store for exactly the read that raised an alert the user may see
    (its plate, camera and moment), under the alert's purpose and reference: the officer asked
    for the read itself, so its page, images and links follow as from any search. Raises as
    reads_search does (throttled, outside the window, not recorded, or ValidationError when the
    force's purposes or reference pattern do not admit the alert's)."""
    moment = alert.read_seen_at.isoformat()
    criteria = {"vrm": alert.vrm, "camera": alert.camera.code, "seen_after": moment, "seen_before": moment}
    filters = ReadFilter(criteria)
    if not filters.is_valid():  # a camera code since changed, a plate no longer accepted
        raise ValidationError(filters.form.errors.as_text())
    return reads_search(
        user,
        filters=filters,
        purpose=ALERT_PURPOSE,
        reference=alert_reference(alert),
        kind=SearchAudit.Kind.SEARCH,
        via=via,
    )


def alert_reference(alert: Alert) -> str:
    """The reference an alert's audit rows cite: its own number."""
    return f"ALERT-{alert.pk}"


def alerts_listed(
    user: User, *, alerts: list[Alert], listing: str, further: Mapping[str, object], via: str
) -> None:
    """Audit a list of alerts (DESK, HISTORIC, or CLONED: those with cloned-plate suspicions)
    about to be shown; `further` says which page
    (a page number, a cursor, the last alert a reconnecting stream saw) and the filters it was
    narrowed by, empty for the desk's unfiltered first page.

    The live desk's first page is not audited: it is what the stream already pushes to every
    officer on duty, and pages (and API clients in patrol cars) poll it every few seconds, so a
    row each time would bury the trail and say nothing an opened alert's row does not. Paging
    back through the desk, filtering it (by list, camera, period...), and every look at historic
    hits, is a look into the past: audited.
    Raises SearchNotRecorded when the row cannot be written."""
    if listing == DESK and not further:
        return
    _record(
        user,
        kind=SearchAudit.Kind.ALERTS,
        reference=listing,
        vrm="",
        filters={"alerts": [alert.pk for alert in alerts], **further},
        result_count=len(alerts),
        via=via,
    )


def hit_audience(hotlist: Hotlist) -> frozenset[int] | None:
    """Who may be told of this list's hits: everyone with sight of alerts (None) or, while the
    list is covert, only its owners (their user ids)."""
    if not hotlist.covert:
        return None
    return frozenset(hotlist.owners.values_list("id", flat=True))


def may_be_told(audience: Collection[int] | None, user_id: int | None) -> bool:
    """Whether one person may be told of a hit, given the list's `hit_audience`: always for an
    overt list, for a covert one only its owners. `user_id` None is someone no list names (a
    patrol car's crew, answered through its camera's token): overt lists' hits only."""
    return audience is None or (user_id is not None and user_id in audience)


class ReadQuality(TypedDict):
    outcomes: int
    false_reads: int
    false_rate: float | None


def read_quality(camera: Camera) -> ReadQuality:
    """Outcomes officers recorded on this camera's alerts: how often its reads were false."""
    outcomes = Alert.objects.filter(camera=camera).exclude(outcome="")
    total = outcomes.count()
    false = outcomes.filter(outcome=Alert.Outcome.FALSE_READ).count()
    return {"outcomes": total, "false_reads": false, "false_rate": false / total if total else None}


def _alert_summary(alert: Alert) -> str:
    summary = f"{alert.hotlist.name}: {alert.get_reason_display()}, {alert.get_action_display().lower()}"
    if alert.match == Alert.Match.LOOKALIKE:
        summary += f" (look-alike of {alert.entry_vrm})"
    return summary


def _record(
    user: User,
    *,
    kind: SearchAudit.Kind,
    reference: str,
    vrm: str,
    filters: dict[str, object],
    result_count: int,
    via: str,
) -> None:
    # Its own transaction: if the row cannot be written, the alert is not shown.
    try:
        with transaction.atomic():
            search_record(
                user=user,
                kind=kind,
                purpose=ALERT_PURPOSE,
                reference=reference,
                vrm=vrm,
                filters=filters,
                result_count=result_count,
                via=via,
            )
    except DatabaseError as failure:
        raise SearchNotRecorded("Opening alerts could not be recorded in the audit trail.") from failure


class AlertsPerMonth(TypedDict):
    """By UTC month: every hit, those acted on, and those acted on by {(month, outcome): n}."""

    hits: dict[date, int]
    acted_on: dict[date, int]
    outcomes: dict[tuple[date, str], int]


def alerts_per_month(since: datetime) -> AlertsPerMonth:
    """Hits since a moment per UTC month of the hit, covert lists' included (counts only): every
    hit, those acted on (an outcome recorded), and per outcome."""
    alerts = Alert.objects.filter(created_at__gte=since)
    acted_on = alerts.exclude(outcome="")
    return {
        "hits": count_per_month(alerts, "created_at"),
        "acted_on": count_per_month(acted_on, "created_at"),
        "outcomes": count_per_month(acted_on, "created_at", by="outcome"),
    }
