"""Every change to the camera registry. Field changes are recorded by django-auditlog."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Camera

EDITABLE_FIELDS = (
    "name",
    "kind",
    "status",
    "area",
    "road",
    "direction",
    "latitude",
    "longitude",
    "installed_on",
    "review_due",
)


@transaction.atomic
def camera_create(*, code: str, actor, **fields) -> Camera:
    """Register a camera; it starts as proposed unless a status is given."""
    camera = Camera(code=code, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    camera.full_clean()
    _check_may_go_live(camera, was=None)
    camera.save()
    return camera


@transaction.atomic
def camera_update(*, camera: Camera, actor, **fields) -> Camera:
    """Change a camera's details (its code, which devices send, never changes)."""
    was = Camera.objects.filter(pk=camera.pk).values_list("status", flat=True).first()
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(camera, name, value)
    camera.full_clean()
    _check_may_go_live(camera, was=was)
    camera.save()
    return camera


def _check_may_go_live(camera: Camera, *, was: str | None) -> None:
    """A fixed camera goes live only under an approved deployment assessment."""
    if camera.status != Camera.Status.LIVE or was == Camera.Status.LIVE or camera.kind != Camera.Kind.FIXED:
        return
    from apps.assessments.selectors import approved_assessment_for

    if camera.pk is None or approved_assessment_for(camera) is None:
        raise ValidationError(
            {"status": "A fixed camera goes live only with an approved deployment assessment."}
        )
