"""The access window: which reads a user may see. The one place it is decided.

Everyone may see reads up to READ_ACCESS_STANDARD_DAYS old. Older reads, up to
READ_ACCESS_EXTENDED_DAYS, only through an approved, unexpired access request that the
user holds, and only within that request's scope and period (apps.access_requests).

The extended grant is not decided here: the access-request workflow, an app above this one,
registers its answer with `extended_access.register(...)` when it starts (its AppConfig), so the
read store never imports it. Without one, no extended access is offered.

What is derived from a read (a hotlist alert) is read data too: it is held to the same window
by the moment its read was seen (`visible_q(grants, seen_at="read_seen_at")`).

A search that names an access request must ask for something the request covers
(`check_within_request`), and every answer says which stretches of time it covered, under what
(`searched_periods`): "no reads" is never mistaken for "never seen".
"""

import operator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import reduce
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from apps.cameras.models import Camera
from apps.core.plates import normalise_search, pattern_matches
from apps.core.times import shown
from apps.core.users import User

from .places import Place


class AccessRequestNotUsable(PermissionDenied):
    """The named access request is not one this user may search under now."""


class OutsideAccessWindow(PermissionDenied):
    """The searched time range lies wholly before the earliest read the user may see."""


class OutsideAccessRequest(ValidationError):
    """A search names an access request but asks, criterion by criterion, for what it does not cover."""


@dataclass(frozen=True)
class Grant:
    """Reads seen in [start, end] (end open when None), optionally only some plates, cameras or areas."""

    start: datetime
    end: datetime | None = None
    vrms: frozenset[str] | None = None
    camera_ids: frozenset[int] | None = None
    areas: frozenset[str] | None = None
    access_request_id: int | None = None

    def as_q(self, seen_at: str = "seen_at") -> Q:
        """The grant as a filter; `seen_at` names the field holding the read's moment."""
        q = Q(**{f"{seen_at}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{seen_at}__lte": self.end})
        if self.vrms is not None:
            q &= Q(vrm__in=self.vrms)
        scope = Q()
        if self.camera_ids is not None:
            scope |= Q(camera_id__in=self.camera_ids)
        if self.areas is not None:
            scope |= Q(camera__area__in=self.areas)
        return q & scope if scope else q


def access_grants(user: User, *, access_request: int | None, now: datetime) -> list[Grant]:
    """What this user may see now: the standard window, plus one approved request's grant if named."""
    grants = [standard_grant(now)]
    if access_request is not None:
        extended = _extended_grant(user, access_request, now)
        floor = now - timedelta(days=settings.READ_ACCESS_EXTENDED_DAYS)
        grants.append(replace(extended, start=max(extended.start, floor)))
    return grants


def standard_grant(now: datetime) -> Grant:
    """What everyone may see without an access request: reads of the last READ_ACCESS_STANDARD_DAYS."""
    return Grant(start=now - timedelta(days=settings.READ_ACCESS_STANDARD_DAYS))


def visible_q(grants: list[Grant], *, seen_at: str = "seen_at") -> Q:
    return reduce(operator.or_, (grant.as_q(seen_at) for grant in grants))


def check_range_reachable(grants: list[Grant], seen_before: datetime | None) -> None:
    earliest = min(grant.start for grant in grants)
    if seen_before is not None and seen_before < earliest:
        raise OutsideAccessWindow(
            f"You may search reads back to {shown(earliest)} only "
            f"({settings.READ_ACCESS_STANDARD_DAYS} days). Older reads, up to "
            f"{settings.READ_ACCESS_EXTENDED_DAYS} days, need an approved access request."
        )


def check_within_request(
    grants: list[Grant],
    *,
    vrm: str,
    seen_after: datetime | None,
    seen_before: datetime | None,
    camera_codes: list[str],
    area: str,
    drawn: tuple[str, Place] | None = None,
) -> None:
    """Refuse (OutsideAccessRequest, by criterion) a search naming an access request for what the
    request cannot give: a plate that is none of its plates (a pattern matching none of them), a
    time range wholly outside its period, or only cameras, an area or a place drawn (`drawn`: the
    criterion's name and the place) outside its places.

    A search partly inside is answered; `searched_periods` then says what it covered. The same
    limits are what the misuse job looks for afterwards (apps/misuse/detection.py)."""
    grant = next((grant for grant in grants if grant.access_request_id is not None), None)
    if grant is None:
        return
    named = f"Access request {grant.access_request_id}"
    errors: dict[str, str] = {}
    if grant.vrms is not None and vrm:
        asked = normalise_search(vrm)
        if not any(pattern_matches(asked, plate) for plate in grant.vrms):
            errors["vrm"] = f"{named} covers only {_listed(grant.vrms, 'the plate', 'the plates')}."
    if seen_before is not None and seen_before < grant.start:
        errors["seen_before"] = (
            f"{named} covers reads from {shown(grant.start)}: this search ends before that."
        )
    if grant.end is not None and seen_after is not None and seen_after > grant.end:
        errors["seen_after"] = (
            f"{named} covers reads until {shown(grant.end)}: this search starts after that. "
            "For later reads, search without the request."
        )
    errors |= _places_outside(grant, named, camera_codes=camera_codes, area=area, drawn=drawn)
    if errors:
        raise OutsideAccessRequest(errors)


