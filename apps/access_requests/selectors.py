"""Reads of access requests, and the grant one gives to the read store's access window."""

from datetime import date, datetime
from typing import TypedDict

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from apps.audit.models import SearchAudit
from apps.cameras.models import Camera
from apps.core.months import count_per_month
from apps.core.times import shown
from apps.core.users import User
from apps.reads.access_window import AccessRequestNotUsable, Grant

from .models import AccessRequest, AccessRequestEvent
from .services import DECIDE, USE


def requests_visible_to(user: User) -> QuerySet[AccessRequest]:
    """Supervisors and auditors see every request; others their own."""
    requests = AccessRequest.objects.select_related("requester", "decided_by")
    if user.has_perm("access_requests.decide_accessrequest") or user.has_perm(
        "access_requests.report_accessrequest"
    ):
        return requests
    return requests.filter(requester=user)


def usable_requests(user: User, *, now: datetime) -> QuerySet[AccessRequest]:
    """Approved, unexpired requests this user holds the object permission to use."""
    held = get_objects_for_user(user, USE, klass=AccessRequest, accept_global_perms=False)
    return held.filter(status=AccessRequest.Status.APPROVED, expires_at__gt=now, requester=user)


def usable_request_choices(user: User) -> list[tuple[str, str]]:
    """For the search form: the requests this user may search under now."""
    return [("", "None: the standard window")] + [
        (
            str(r.pk),
            f"#{r.pk} {r.investigation_reference} (until {shown(r.expires_at)})",
        )
        for r in usable_requests(user, now=timezone.now())
    ]


def grant_for(user: User, *, access_request_id: int, now: datetime) -> Grant:
    """The reads an approved request opens to this user now, or AccessRequestNotUsable."""
    request = usable_requests(user, now=now).filter(pk=access_request_id).first()
    if request is None:
        raise AccessRequestNotUsable(
            f"Access request {access_request_id} is not an approved, unexpired request of yours."
        )
    cameras = frozenset(Camera.objects.filter(code__in=request.camera_codes).values_list("pk", flat=True))
    return Grant(
        start=request.period_start,
        end=request.period_end,
        vrms=frozenset(request.vrms) or None,
        camera_ids=cameras if request.camera_codes else None,
        areas=frozenset(request.areas) or None,
        access_request_id=request.pk,
    )


def pending_queue(user: User) -> QuerySet[AccessRequest]:
    """Requests waiting for a decision, excluding the supervisor's own."""
    return requests_visible_to(user).filter(status=AccessRequest.Status.PENDING).exclude(requester=user)


def requests_waiting(user: User) -> QuerySet[AccessRequest]:
    """This user's own requests that wait for a supervisor's decision."""
    return requests_visible_to(user).filter(requester=user, status=AccessRequest.Status.PENDING)


def approvals_granted(user: User, *, now: datetime) -> QuerySet[AccessRequest]:
    """Approvals this supervisor granted that are still in force (neither ended nor revoked),
    ending soonest first, each with how many searches were made under it."""
    if not user.has_perm(DECIDE):
        return AccessRequest.objects.none()
    searches = (
        SearchAudit.objects.filter(access_request_id=OuterRef("pk"))
        .order_by()
        .values("access_request_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        requests_visible_to(user)
        .filter(decided_by=user, status=AccessRequest.Status.APPROVED, expires_at__gt=now)
        .annotate(searches=Coalesce(Subquery(searches, output_field=IntegerField()), 0))
        .order_by("expires_at", "pk")
    )


def searches_under(access_request: AccessRequest) -> QuerySet[SearchAudit]:
    return SearchAudit.objects.filter(access_request_id=access_request.pk)


class SearchesByUser(TypedDict):
    username: str
    searches: int
    requests: int


class ExtendedUseReport(TypedDict):
    """Searches made under access requests: per user, and per request (the newest 200, each
    annotated with its `searches`)."""

    per_user: QuerySet[SearchAudit, SearchesByUser]
    per_request: QuerySet[AccessRequest]


def extended_use_report() -> ExtendedUseReport:
    """Searches made under access requests, per user and per request."""
    used = SearchAudit.objects.filter(access_request_id__isnull=False)
    per_request = (
        used.filter(access_request_id=OuterRef("pk"))
        .values("access_request_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return {
        "per_user": used.values("username")
        .annotate(searches=Count("id"), requests=Count("access_request_id", distinct=True))
        .order_by("-searches"),
        "per_request": AccessRequest.objects.annotate(
            searches=Coalesce(Subquery(per_request, output_field=IntegerField()), 0)
        )
        .select_related("requester")
        .order_by("-filed_at")[:200],
    }


def decisions_unseen(user: User) -> QuerySet[AccessRequest]:
    """Decisions on this user's requests that they have not opened yet."""
    return AccessRequest.objects.filter(requester=user, requester_informed=False)


# The steps the public transparency report counts, as plain codes (the report is cached as such).
PUBLISHED_STEPS = (
    AccessRequestEvent.Kind.FILED.value,
    AccessRequestEvent.Kind.APPROVED.value,
    AccessRequestEvent.Kind.REFUSED.value,
)


def request_steps_per_month(since: datetime) -> dict[tuple[date, str], int]:
    """Requests filed, approved and refused since a moment, per UTC month of the step (from the
    append-only events, so a request's later expiry or revocation leaves its approval counted)."""
    steps = AccessRequestEvent.objects.filter(at__gte=since, kind__in=PUBLISHED_STEPS)
    return count_per_month(steps, "at", by="kind")
