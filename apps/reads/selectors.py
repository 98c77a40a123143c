"""Every read of the read table goes through here, scoped to the user's access window and audited.

No view, serializer, export, admin page or task queries Read directly.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.audit.models import SearchAudit, SecurityEvent
from apps.audit.services import search_record, security_event_record
from apps.cameras.models import Camera
from apps.core.months import count_per_month
from apps.core.plates import normalise_search, normalise_vrm
from apps.core.purposes import state_purpose
from apps.core.users import User

from .access_window import (
    AccessRequestNotUsable,
    Grant,
    OutsideAccessRequest,
    Period,
    access_grants,
    check_range_reachable,
    check_within_request,
    searched_periods,
    visible_q,
)
from .convoy import Companion, ConvoyTooCostly, travelling_with
from .filters import ConvoyFilter, Criteria, HistoryFilter, ReadFilter, drawn_place
from .hooks import StoredRead
from .journey import Leg, journey
from .models import Read
from .paging import NEWEST, NEWEST_FIRST, Cursor, Page, keyset_page, shown_page
from .partitions import existing_partition_days
from .scenes import Vehicle, seen_at_scenes
from .signals import search_answered

COUNT_CAP = 10_000
# A vehicle history shows the vehicle's newest reads, up to this many, and the legs between them.
HISTORY_LIMIT = 500
# Each read's previous read of its plate, for previous_reads: a backward step on the (vrm, seen_at)
# index from the read's moment. A lateral join, so each is an index probe of the one or two day
# partitions that moment and `within` fall in (the constant bounds let the planner drop the others
# up front), never a scan of a day. Of two reads at one moment the first stored comes first: one
# plate at two places at once is the plainest clone of all.
PREVIOUS_FIELDS = ("id", "seen_at", "latitude", "longitude")
PREVIOUS = f"""
SELECT batch.id, batch.seen_at, previous.*
FROM unnest(%s::bigint[], %s::timestamptz[], %s::varchar[]) AS batch(id, seen_at, vrm)
CROSS JOIN LATERAL (
    SELECT camera_id, {", ".join(PREVIOUS_FIELDS)} FROM reads_read
    WHERE vrm = batch.vrm
      AND seen_at <= batch.seen_at AND seen_at >= batch.seen_at - make_interval(secs => %s)
      AND (seen_at, id) < (batch.seen_at, batch.id)
      AND seen_at >= %s AND seen_at <= %s
    ORDER BY seen_at DESC, id DESC
    LIMIT 1
) AS previous
"""  # noqa: S608 (names from code)
# Each kind of access counts against an allowance per hour: (its setting, what it counts).
SEARCHES = ("READ_SEARCHES_PER_HOUR", "searches")
EXPORTS = ("READ_EXPORTS_PER_HOUR", "exports")
VIEWS = ("READ_VIEWS_PER_HOUR", "opened reads and images")
ALLOWANCES = {
    SearchAudit.Kind.SEARCH: SEARCHES,
    SearchAudit.Kind.HISTORY: SEARCHES,
    SearchAudit.Kind.CONVOY: SEARCHES,
    SearchAudit.Kind.SCENES: SEARCHES,
    SearchAudit.Kind.CASE: VIEWS,
    SearchAudit.Kind.EVIDENCE: EXPORTS,
    SearchAudit.Kind.PAGE: SEARCHES,
    SearchAudit.Kind.EXPORT: EXPORTS,
    SearchAudit.Kind.VIEW: VIEWS,
    SearchAudit.Kind.IMAGE: VIEWS,
}
HOUR = timedelta(hours=1)
# Searches whose results (reads, images, further pages, an export) can be opened again later.
REOPENED = (SearchAudit.Kind.SEARCH, SearchAudit.Kind.HISTORY, SearchAudit.Kind.EXPORT)


class SearchNotRecorded(Exception):
    """The audit row could not be written, so the search is refused."""


class SearchThrottled(Exception):
    """The user made as many searches (or exports, or opened reads) as an hour allows."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SearchResult:
    """A search's reads (newest first), its audit record, and the stretches of time it covered."""

    reads: QuerySet[Read]
    audit: SearchAudit
    periods: list[Period]


