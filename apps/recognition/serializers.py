"""Video JSON: what an upload takes (`VideoJobInputSerializer`) and a job as answered
(`VideoJobOutputSerializer`)."""

from django.urls import reverse
from rest_framework import serializers

from .models import VideoJob


class VideoJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The video (MP4, MOV, MKV, AVI, MPEG-TS; checked by content).")
    camera = serializers.CharField(help_text="The code of the camera that recorded it.")
    recorded_at = serializers.DateTimeField(help_text="When its first frame was recorded.")
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)


class VideoJobOutputSerializer(serializers.ModelSerializer):
    camera = serializers.CharField(source="camera.code")
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = VideoJob
        fields = [
            "id",
            "url",
            "status",
            "progress",
            "camera",
            "recorded_at",
            "original_name",
            "size",
            "uploaded_by",
            "uploaded_at",
            "reads_found",
            "reads_stored",
            "error",
            "attempts",
            "started_at",
            "finished_at",
            "timings",
        ]

    def get_progress(self, job: VideoJob) -> dict:
        return {"frames_done": job.frames_done, "frames_total": job.frames_total, "percent": job.percent}

    def get_url(self, job: VideoJob) -> str:
        return reverse("recognition:detail", args=[job.pk])
