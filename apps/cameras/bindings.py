"""Which cameras a machine account may post reads for, and whether it rides in a patrol car.

A camera or gateway account posts only for the cameras bound to it; an account bound to none
may post for none. Binding replaces the whole set and is written to the audit trail.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from apps.accounts.models import User
from apps.accounts.roles import CAMERA
from apps.audit.models import SecurityEvent
from apps.audit.services import security_event_record

from .models import Camera, CameraAccount, clean_code


@transaction.atomic
def camera_account_bind(
    *,
    account,
    camera_codes: list[str],
    in_vehicle_unit: bool | None = None,
    actor,
    request: HttpRequest | None = None,
) -> CameraAccount:
    """Bind a machine account to exactly these cameras (replacing its set); optionally mark it
    as an in-vehicle unit. Unknown codes and staff accounts are refused."""
    if not account.groups.filter(name=CAMERA).exists():
        raise ValidationError({"account": "Only machine accounts (the camera role) are bound to cameras."})
    codes = sorted({clean_code(code) for code in camera_codes if clean_code(code)})
    cameras = list(Camera.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {camera.code for camera in cameras})
    if unknown:
        raise ValidationError({"cameras": f"Unknown camera(s): {', '.join(unknown)}."})
    binding, _ = CameraAccount.objects.select_for_update().get_or_create(user=account)
    before = sorted(binding.cameras.values_list("code", flat=True))
    was_in_vehicle = binding.in_vehicle_unit
    binding.cameras.set(cameras)
    if in_vehicle_unit is not None and in_vehicle_unit != binding.in_vehicle_unit:
        binding.in_vehicle_unit = in_vehicle_unit
        binding.save(update_fields=["in_vehicle_unit"])
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGE,
        username=account.get_username(),
        actor=actor.get_username() if actor else "system",
        request=request,
        detail={
            "action": "cameras bound",
            "before": before,
            "after": codes,
            "in_vehicle_unit": {"before": was_in_vehicle, "after": binding.in_vehicle_unit},
        },
    )
    return binding


def cameras_bound_to(user) -> frozenset[str]:
    """The codes of the cameras this account may post reads for (none unless bound)."""
    return frozenset(Camera.objects.filter(accounts__user=user).values_list("code", flat=True))


def is_in_vehicle_unit(user) -> bool:
    return CameraAccount.objects.filter(user=user, in_vehicle_unit=True).exists()


def camera_accounts():
    """Every machine account with its binding (none yet: an empty binding)."""
    return (
        User.objects.filter(groups__name=CAMERA)
        .select_related("camera_binding")
        .prefetch_related("camera_binding__cameras")
        .order_by("username")
    )
