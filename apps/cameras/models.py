"""The camera registry: fixed and vehicle-mounted cameras, where they are, and their status."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from apps.core.times import shown


def clean_code(code: str) -> str:
    """A camera code as devices send it and the registry holds it: trimmed, upper case."""
    return code.strip().upper()


class Camera(models.Model):
    """A fixed or vehicle-mounted ANPR camera; its exact location is disclosed only to those allowed."""

    class Kind(models.TextChoices):
        FIXED = "fixed", "Fixed"
        MOBILE = "mobile", "Vehicle-mounted"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        LIVE = "live", "Live"
        SUSPENDED = "suspended", "Suspended"
        DECOMMISSIONED = "decommissioned", "Decommissioned"

    code = models.CharField(
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9_-]*$", "Upper-case letters, digits, - and _ only.")],
        help_text="What the device sends with each read, e.g. CAM-0042.",
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIXED)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    road = models.CharField(max_length=120, blank=True)
    direction = models.CharField(max_length=40, blank=True, help_text="Direction of travel covered.")
    area = models.CharField(max_length=80, help_text="Force area or district; shown to everyone.")
    installed_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        permissions = [("view_camera_location", "Can see cameras' exact locations")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="mobile") | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="fixed_camera_has_location",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CameraAccount(models.Model):
    """A machine account (a camera or a gateway) and the cameras it may post reads for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="camera_binding"
    )
    cameras = models.ManyToManyField(Camera, related_name="accounts", blank=True)
    in_vehicle_unit = models.BooleanField(
        default=False,
        help_text="In a patrol car: ingest replies name hits (never covert ones).",
    )

    def __str__(self) -> str:
        return f"{self.user} posts for {self.cameras.count()} camera(s)"


class CameraStatusChange(models.Model):
    """A camera's status and kind from a moment on: the history the public report counts live
    cameras per month from, since the camera itself holds only what is true now.

    Written by the database itself (a trigger on the camera table, migration 0003, running as the
    owner), so no path, the services, a shell or a data fix, changes a camera's status or kind
    without a row here; the application's role may only read it.
    """

    # A camera with a history is never deleted: decommissioned is how a camera ends.
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="status_history")
    status = models.CharField(max_length=16, choices=Camera.Status.choices)
    kind = models.CharField(max_length=10, choices=Camera.Kind.choices)
    since = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["camera", "since", "id"]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.status} ({self.kind}) from {shown(self.since)}"