def reads_search(
    user: User,
    *,
    filters: Criteria,
    purpose: str,
    reference: str,
    purpose_detail: str | None = None,
    access_request: int | None = None,
    kind: SearchAudit.Kind = SearchAudit.Kind.SEARCH,
    via: str = "portal",
    count_cap: int = COUNT_CAP,
) -> SearchResult:
    """Reads matching valid `filters` that the user may see, newest first; audited before returning.

    The audit row counts the results up to `count_cap` (an export's row limit: its count is
    then exactly the rows exported). Refuses (PermissionDenied) an unusable access request or a
    range wholly outside the window, (OutsideAccessRequest, a ValidationError by criterion)
    criteria outside the access request named, and (SearchThrottled) a user past the hour's
    allowance; each refusal is recorded as a security event. If the audit row cannot be
    written, the search fails with it. The purpose and reference are checked again here
    (ValidationError), whoever calls: forms check them first to show why.
    """
    asked_at = perf_counter()
    stated = state_purpose(purpose=purpose, reference=reference, detail=purpose_detail)
    now = timezone.now()
    grants = _searchable(user, filters, access_request=access_request, kind=kind, via=via, now=now)
    reads = filters.filter_queryset(_visible(grants)).order_by(*NEWEST_FIRST)
    asked = filters.form.cleaned_data.get("vrm") or ""
    with _answered(kind, via, asked_at):
        count = reads.order_by().values("id")[: count_cap + 1].count()
        audit = search_record(
            user=user,
            kind=kind,
            purpose=stated.code,
            purpose_detail=stated.detail,
            reference=stated.reference,
            vrm=normalise_search(asked),
            filters=filters.criteria,
            result_count=min(count, count_cap),
            result_count_capped=count > count_cap,
            access_request_id=access_request,
            via=via,
        )
    return SearchResult(
        reads=reads.select_related("camera"), audit=audit, periods=_periods(grants, filters, now)
    )


def _searchable(
    user: User,
    filters: Criteria,
    *,
    access_request: int | None,
    kind: SearchAudit.Kind,
    via: str,
    now: datetime,
) -> list[Grant]:
    """The grants a search may be answered from, once it is known to be allowed: refused
    (PermissionDenied) with an unusable access request or a range wholly outside the window,
    (OutsideAccessRequest) with criteria outside the access request named, and
    (SearchThrottled) past the hour's allowance; each refusal recorded as a security event."""
    criteria = filters.form.cleaned_data
    try:
        grants = access_grants(user, access_request=access_request, now=now)
        check_within_request(
            grants,
            vrm=criteria.get("vrm") or "",
            seen_after=criteria.get("seen_after"),
            seen_before=criteria.get("seen_before"),
            camera_codes=[code for code in (criteria.get("camera") or "").split(",") if code],
            area=criteria.get("area") or "",
            drawn=drawn_place(criteria),
        )
        check_range_reachable(grants, criteria.get("seen_before"))
    except (PermissionDenied, OutsideAccessRequest) as refused:
        # Recorded like a throttled search: repeated refusals are a misuse signal auditors review.
        security_event_record(
            kind=SecurityEvent.Kind.SEARCH_REFUSED,
            username=user.get_username(),
            detail={
                "refused": kind,
                "reason": type(refused).__name__,
                "access_request": access_request,
                "via": via,
                **_outside(refused),
            },
        )
        raise
    _check_allowance(user, kind, now, via=via)
    return grants


@dataclass(frozen=True)
class ConvoyResult:
    """A convoy search's companions (strongest first, at most CONVOY_LIMIT), its audit record, how
    many of the vehicle's own sightings it looked from, and the stretches of time it covered."""

    companions: list[Companion]
    audit: SearchAudit
    sightings: int
    sightings_capped: bool
    periods: list[Period]


