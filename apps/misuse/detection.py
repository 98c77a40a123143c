"""The misuse patterns, each looked for in one complete UTC day of the audit trail.

`candidates_for_day(day)` returns what the day's rows show; apps/misuse/services.py raises a flag
for each candidate not raised before. Only complete days are examined, so a day's evidence never
changes once looked at and a repeated run cites exactly the same rows. docs/misuse-flags.md
explains each pattern and its thresholds (the MISUSE_* settings).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.access_requests.models import AccessRequest, AccessRequestEvent
from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.models import Camera
from apps.core.times import shown

from .models import MisuseFlag

Kind = MisuseFlag.Kind
# What a user asked for themselves; further pages, opened reads and images follow from these.
ASKED = (SearchAudit.Kind.SEARCH, SearchAudit.Kind.HISTORY, SearchAudit.Kind.CONVOY, SearchAudit.Kind.EXPORT)
REFUSED = (SecurityEvent.Kind.THROTTLED, SecurityEvent.Kind.SEARCH_REFUSED)
ENDED = (AccessRequestEvent.Kind.REVOKED, AccessRequestEvent.Kind.EXPIRED)


@dataclass(frozen=True)
class Candidate:
    """A flag the evidence supports: who, which rows, and in words why."""

    kind: str
    username: str
    user_id: int | None
    summary: str
    search_ids: tuple[int, ...] = ()
    event_ids: tuple[int, ...] = ()
    details: dict = field(default_factory=dict)


def candidates_for_day(day: date) -> list[Candidate]:
    """Every pattern found in the audit rows written on this UTC day."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    end = start + timedelta(days=1)
    searches = list(SearchAudit.objects.filter(at__gte=start, at__lt=end).order_by("at", "id"))
    asked = [search for search in searches if search.kind in ASKED and search.vrm]
    return [
        *plate_under_references(asked),
        *plate_beyond_window(asked),
        *many_plates(asked),
        *refusals(start, end),
        *outside_request_scope(searches),
        *unusual_hours(searches, start),
    ]


def plate_under_references(asked: list[SearchAudit]) -> Iterable[Candidate]:
    """1a. One user searching one plate under MISUSE_REFERENCES_PER_PLATE or more references."""
    for (username, user_id, vrm), rows in _group(asked, lambda s: (s.username, s.user_id, s.vrm)).items():
        references = sorted({row.reference for row in rows})
        if len(references) >= settings.MISUSE_REFERENCES_PER_PLATE:
            yield Candidate(
                Kind.PLATE_REFERENCES,
                username,
                user_id,
                f"{vrm} searched {len(rows)} times under {len(references)} references: "
                f"{', '.join(references)}.",
                search_ids=_ids(rows),
                details={"vrm": vrm, "references": references},
            )


def plate_beyond_window(asked: list[SearchAudit]) -> Iterable[Candidate]:
    """1b. Plates searched back past the standard window without an access request."""
    standard = timedelta(days=settings.READ_ACCESS_STANDARD_DAYS)
    beyond = [
        search
        for search in asked
        if search.access_request_id is None
        and (after := _moment(search.filters.get("seen_after"))) is not None
        and after < search.at - standard
    ]
    for (username, user_id), rows in _group(beyond, lambda s: (s.username, s.user_id)).items():
        plates = sorted({row.vrm for row in rows})
        yield Candidate(
            Kind.BEYOND_WINDOW,
            username,
            user_id,
            f"{len(rows)} searches of {', '.join(plates)} asked for reads older than "
            f"{settings.READ_ACCESS_STANDARD_DAYS} days without an access request.",
            search_ids=_ids(rows),
            details={"vrms": plates},
        )


def many_plates(asked: list[SearchAudit]) -> Iterable[Candidate]:
    """2. MISUSE_PLATES_IN_BURST or more distinct plates by one user within MISUSE_BURST_MINUTES.
    Once a burst is flagged, the next is looked for after it, so one spree is one flag."""
    span = timedelta(minutes=settings.MISUSE_BURST_MINUTES)
    for (username, user_id), rows in _group(asked, lambda s: (s.username, s.user_id)).items():
        first = 0
        while first < len(rows):
            last = first
            while last + 1 < len(rows) and rows[last + 1].at - rows[first].at <= span:
                last += 1
            burst = rows[first : last + 1]
            plates = {row.vrm for row in burst}
            if len(plates) < settings.MISUSE_PLATES_IN_BURST:
                first += 1
                continue
            minutes = (burst[-1].at - burst[0].at).total_seconds() / 60
            yield Candidate(
                Kind.MANY_PLATES,
                username,
                user_id,
                f"{len(plates)} different plates searched in {minutes:.0f} minutes "
                f"from {shown(burst[0].at)}.",
                search_ids=_ids(burst),
                details={"plates": len(plates), "minutes": round(minutes, 1)},
            )
            first = last + 1


def refusals(start: datetime, end: datetime) -> Iterable[Candidate]:
    """3. MISUSE_REFUSALS_PER_DAY or more searches refused (window, request) or throttled."""
    events = SecurityEvent.objects.filter(at__gte=start, at__lt=end, kind__in=REFUSED).order_by("at", "id")
    for username, rows in _group(events, lambda e: e.username).items():
        if len(rows) >= settings.MISUSE_REFUSALS_PER_DAY:
            kinds = Counter(row.get_kind_display() for row in rows)
            yield Candidate(
                Kind.REFUSALS,
                username,
                None,
                f"{len(rows)} searches refused in the day: "
                + "; ".join(f"{n} {label.lower()}" for label, n in sorted(kinds.items())),
                event_ids=_ids(rows),
            )


