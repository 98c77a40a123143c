"""/api/v1/videos/: upload a video for recognition (202 and a job), follow the job."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anpr_site.body_limits import body_limit
from apps.core.users import acting_user

from . import services
from .models import VideoJob
from .selectors import video_jobs_for


class VideoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The video (MP4, MOV, MKV, AVI, MPEG-TS; checked by content).")
    camera = serializers.CharField(help_text="The code of the camera that recorded it.")
    recorded_at = serializers.DateTimeField(help_text="When its first frame was recorded.")
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)


class VideoJobSerializer(serializers.ModelSerializer):
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


class VideoJobViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = VideoJobSerializer
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]
    required_permissions = {
        "GET": ("recognition.view_videojob",),
        "POST": ("recognition.add_videojob",),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return VideoJob.objects.none()
        return video_jobs_for(acting_user(self.request.user))

    def list(self, request):
        return Response(VideoJobSerializer(self.get_queryset()[:100], many=True).data)

    def retrieve(self, request, pk=None):
        return Response(VideoJobSerializer(self.get_object()).data)

    @extend_schema(
        request={"multipart/form-data": VideoUploadSerializer},
        responses={202: VideoJobSerializer, 200: VideoJobSerializer},
    )
    @body_limit("RECOGNITION_VIDEO_MAX_BYTES")
    def create(self, request):
        upload = VideoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        job, created = services.video_job_create(
            upload=data["file"],
            camera_code=data["camera"],
            recorded_at=data["recorded_at"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            uploaded_by=request.user,
        )
        # 202: accepted for processing; 200: this video was posted before, here is its job.
        return Response(
            VideoJobSerializer(job).data, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        )

    @extend_schema(request=None, responses=VideoJobSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.video_job_retry(job=self.get_object())
        return Response(VideoJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