def convoy_search(
    user: User,
    *,
    filters: ConvoyFilter,
    purpose: str,
    reference: str,
    purpose_detail: str | None = None,
    access_request: int | None = None,
    via: str = "portal",
) -> ConvoyResult:
    """The vehicles travelling with one (apps/reads/convoy.py) among the reads the user may see,
    for a valid `filters`; refused, audited and counted against the search allowance exactly as
    reads_search. The audit row is written before anything is returned; its count is the number
    of companions shown."""
    asked_at = perf_counter()
    stated = state_purpose(purpose=purpose, reference=reference, detail=purpose_detail)
    now = timezone.now()
    kind = SearchAudit.Kind.CONVOY
    grants = _searchable(user, filters, access_request=access_request, kind=kind, via=via, now=now)
    window_s, min_cameras = filters.terms
    vrm = normalise_vrm(filters.form.cleaned_data["vrm"])
    sightings = filters.filter_queryset(_visible(grants)).order_by(*NEWEST_FIRST)
    try:
        with _answered(kind, via, asked_at):
            found = travelling_with(
                sightings, _visible(grants), vrm=vrm, window_s=window_s, min_cameras=min_cameras
            )
            audit = search_record(
                user=user,
                kind=kind,
                purpose=stated.code,
                purpose_detail=stated.detail,
                reference=stated.reference,
                vrm=vrm,
                # The plates shown, with the criteria: what left, for an auditor to see.
                filters=filters.criteria | {"shown": [companion.vrm for companion in found.companions]},
                result_count=len(found.companions),
                result_count_capped=found.found > len(found.companions),
                access_request_id=access_request,
                via=via,
            )
    except ConvoyTooCostly as refused:
        # Refused like a search outside the window: repeated, a signal auditors review.
        security_event_record(
            kind=SecurityEvent.Kind.SEARCH_REFUSED,
            username=user.get_username(),
            detail={"refused": kind, "reason": type(refused).__name__, "via": via},
        )
        raise
    return ConvoyResult(
        companions=found.companions,
        audit=audit,
        sightings=found.sightings,
        sightings_capped=found.sightings_capped,
        periods=_periods(grants, filters, now),
    )


@dataclass(frozen=True)
class ScenesResult:
    """The vehicles seen at enough of the scenes (at most SCENES_LIMIT), and the audit record."""

    vehicles: list[Vehicle]
    audit: SearchAudit


def scenes_search(
    user: User,
    *,
    scenes: list[ReadFilter],
    at_least: int,
    purpose: str,
    reference: str,
    purpose_detail: str | None = None,
    access_request: int | None = None,
    via: str = "portal",
) -> ScenesResult:
    """The vehicles seen at `at_least` of `scenes` (valid filters, each a place and a time of at
    most a day: apps/reads/scenes.py) among the reads the user may see; each scene is refused
    as a search of it would be, the whole audited once and counted as one search."""
    asked_at = perf_counter()
    stated = state_purpose(purpose=purpose, reference=reference, detail=purpose_detail)
    now = timezone.now()
    kind = SearchAudit.Kind.SCENES
    # Each scene is checked against the window and the access request; all share the same grants.
    for scene in scenes:
        grants = _searchable(user, scene, access_request=access_request, kind=kind, via=via, now=now)
    with _answered(kind, via, asked_at):
        vehicles, found = seen_at_scenes(
            [scene.filter_queryset(_visible(grants)) for scene in scenes], at_least=at_least
        )
        audit = search_record(
            user=user,
            kind=kind,
            purpose=stated.code,
            purpose_detail=stated.detail,
            reference=stated.reference,
            vrm="",
            # The plates shown, with the criteria: what left, for an auditor to see.
            filters={
                "scenes": [scene.criteria for scene in scenes],
                "at_least": at_least,
                "shown": [vehicle.vrm for vehicle in vehicles],
            },
            result_count=len(vehicles),
            result_count_capped=found > len(vehicles),
            access_request_id=access_request,
            via=via,
        )
    return ScenesResult(vehicles=vehicles, audit=audit)


@dataclass(frozen=True)
class HistoryResult:
    """A vehicle history: its search (audited), the newest HISTORY_LIMIT of the reads it found,
    oldest first, and the journey's legs between them (apps/reads/journey.py)."""

    search: SearchResult
    reads: list[Read]
    legs: list[Leg[Read]]


def history_search(
    user: User,
    *,
    filters: HistoryFilter,
    purpose: str,
    reference: str,
    purpose_detail: str | None = None,
    access_request: int | None = None,
    via: str = "portal",
) -> HistoryResult:
    """One vehicle's reads that the user may see, searched (kind HISTORY) exactly as reads_search
    does: refused, audited and counted the same. The journey is worked out from the reads that
    search returned, and from nothing else, so its figures never reach past the access window."""
    result = reads_search(
        user,
        filters=filters,
        purpose=purpose,
        reference=reference,
        purpose_detail=purpose_detail,
        access_request=access_request,
        kind=SearchAudit.Kind.HISTORY,
        via=via,
    )
    reads = list(result.reads[:HISTORY_LIMIT])[::-1]
    return HistoryResult(search=result, reads=reads, legs=journey(reads))


