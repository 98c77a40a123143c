"""The read store: one row per plate read, in a table partitioned by day on seen_at.

The table is created by SQL in the migrations (Django cannot declare partitioning); this
model describes it to the ORM. Rows are written only by services.reads_ingest (one
multi-row INSERT per batch) and read only through selectors (the access window).
"""

from datetime import UTC, date

from django.db import models

from apps.core.colours import COLOUR_MAX_LENGTH, VehicleColour
from apps.core.times import shown


class Read(models.Model):
    """A plate read by a camera (or found in uploaded video) at a moment in time."""

    class Source(models.TextChoices):
        CAMERA = "camera", "Camera feed"
        UPLOAD = "upload", "Back-loaded file"
        VIDEO = "video", "Video recognition"

    pk = models.CompositePrimaryKey("id", "seen_at")
    id = models.BigIntegerField(editable=False)
    seen_at = models.DateTimeField()
    received_at = models.DateTimeField()
    camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="+")
    vrm = models.CharField(max_length=16, help_text="Normalised: upper case, letters and digits only.")
    vrm_as_read = models.CharField(max_length=32)
    confidence = models.FloatField()
    candidates = models.JSONField(default=list)
    plate_image = models.CharField(max_length=100, blank=True)
    overview_image = models.CharField(max_length=100, blank=True)
    direction = models.CharField(max_length=32, blank=True)
    lane = models.SmallIntegerField(null=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    read_uuid = models.UUIDField(null=True)
    # Null, not blank, for unknown: the API says null, and the column was added to the partitioned
    # table without a default, so no partition was rewritten (migration 0006).
    colour = models.CharField(  # noqa: DJ001
        max_length=COLOUR_MAX_LENGTH,
        choices=VehicleColour.choices,
        null=True,
        blank=True,
        help_text="The vehicle's colour, estimated or sent by the camera; null when unknown. "
        "It describes the vehicle; hotlists never match on it.",
    )

    class Meta:
        # Reads are searched, never changed: no default add/change/delete through Django.
        default_permissions = ("view", "add")
        permissions = [("export_read", "Can export search results")]

    def __str__(self) -> str:
        return f"{self.vrm} at {self.camera_id} {shown(self.seen_at)}"

    @property
    def day(self) -> date:
        """The UTC day of the read: its partition, and part of its address in URLs."""
        return self.seen_at.astimezone(UTC).date()

    @property
    def position(self) -> tuple[float, float] | None:
        """Where the read was made: its own position (a vehicle-mounted camera sends one with each
        read), else its camera's; None when neither is known. Shown to whoever reached the read,
        as apps/cameras/disclosure.py where_read_was_taken decides."""
        if self.latitude is not None and self.longitude is not None:  # sent together, or neither
            return self.latitude, self.longitude
        if self.camera.latitude is not None and self.camera.longitude is not None:
            return self.camera.latitude, self.camera.longitude
        return None


class NationalExportFile(models.Model):
    """One file of the national export (apps/reads/national_export.py): a day's reads received in
    [received_from, received_before). Supplement 0 is the day's file; reads of that day that
    arrive later go in supplements 1, 2, … . Kept until delivered, or for NATIONAL_EXPORT_KEEP_DAYS,
    and never past read retention."""

    day = models.DateField()
    supplement = models.PositiveIntegerField()
    name = models.CharField(max_length=100, help_text="The data file's name; its manifest beside it.")
    received_from = models.DateTimeField(null=True, help_text="None: from the first read.")
    received_before = models.DateTimeField()
    rows = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "supplement"]
        constraints = [
            models.UniqueConstraint(fields=["day", "supplement"], name="national_export_file_once")
        ]

    def __str__(self) -> str:
        return self.name