@dataclass(frozen=True)
class Period:
    """A stretch of time a search covered, and the grant it covered it under."""

    start: datetime
    end: datetime
    access_request_id: int | None = None

    @property
    def label(self) -> str:
        if self.access_request_id is None:
            return f"your {settings.READ_ACCESS_STANDARD_DAYS}-day window"
        return f"access request {self.access_request_id}"


def searched_periods(
    grants: list[Grant], *, seen_after: datetime | None, seen_before: datetime | None, until: datetime
) -> list[Period]:
    """What a search covered of each grant, oldest first: from the later of the grant's start and
    'seen after' to the earliest of its end, 'seen before' and `until` (when the search was made).
    A grant the search could not reach is left out."""
    periods = []
    for grant in grants:
        start = max(grant.start, seen_after or grant.start)
        end = min(moment for moment in (grant.end, seen_before, until) if moment is not None)
        if start <= end:
            periods.append(Period(start=start, end=end, access_request_id=grant.access_request_id))
    return sorted(periods, key=lambda period: period.start)


def _places_outside(
    grant: Grant, named: str, *, camera_codes: list[str], area: str, drawn: tuple[str, Place] | None = None
) -> dict[str, str]:
    # A request's places are its cameras and its areas (either lets a read in); none means any.
    if grant.camera_ids is None and grant.areas is None:
        return {}
    ids, areas = grant.camera_ids or frozenset(), {area.lower() for area in grant.areas or ()}
    outside = []
    named_cameras = Camera.objects.filter(code__in=camera_codes).values_list("pk", "area")
    if camera_codes and not any(pk in ids or found.lower() in areas for pk, found in named_cameras):
        outside.append("camera")
    if (
        area
        and area.lower() not in areas
        and not Camera.objects.filter(pk__in=ids, area__iexact=area).exists()
    ):
        outside.append("area")
    if drawn and not _may_be_in(
        drawn[1], Camera.objects.filter(Q(pk__in=ids) | Q(area__in=grant.areas or ()))
    ):
        outside.append(drawn[0])
    if not outside:
        return {}
    codes = Camera.objects.filter(pk__in=ids).values_list("code", flat=True)
    places = [_listed(codes, "camera", "cameras")] if ids else []
    places += [_listed(grant.areas, "area", "areas")] if grant.areas else []
    return dict.fromkeys(outside, f"{named} covers only {' and '.join(places)}.")


def _may_be_in(place: Place, cameras: QuerySet[Camera]) -> bool:
    """Whether any of these cameras' reads could be taken in the place: one stands in it, or one
    is vehicle-mounted (its reads are placed where the vehicle was)."""
    return cameras.filter(place.q("latitude", "longitude") | Q(kind=Camera.Kind.MOBILE)).exists()


def _listed(names, one: str, many: str) -> str:
    names = sorted(names)
    return f"{one if len(names) == 1 else many} {', '.join(names)}"


Choices = list[tuple[str, str]]


class GrantFor(Protocol):
    def __call__(self, user: User, *, access_request_id: int, now: datetime) -> Grant: ...


class ChoicesFor(Protocol):
    def __call__(self, user: User) -> Choices: ...


@dataclass
class ExtendedAccess:
    """The hook the access-request workflow fills: `grant_for` turns an approved, unexpired
    request held by this user into a Grant (or raises AccessRequestNotUsable); `choices` lists
    the requests this user may search under now, for the search form."""

    grant_for: GrantFor | None = None
    choices: ChoicesFor | None = None

    def register(self, *, grant_for: GrantFor, choices: ChoicesFor) -> None:
        self.grant_for, self.choices = grant_for, choices


extended_access = ExtendedAccess()


def access_request_choices(user: User) -> list[tuple[str, str]]:
    """For the search form: no request, or one of those this user may search under now."""
    if extended_access.choices is None:
        return [("", "None: the standard window")]
    return extended_access.choices(user)


def _extended_grant(user: User, access_request: int, now: datetime) -> Grant:
    if extended_access.grant_for is None:
        raise AccessRequestNotUsable("Extended access requests are not available on this system yet.")
    return extended_access.grant_for(user, access_request_id=access_request, now=now)