def search_of(user: User, search_id: int) -> SearchAudit:
    """The user's own earlier search of a kind that is reopened (a search, an export, a vehicle
    history), by its audit record's id; SearchAudit.DoesNotExist for another's exactly as for none."""
    return SearchAudit.objects.get(pk=search_id, user_id=user.pk, kind__in=REOPENED)


def reads_of_search(user: User, *, search_id: int) -> SearchResult:
    """The results of the user's own earlier search, found again as they stood when it was made
    (nothing seen or received since), its stored criteria applied to what the user may see now.
    Raises SearchAudit.DoesNotExist when it is not theirs to reopen (another's, a read opened
    rather than a search, or criteria no longer valid), and PermissionDenied when the access
    request it was made under is no longer usable."""
    search, filters = _earlier_search(user, search_id)
    grants = access_grants(user, access_request=search.access_request_id, now=timezone.now())
    reads = filters.filter_queryset(_visible(grants)).filter(
        seen_at__lte=search.at, received_at__lte=search.at
    )
    return SearchResult(
        reads=reads.order_by(*NEWEST_FIRST).select_related("camera"),
        audit=search,
        periods=_periods(grants, filters, search.at),
    )


def search_page(
    user: User,
    *,
    search_id: int,
    size: int,
    sort: str = NEWEST,
    cursor: Cursor | None = None,
    via: str = "portal",
) -> tuple[Page, SearchResult]:
    """A page of the user's own earlier search, either way and in any order offered: part of
    that search, not a new one (its criteria, window and purpose; its results frozen at its
    moment). A further page is recorded before it is shown (search_continued, page_record)."""
    result = search_continued(user, search_id=search_id, via=via)
    page = keyset_page(result.reads, size=size, sort=sort, cursor=cursor)
    page_record(user, result.audit, shown=len(page.reads), position=shown_page(page), via=via)
    return page, result


def search_continued(user: User, *, search_id: int, via: str = "portal") -> SearchResult:
    """The user's own earlier search, for a further page of it: counted against the hour's
    search allowance like the search itself, so one search cannot be paged through without
    limit. Only a search is paged: an export and a vehicle history keep their own row limits.
    Raises as reads_of_search, and SearchThrottled."""
    _check_allowance(user, SearchAudit.Kind.PAGE, timezone.now(), via=via)
    result = reads_of_search(user, search_id=search_id)
    if result.audit.kind != SearchAudit.Kind.SEARCH:
        raise SearchAudit.DoesNotExist("Only a search is paged through; search again.")
    return result


def page_record(
    user: User, search: SearchAudit, *, shown: int, position: Mapping[str, object], via: str
) -> None:
    """Record a further page of `search` before it is shown: under that search's purpose,
    reference and access request, naming it and what the page holds (`position`: paging's
    shown_page), so the audit shows every read that left. Raises SearchNotRecorded when the
    record cannot be written."""
    try:
        search_record(
            user=user,
            kind=SearchAudit.Kind.PAGE,
            purpose=search.purpose,
            purpose_detail=search.purpose_detail,
            reference=search.reference,
            vrm=search.vrm,
            filters={"search": search.pk, **position},
            result_count=shown,
            access_request_id=search.access_request_id,
            via=via,
        )
    except DatabaseError as failure:
        raise SearchNotRecorded(
            "The page could not be recorded in the audit trail, so it was not shown."
        ) from failure


def search_rerun(
    user: User, *, search_id: int, kind: SearchAudit.Kind, via: str = "portal", count_cap: int = COUNT_CAP
) -> SearchResult:
    """The user's own earlier search run again as `kind` (an export of its results), under its
    purpose, reference and access request; audited like any search."""
    search, filters = _earlier_search(user, search_id)
    return reads_search(
        user,
        filters=filters,
        purpose=search.purpose,
        purpose_detail=search.purpose_detail,
        reference=search.reference,
        access_request=search.access_request_id,
        kind=kind,
        via=via,
        count_cap=count_cap,
    )


def _earlier_search(user: User, search_id: int) -> tuple[SearchAudit, ReadFilter]:
    search = search_of(user, search_id)
    filters = ReadFilter(search.filters)
    if not filters.is_valid():
        raise SearchAudit.DoesNotExist("The search's criteria are no longer accepted; search again.")
    try:  # a purpose the force no longer lists, or a search from before purposes were listed
        state_purpose(purpose=search.purpose, reference=search.reference, detail=search.purpose_detail)
    except ValidationError as stale:
        raise SearchAudit.DoesNotExist("The search's purpose is no longer accepted; search again.") from stale
    return search, filters


