"""Every change to the camera registry. Field changes are recorded by django-auditlog."""

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
    camera.save()
    return camera


@transaction.atomic
def camera_update(*, camera: Camera, actor, **fields) -> Camera:
    """Change a camera's details (its code, which devices send, never changes)."""
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(camera, name, value)
    camera.full_clean()
    camera.save()
    return camera