def outside_request_scope(searches: list[SearchAudit]) -> Iterable[Candidate]:
    """4. Searches under an access request for plates, dates, cameras or areas it does not cover,
    or made after it was revoked or expired. One flag per user and request per day."""
    under = [search for search in searches if search.access_request_id is not None]
    requests = AccessRequest.objects.in_bulk({search.access_request_id for search in under})
    ended = _ended_at(requests)
    for (username, user_id, request_id), rows in _group(
        under, lambda s: (s.username, s.user_id, s.access_request_id)
    ).items():
        request = requests.get(request_id)
        found = [(row, reasons) for row in rows if (reasons := _outside(row, request, ended.get(request_id)))]
        if found:
            reasons = sorted({reason for _, reasons in found for reason in reasons})
            yield Candidate(
                Kind.OUT_OF_SCOPE,
                username,
                user_id,
                f"{len(found)} searches under access request {request_id} outside its scope: "
                f"{'; '.join(reasons)}.",
                search_ids=_ids(row for row, _ in found),
                details={"access_request": request_id, "reasons": reasons},
            )


def unusual_hours(searches: list[SearchAudit], start: datetime) -> Iterable[Candidate]:
    """5. Activity in hours of day the user seldom works, judged against their own past weeks."""
    since = start - timedelta(days=settings.MISUSE_HOURS_HISTORY_DAYS)
    for (username, user_id), rows in _group(searches, lambda s: (s.username, s.user_id)).items():
        if user_id is None:
            continue  # a row without an account id has no history to compare with
        history = _hours_worked(user_id, since, start)
        total = sum(history.values())
        if total < settings.MISUSE_HOURS_MIN_HISTORY:
            continue  # too little history to know what is usual for them
        unusual = [row for row in rows if _share(history, row.at.astimezone(UTC).hour, total) < _rare()]
        if unusual:
            hours = sorted({row.at.astimezone(UTC).hour for row in unusual})
            yield Candidate(
                Kind.UNUSUAL_HOURS,
                username,
                user_id,
                f"{len(unusual)} records at {', '.join(_local_hours(unusual))}, hours that held "
                f"under {settings.MISUSE_HOURS_RARE_PERCENT}% of their {total} records over the past "
                f"{settings.MISUSE_HOURS_HISTORY_DAYS} days.",
                search_ids=_ids(unusual),
                details={"hours": hours, "history": total},
            )


def _outside(search: SearchAudit, request: AccessRequest | None, ended: datetime | None) -> list[str]:
    if request is None:
        return ["the request does not exist"]
    reasons = []
    if (ended is not None and search.at >= ended) or (request.expires_at and search.at >= request.expires_at):
        reasons.append("made after the request ended")
    if request.vrms and search.vrm and search.vrm not in request.vrms:
        reasons.append(f"plate {search.vrm} not in the request")
    after, before = _moment(search.filters.get("seen_after")), _moment(search.filters.get("seen_before"))
    if (after is not None and after < request.period_start) or (
        before is not None and before < request.period_start
    ):
        reasons.append("reads before the request's period")
    if after is not None and after > request.period_end:
        reasons.append("reads after the request's period")
    reasons.extend(_places_outside(search.filters, request))
    return reasons


def _places_outside(filters: dict, request: AccessRequest) -> list[str]:
    # The request's places are its cameras or its areas (either lets a read in); none means any.
    if not request.camera_codes and not request.areas:
        return []
    areas = {area.lower() for area in request.areas}
    reasons = []
    codes = [code for code in str(filters.get("camera") or "").split(",") if code]
    camera_areas = dict(Camera.objects.filter(code__in=codes).values_list("code", "area"))
    outside = [
        code
        for code in codes
        if code not in request.camera_codes and (camera_areas.get(code) or "").lower() not in areas
    ]
    if outside:
        reasons.append(f"cameras {', '.join(outside)} not in the request")
    area = str(filters.get("area") or "")
    if area and area.lower() not in areas:
        reasons.append(f"area {area} not in the request")
    return reasons


def _ended_at(requests: dict[int, AccessRequest]) -> dict[int, datetime]:
    ended: dict[int, datetime] = {}
    for event in AccessRequestEvent.objects.filter(access_request_id__in=requests, kind__in=ENDED).order_by(
        "at"
    ):
        ended.setdefault(event.access_request_id, event.at)
    return ended


def _hours_worked(user_id: int, since: datetime, until: datetime) -> Counter:
    rows = (
        SearchAudit.objects.filter(user_id=user_id, at__gte=since, at__lt=until)
        .annotate(hour=ExtractHour("at", tzinfo=UTC))
        .values("hour")
        .annotate(n=Count("id"))
    )
    return Counter({row["hour"]: row["n"] for row in rows})


def _local_hours(rows: list[SearchAudit]) -> list[str]:
    """The hours of day these rows fall in, as people read them: judged in UTC, named in the
    force's zone ("03:00 BST")."""
    hours = {timezone.localtime(row.at).replace(minute=0, second=0, microsecond=0) for row in rows}
    return sorted({f"{hour:%H:%M} {hour.tzname()}" for hour in hours})


def _share(history: Counter, hour: int, total: int) -> float:
    # The hour either side counts too: someone who works until 18:00 is not unusual at 18:10.
    near = sum(history[(hour + offset) % 24] for offset in (-1, 0, 1))
    return 100 * near / total


def _rare() -> float:
    return settings.MISUSE_HOURS_RARE_PERCENT


def _moment(value) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _group(rows, key) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _ids(rows) -> tuple[int, ...]:
    return tuple(sorted(row.pk for row in rows))