def read_from_search(
    user: User,
    *,
    search_id: int,
    day: date,
    read_id: int,
    kind: SearchAudit.Kind = SearchAudit.Kind.VIEW,
    via: str = "portal",
) -> tuple[Read, SearchAudit]:
    """One read of the user's own earlier search, only if it still meets that search's criteria
    and the user's access window; opening it (or one of its images: kind IMAGE) is audited first.

    Raises Read.DoesNotExist or SearchAudit.DoesNotExist when either is not theirs to open.
    """
    _check_allowance(user, kind, timezone.now(), via=via)
    result = reads_of_search(user, search_id=search_id)
    search = result.audit
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    read = result.reads.get(id=read_id, seen_at__gte=start, seen_at__lt=start + timedelta(days=1))
    try:
        search_record(
            user=user,
            kind=kind,
            purpose=search.purpose,
            purpose_detail=search.purpose_detail,
            reference=search.reference,
            vrm=read.vrm,
            filters={"read": read.id, "search": search.pk},
            result_count=1,
            access_request_id=search.access_request_id,
            via=via,
        )
    except DatabaseError as failure:
        raise SearchNotRecorded("Opening the read could not be recorded in the audit trail.") from failure
    return read, search


def read_opened(
    user: User,
    *,
    read_id: int,
    seen_at: datetime,
    purpose: str,
    reference: str,
    kind: SearchAudit.Kind = SearchAudit.Kind.VIEW,
    via: str = "portal",
) -> Read:
    """One read named by its key (as an alert names the read that raised it), only inside the
    user's standard access window; opening it (or one of its images: kind IMAGE) is audited
    first under the caller's purpose and reference, and counted against the same allowance as a
    read opened from a search. The caller has already decided the user may know of the read (an
    alert they may see): this adds the read's own data, never a way to find reads.

    Raises Read.DoesNotExist when it is outside the window or no longer held.
    """
    now = timezone.now()
    _check_allowance(user, kind, now, via=via)
    grants = access_grants(user, access_request=None, now=now)
    read = _visible(grants).select_related("camera").get(id=read_id, seen_at=seen_at)
    try:
        with transaction.atomic():  # its own savepoint: the caller's page goes on without the read
            search_record(
                user=user,
                kind=kind,
                purpose=purpose,
                reference=reference,
                vrm=read.vrm,
                filters={"read": read.id},
                result_count=1,
                via=via,
            )
    except DatabaseError as failure:
        raise SearchNotRecorded("Opening the read could not be recorded in the audit trail.") from failure
    return read


@dataclass(frozen=True)
class ReadKey:
    """A read named by its key, as a record kept outside the read store names it (a case folder's
    item), with the access request it was first reached under (None: the standard window)."""

    id: int
    seen_at: datetime
    access_request_id: int | None = None


@dataclass(frozen=True)
class NamedReads:
    """The reads of those named that the user may see, by (id, seen_at), and the audit record of
    their opening."""

    reads: dict[tuple[int, datetime], Read]
    audit: SearchAudit


def reads_named(
    user: User,
    *,
    keys: Sequence[ReadKey],
    kind: SearchAudit.Kind,
    purpose: str,
    reference: str,
    purpose_detail: str | None = None,
    filters: Mapping[str, object],
    via: str = "portal",
) -> NamedReads:
    """Those of the reads named by `keys` that the user may see now, by (id, seen_at): each inside
    the user's standard window, or inside the access request it was reached under while the user
    may still search under it (only its requester, approved and unexpired). A read outside both,
    or no longer held, is simply absent: whoever filed it, it opens to no one past their window.

    Audited first as `kind` (a case folder opened, an evidential export, an image) under the
    caller's purpose and reference, naming `filters` and every read that leaves; counted against
    that kind's allowance. Raises SearchThrottled and SearchNotRecorded as a search does."""
    now = timezone.now()
    _check_allowance(user, kind, now, via=via)
    found: dict[tuple[int, datetime], Read] = {}
    for access_request, named in _by_request(keys).items():
        visible = _visible(_grants_still_held(user, access_request, now))
        for read in visible.filter(_keys_q(named)).select_related("camera"):
            found[(read.id, read.seen_at)] = read
    try:
        with transaction.atomic():
            audit = search_record(
                user=user,
                kind=kind,
                purpose=purpose,
                purpose_detail=purpose_detail,
                reference=reference,
                vrm=_one_plate(found.values()),
                filters={**filters, "reads": sorted(read.id for read in found.values())},
                result_count=len(found),
                via=via,
            )
    except DatabaseError as failure:
        raise SearchNotRecorded("Opening the reads could not be recorded in the audit trail.") from failure
    return NamedReads(reads=found, audit=audit)


