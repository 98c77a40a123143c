"""Every step of an access request: keyword-only, atomic, each one recorded as an event."""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from apps.cameras.models import Camera, clean_code
from apps.core.plates import VRM_MAX_LENGTH, normalise_vrm
from apps.core.users import User

from .models import AccessRequest, AccessRequestEvent

USE = "access_requests.use_accessrequest"
DECIDE = "access_requests.decide_accessrequest"
DAYS_NEEDED_MAX = 90
SCOPE_ITEMS_MAX = 100
# A period may end "now" by the requester's clock, which may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# Each scope list: how an item is cleaned, and how long it may then be (as the registry holds it).
SCOPE_RULES = {
    "vrms": (normalise_vrm, VRM_MAX_LENGTH),
    "camera_codes": (clean_code, Camera._meta.get_field("code").max_length),
    "areas": (str.strip, Camera._meta.get_field("area").max_length),
}


@transaction.atomic
def request_file(
    *,
    requester: User,
    investigation_reference: str,
    offence: str,
    justification: str,
    period_start: datetime,
    period_end: datetime,
    days_needed: int,
    vrms: Sequence[str] = (),
    camera_codes: Sequence[str] = (),
    areas: Sequence[str] = (),
) -> AccessRequest:
    """File a request; it waits for a supervisor. Form and API alike: every rule is checked here."""
    scope = _checked(
        days_needed=days_needed,
        period_start=period_start,
        period_end=period_end,
        scope={"vrms": vrms, "camera_codes": camera_codes, "areas": areas},
    )
    request = AccessRequest.objects.create(
        requester=requester,
        investigation_reference=investigation_reference,
        offence=offence,
        justification=justification,
        period_start=period_start,
        period_end=period_end,
        days_needed=days_needed,
        **scope,
    )
    _event(request, AccessRequestEvent.Kind.FILED, requester, scope=_scope(request))
    return request


@transaction.atomic
def request_approve(
    *,
    access_request: AccessRequest,
    approver: User,
    reason: str,
    days: int | None = None,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    vrms: list[str] | None = None,
) -> AccessRequest:
    """Approve, perhaps narrower (fewer plates, shorter period, less time); the requester may then use it."""
    request = _pending(access_request, approver)
    if days is not None and not 1 <= days <= request.days_needed:
        raise ValidationError({"days": f"Between 1 and the {request.days_needed} days asked for."})
    if period_start or period_end:
        start, end = period_start or request.period_start, period_end or request.period_end
        if start < request.period_start or end > request.period_end:
            raise ValidationError({"period_start": "An approval may narrow the period, not widen it."})
        _check_period(start, end)
        request.period_start, request.period_end = start, end
    if vrms is not None:
        narrowed = sorted({normalise_vrm(v) for v in vrms if normalise_vrm(v)})
        if (request.vrms and not set(narrowed) <= set(request.vrms)) or (not narrowed and request.vrms):
            raise ValidationError({"vrms": "An approval may narrow the plates, not add to them."})
        request.vrms = narrowed
    now = timezone.now()
    request.status = AccessRequest.Status.APPROVED
    request.decided_by, request.decided_at, request.decision_reason = approver, now, reason
    request.expires_at = now + timedelta(days=days or request.days_needed)
    request.requester_informed = False
    request.save()
    assign_perm(USE, request.requester, request)
    _event(
        request,
        AccessRequestEvent.Kind.APPROVED,
        approver,
        reason=reason,
        scope=_scope(request),
        expires_at=request.expires_at.isoformat(),
    )
    return request


@transaction.atomic
def request_refuse(*, access_request: AccessRequest, approver: User, reason: str) -> AccessRequest:
    request = _pending(access_request, approver)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is refused."})
    request.status = AccessRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = approver, timezone.now(), reason
    request.requester_informed = False
    request.save()
    _event(request, AccessRequestEvent.Kind.REFUSED, approver, reason=reason)
    return request


@transaction.atomic
def request_revoke(*, access_request: AccessRequest, supervisor: User, reason: str) -> AccessRequest:
    """End an approved request at once: a decision like approving it, so never its requester's."""
    if not supervisor.has_perm(DECIDE):
        raise PermissionDenied("Only supervisors revoke access requests.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the access is revoked."})
    request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if request.requester_id == supervisor.pk:
        raise PermissionDenied("Nobody may decide their own request.")
    if request.status != AccessRequest.Status.APPROVED:
        raise ValidationError("Only an approved request can be revoked.")
    _close(request, AccessRequest.Status.REVOKED)
    request.requester_informed = False
    request.save()
    _event(request, AccessRequestEvent.Kind.REVOKED, supervisor, reason=reason)
    return request


