"""Every change to the camera registry, through the one gate on status, kind and site that the portal,
the API and the assessment workflow all pass. Field changes are recorded by django-auditlog."""

from datetime import date
from typing import NamedTuple, Self, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from .hooks import go_live
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
)
# Set only by the assessment workflow (approval, reviews): no one postpones a review by editing.
SET_BY_ASSESSMENTS = ("review_due",)

NOT_ASSESSED = "A fixed camera is live only under an approved deployment assessment of the site it stands at."
LIVE_CAMERA_STAYS = (
    "A live camera is not moved: its approved assessment is of this site. Suspend it, move it, "
    "and have the new site assessed and approved."
)
LIVE_KIND_IS_FIXED = (
    "A live camera's kind does not change: suspend it first (a fixed camera goes live again only "
    "under an approved assessment)."
)
DECOMMISSIONED_IS_FINAL = "A decommissioned camera stays decommissioned; register a new camera instead."
ASSESSED_STAYS_FIXED = (
    "A camera assessed as a fixed site stays fixed; register a vehicle's camera as a new camera."
)


class CameraFields(TypedDict, total=False):
    """A camera's EDITABLE_FIELDS as given; a change names only those it changes."""

    name: str
    kind: str
    status: str
    area: str
    road: str
    direction: str
    latitude: float | None
    longitude: float | None
    installed_on: date | None


class CameraChange(CameraFields, total=False):
    """A change to a camera: its editable fields, and what only the assessment workflow sets."""

    review_due: date | None


class StoredState(NamedTuple):
    """What the gate compares with the camera as stored."""

    status: str
    kind: str
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, camera: Camera) -> Self:
        return cls(camera.status, camera.kind, camera.latitude, camera.longitude)


@transaction.atomic
def camera_create(*, code: str, **fields: Unpack[CameraFields]) -> Camera:
    """Register a camera; it starts as proposed unless a status is given."""
    camera = Camera(code=code, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    camera.full_clean()
    _check_status_rules(camera, was=None)
    camera.save()
    return camera


@transaction.atomic
def camera_update(*, camera: Camera, **fields: Unpack[CameraChange]) -> Camera:
    """Change a camera's details (its code, which devices send, never changes).

    The camera is read again, locked, before the change: only the fields given change, and the
    gate judges exactly what is saved, whatever the caller's copy held.
    """
    camera.refresh_from_db(from_queryset=Camera.objects.select_for_update())
    was = StoredState.of(camera)
    for name, value in fields.items():
        if name in EDITABLE_FIELDS + SET_BY_ASSESSMENTS:
            setattr(camera, name, value)
    camera.full_clean()
    _check_status_rules(camera, was=was)
    camera.save()
    return camera


def _check_status_rules(camera: Camera, *, was: StoredState | None) -> None:
    """The one gate on a camera's status, kind and site, checked on the camera as it would be saved.

    A fixed camera is live only under an approved deployment assessment of the site it stands at,
    so moving a live camera, or putting one live at a new site, needs a new approval. A live
    camera's kind does not change: a fixed camera relabelled vehicle-mounted would escape its
    reviews while still on its pole. Decommissioning is final. `was`: the stored camera's state,
    None for a new camera.
    """
    if was is not None:
        if was.status == Camera.Status.DECOMMISSIONED and camera.status != Camera.Status.DECOMMISSIONED:
            raise ValidationError({"status": DECOMMISSIONED_IS_FINAL})
        if was.kind != camera.kind and Camera.Status.LIVE in (was.status, camera.status):
            raise ValidationError({"kind": LIVE_KIND_IS_FIXED})
        # Else suspend, relabel as vehicle-mounted, and put it back live without any assessment.
        if (
            was.kind == Camera.Kind.FIXED
            and camera.kind == Camera.Kind.MOBILE
            and go_live.was_assessed(camera)
        ):
            raise ValidationError({"kind": ASSESSED_STAYS_FIXED})
    live_and_fixed = camera.status == Camera.Status.LIVE and camera.kind == Camera.Kind.FIXED
    if live_and_fixed and go_live.approved_assessment_for(camera) is None:
        raise ValidationError(_why_not_live(camera, was))


def _why_not_live(camera: Camera, was: StoredState | None) -> dict[str, str]:
    """A live camera moved: the refusal is on its position; otherwise on its status."""
    if was is not None and was.status == Camera.Status.LIVE:
        moved = [name for name in ("latitude", "longitude") if getattr(was, name) != getattr(camera, name)]
        if moved:
            return dict.fromkeys(moved, LIVE_CAMERA_STAYS)
    return {"status": NOT_ASSESSED}