def read_trail(*, read_id: int, search_id: int) -> list[SearchAudit]:
    """The audit rows through which a read was reached, oldest first: the search that found it,
    and each opening of it (the read, its images) under that search, as read_from_search records
    them. Only the search's maker opens its reads, so only their rows since it are looked at."""
    search = SearchAudit.objects.filter(pk=search_id).first()
    if search is None:  # past audit retention
        return []
    opened = SearchAudit.objects.filter(
        user_id=search.user_id,
        at__gte=search.at,
        kind__in=(SearchAudit.Kind.VIEW, SearchAudit.Kind.IMAGE),
        filters__search=search_id,
        filters__read=read_id,
    )
    return [search, *opened.order_by("at", "id")]


def _by_request(keys: Sequence[ReadKey]) -> dict[int | None, list[ReadKey]]:
    grouped: dict[int | None, list[ReadKey]] = {}
    for key in keys:
        grouped.setdefault(key.access_request_id, []).append(key)
    return grouped


def _grants_still_held(user: User, access_request: int | None, now: datetime) -> list[Grant]:
    # The request a read was reached under widens the window only while this user may use it.
    try:
        return access_grants(user, access_request=access_request, now=now)
    except AccessRequestNotUsable:
        return access_grants(user, access_request=None, now=now)


def _keys_q(keys: Sequence[ReadKey]) -> Q:
    # The outer range lets PostgreSQL prune the day partitions before matching each key.
    moments = [key.seen_at for key in keys]
    exact = Q()
    for key in keys:
        exact |= Q(id=key.id, seen_at=key.seen_at)
    return Q(seen_at__gte=min(moments), seen_at__lte=max(moments)) & exact


def _one_plate(reads: Iterable[Read]) -> str:
    # The audit's plate column names one plate; reads of several are named in `filters` by id.
    plates = {read.vrm for read in reads}
    return plates.pop() if len(plates) == 1 else ""


@contextmanager
def _answered(kind: SearchAudit.Kind, via: str, asked_at: float) -> Iterator[None]:
    """Around a search's answer and its audit row: one transaction, so no answer leaves without
    its row; a row that cannot be written refuses the search (SearchNotRecorded); and the time
    from `asked_at` to the row written is reported (search_answered)."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as failure:
        raise SearchNotRecorded(
            "The search could not be recorded in the audit trail, so it was not run."
        ) from failure
    search_answered.send_robust(sender=Read, kind=kind, via=via, seconds=perf_counter() - asked_at)


def _check_allowance(user: User, kind: SearchAudit.Kind, now: datetime, *, via: str) -> None:
    """Refuse (and record the refusal) when the user used up the hour's allowance for this kind."""
    setting, counted = ALLOWANCES[kind]
    allowance = getattr(settings, setting)
    same = [other for other, shared in ALLOWANCES.items() if shared == ALLOWANCES[kind]]
    recent = SearchAudit.objects.filter(user_id=user.pk, kind__in=same, at__gte=now - HOUR)
    if recent.count() < allowance:
        return
    oldest = recent.order_by("at").values_list("at", flat=True).first()
    # An allowance of none (a force switching a kind of access off) refuses with nothing to wait for.
    retry_after = (
        max(1, int((oldest + HOUR - now).total_seconds()) + 1) if oldest else int(HOUR.total_seconds())
    )
    security_event_record(
        kind=SecurityEvent.Kind.THROTTLED,
        username=user.get_username(),
        detail={"refused": kind, "allowance_per_hour": allowance, "via": via},
    )
    raise SearchThrottled(
        f"You have reached the limit of {allowance} {counted} an hour. "
        f"Try again in {retry_after // 60 + 1} minutes; if your work needs more, ask your supervisor.",
        retry_after=retry_after,
    )


def _visible(grants: list[Grant]) -> QuerySet[Read]:
    return Read.objects.filter(visible_q(grants))