def requests_expire(*, now: datetime | None = None) -> int:
    """Close approved requests past their end (the daily job). Returns how many."""
    now = now or timezone.now()
    count = 0
    for request in AccessRequest.objects.filter(status=AccessRequest.Status.APPROVED, expires_at__lte=now):
        with transaction.atomic():
            _close(request, AccessRequest.Status.EXPIRED)
            request.save()
            _event(request, AccessRequestEvent.Kind.EXPIRED, None)
            count += 1
    return count


def request_mark_seen(*, access_request: AccessRequest) -> None:
    AccessRequest.objects.filter(pk=access_request.pk).update(requester_informed=True)


def _pending(access_request: AccessRequest, approver: User) -> AccessRequest:
    if not approver.has_perm(DECIDE):
        raise PermissionDenied("Only supervisors decide access requests.")
    request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if request.requester_id == approver.pk:
        raise PermissionDenied("Nobody may decide their own request.")
    if request.status != AccessRequest.Status.PENDING:
        raise ValidationError(f"The request is already {request.get_status_display().lower()}.")
    return request


def _close(request: AccessRequest, status: str) -> None:
    request.status = status
    remove_perm(USE, request.requester, request)


def _check_period(start: datetime, end: datetime) -> None:
    now = timezone.now()
    earliest = now - timedelta(days=settings.READ_ACCESS_EXTENDED_DAYS)
    if end <= start:
        raise ValidationError({"period_end": "The period must end after it starts."})
    if end > now + CLOCK_SKEW:
        raise ValidationError({"period_end": "Reads cannot come from the future: end the period by now."})
    if start < earliest:
        raise ValidationError(
            {"period_start": f"Reads older than {settings.READ_ACCESS_EXTENDED_DAYS} days are not held."}
        )


def _checked(
    *, days_needed: int, period_start: datetime, period_end: datetime, scope: dict[str, Sequence[str]]
) -> dict[str, list[str]]:
    """The scope lists as stored; or one ValidationError naming each field that breaks a rule."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, list[str]] = {}
    for field, (clean, max_length) in SCOPE_RULES.items():
        try:
            # Both fields have a max_length; the stubs allow a CharField none.
            cleaned[field] = _scope_list(scope[field], clean, max_length)  # type: ignore[arg-type]
        except ValidationError as invalid:
            errors[field] = invalid.messages
    if type(days_needed) is not int or not 1 <= days_needed <= DAYS_NEEDED_MAX:
        errors["days_needed"] = [f"Between 1 and {DAYS_NEEDED_MAX} days."]
    try:
        _check_period(period_start, period_end)
    except ValidationError as invalid:
        errors |= invalid.message_dict
    if errors:
        raise ValidationError(errors)
    return cleaned


def _scope_list(items: Sequence[str], clean: Callable[[str], str], max_length: int) -> list[str]:
    # Sent as JSON, a scope may be anything: a string would otherwise count as its characters.
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise ValidationError("Give a list of texts.")
    if len(items) > SCOPE_ITEMS_MAX:
        raise ValidationError(f"At most {SCOPE_ITEMS_MAX}: an investigation names what it needs.")
    cleaned = {clean(item) for item in items} - {""}
    if any(len(item) > max_length for item in cleaned):
        raise ValidationError(f"Each at most {max_length} characters.")
    return sorted(cleaned)


def _scope(request: AccessRequest) -> dict[str, list[str]]:
    return {
        "vrms": request.vrms,
        "camera_codes": request.camera_codes,
        "areas": request.areas,
        "period": [request.period_start.isoformat(), request.period_end.isoformat()],
    }


def _event(request: AccessRequest, kind: str, actor: User | None, **detail: object) -> None:
    AccessRequestEvent.objects.create(
        access_request=request, kind=kind, actor=actor.get_username() if actor else "system", detail=detail
    )


def requests_remove_expired(*, now: datetime | None = None) -> int:
    """Remove closed requests ended more than ACCESS_REQUEST_RETENTION_DAYS ago whose events have
    left the audit trail (its own retention removes them, AUDIT_RETENTION_DAYS: the application
    may not delete audit rows)."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.ACCESS_REQUEST_RETENTION_DAYS)
    closed = (
        AccessRequest.objects.filter(
            status__in=[
                AccessRequest.Status.REFUSED,
                AccessRequest.Status.REVOKED,
                AccessRequest.Status.EXPIRED,
            ],
            decided_at__lt=cut_off,
        )
        .exclude(expires_at__gte=cut_off)
        .exclude(pk__in=AccessRequestEvent.objects.values("access_request_id"))
    )
    with transaction.atomic():
        ids = [str(pk) for pk in closed.values_list("pk", flat=True)]
        UserObjectPermission.objects.filter(
            content_type__app_label="access_requests", content_type__model="accessrequest", object_pk__in=ids
        ).delete()
        return AccessRequest.objects.filter(pk__in=ids).delete()[0]
