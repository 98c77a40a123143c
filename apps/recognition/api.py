"""/api/v1/videos/: upload a video for recognition (202 and a job), follow the job."""

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anpr_site.body_limits import body_limit
from apps.core.users import acting_user

from . import services
from .models import VideoJob
from .selectors import video_jobs_for
from .serializers import VideoJobInputSerializer, VideoJobOutputSerializer


class VideoJobViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = VideoJobOutputSerializer
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
        return Response(VideoJobOutputSerializer(self.get_queryset()[:100], many=True).data)

    def retrieve(self, request, pk=None):
        return Response(VideoJobOutputSerializer(self.get_object()).data)

    @extend_schema(
        request={"multipart/form-data": VideoJobInputSerializer},
        responses={202: VideoJobOutputSerializer, 200: VideoJobOutputSerializer},
    )
    @body_limit("RECOGNITION_VIDEO_MAX_BYTES")
    def create(self, request):
        upload = VideoJobInputSerializer(data=request.data)
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
            VideoJobOutputSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=VideoJobOutputSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.video_job_retry(job=self.get_object())
        return Response(VideoJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)