def _outside(refused: Exception) -> dict[str, list[str]]:
    # Which criteria fell outside the access request: what an auditor reviewing refusals needs.
    return {"outside": sorted(refused.message_dict)} if isinstance(refused, OutsideAccessRequest) else {}


def _periods(grants: list[Grant], filters: Criteria, until: datetime) -> list[Period]:
    criteria = filters.form.cleaned_data
    return searched_periods(
        grants, seen_after=criteria.get("seen_after"), seen_before=criteria.get("seen_before"), until=until
    )


def reads_held_from(camera_codes: list[str], *, within: timedelta = timedelta(days=7)) -> bool:
    """Whether these cameras sent any read lately (a system question: no read leaves).

    Bounded in time, like every query of the read table, so only a few partitions are touched.
    """
    since = timezone.now() - within
    return Read.objects.filter(camera__code__in=camera_codes, seen_at__gte=since).exists()


def previous_reads(reads: list[StoredRead], *, within: timedelta) -> list[tuple[Read, Read]]:
    """For reads just stored, each one's previous read of the same plate (the latest seen before
    it, no more than `within` before), as (previous, read) with their cameras; a read with none is
    left out. A system check on ingest, not a person's search: nothing of it is shown but what the
    caller records (apps/hotlists/cloned_plates.py).

    One statement for the whole batch (PREVIOUS), and one for the cameras named."""
    if not reads:
        return []
    first, latest = min(read.seen_at for read in reads), max(read.seen_at for read in reads)
    with connection.cursor() as cursor:
        cursor.execute(
            PREVIOUS,
            [
                [read.id for read in reads],
                [read.seen_at for read in reads],
                [read.vrm for read in reads],
                within.total_seconds(),
                first - within,
                latest,
            ],
        )
        rows = cursor.fetchall()
    stored = {(read.id, read.seen_at): read for read in reads}
    found = [(stored[(read_id, seen_at)], camera_id, fields) for read_id, seen_at, camera_id, *fields in rows]
    cameras = Camera.objects.in_bulk(
        {id_ for read, camera_id, _ in found for id_ in (read.camera_id, camera_id)}
    )
    # Reads built from what is known of them, not fetched again: where each was made is then
    # Read.position's to say, as for any read.
    return [
        (
            Read(**dict(zip(PREVIOUS_FIELDS, fields, strict=True)), camera=cameras[camera_id], vrm=read.vrm),
            Read(
                id=read.id,
                seen_at=read.seen_at,
                camera=cameras[read.camera_id],
                vrm=read.vrm,
                latitude=read.latitude,
                longitude=read.longitude,
            ),
        )
        for read, camera_id, fields in found
    ]


def reads_for_national_export(
    day: date, fields: tuple[str, ...], received: tuple[datetime | None, datetime]
) -> Iterator[tuple[object, ...]]:
    """The reads of one UTC day received in [from, before) (from None: the first), in a fixed
    order, for the national export. A system job's read, not a person's search: it is recorded
    as a job run (audit.JobRun), not a search."""
    return _received(day, received).order_by("seen_at", "id").values_list(*fields).iterator(chunk_size=5000)


def reads_received_late(day: date, received: tuple[datetime | None, datetime]) -> bool:
    """Whether any read of a day was received in [from, before): one for a supplement."""
    return _received(day, received).exists()


def _received(day: date, received: tuple[datetime | None, datetime]) -> QuerySet[Read]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    received_from, received_before = received
    reads = Read.objects.filter(
        seen_at__gte=start, seen_at__lt=start + timedelta(days=1), received_at__lt=received_before
    )
    return reads.filter(received_at__gte=received_from) if received_from else reads


def oldest_read_held() -> datetime | None:
    """When the oldest read still stored was seen: anyone can check retention is kept."""
    for day in sorted(existing_partition_days()):
        start = datetime.combine(day, time.min, tzinfo=UTC)
        oldest = (
            Read.objects.filter(seen_at__gte=start, seen_at__lt=start + timedelta(days=1))
            .order_by("seen_at")
            .values_list("seen_at", flat=True)
            .first()
        )
        if oldest:
            return oldest
    return None


def reads_per_month(since: datetime) -> dict[date, int]:
    """How many reads are held from a moment on, per UTC month seen (a count: no read leaves).

    One grouped count over the day partitions from `since`, which PostgreSQL prunes to and can
    count in parallel; it reads each row's seen_at once. The public report caches the answer.
    """
    return count_per_month(Read.objects.filter(seen_at__gte=since), "seen_at")
