"""Uploaded videos and the recognition jobs that turn them into reads."""

import uuid

from django.conf import settings
from django.db import models


class VideoJob(models.Model):
    """An uploaded video, and the progress and outcome of recognising the plates in it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    # Seeds the ids of the reads the job stores: a job run twice stores each read once.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="video_jobs")
    recorded_at = models.DateTimeField(help_text="When the video's first frame was recorded.")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    file = models.FileField(upload_to="videos/%Y/%m/", blank=True)
    # The footage itself goes after RECOGNITION_VIDEO_RETENTION_DAYS; the job and its reads stay.
    file_removed_at = models.DateTimeField(null=True, blank=True)
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    duration = models.FloatField(null=True, help_text="Seconds of footage.")
    frames_total = models.PositiveIntegerField(null=True)
    frames_done = models.PositiveIntegerField(default=0)
    reads_found = models.PositiveIntegerField(default=0)
    reads_stored = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    timings = models.JSONField(default=dict, help_text="Seconds spent per stage.")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        permissions = [("view_all_videojobs", "Can see every user's video jobs")]
        constraints = [
            # The same file for the same camera and time is one job per uploader, however often
            # they post it; another user's copy is a job of their own.
            models.UniqueConstraint(
                fields=["sha256", "camera", "recorded_at", "uploaded_by"],
                name="one_job_per_video_per_uploader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.frames_total:
            return 0
        return min(99, 100 * self.frames_done // self.frames_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
