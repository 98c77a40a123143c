"""/api/v1/cameras/: everyone with the registry permission lists cameras; administrators change them."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import services
from .selectors import cameras_visible_to
from .serializers import CameraInputSerializer, CameraOutputSerializer


class CameraViewSet(viewsets.GenericViewSet):
    lookup_field = "code"
    lookup_value_regex = "[A-Z0-9_-]+"
    serializer_class = CameraOutputSerializer
    required_permissions = {
        "GET": ("cameras.view_camera",),
        "POST": ("cameras.add_camera",),
        "PATCH": ("cameras.change_camera",),
        "PUT": ("cameras.change_camera",),
    }

    def get_queryset(self):
        return cameras_visible_to(self.request.user)

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, code=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=CameraInputSerializer, responses={201: CameraOutputSerializer})
    def create(self, request):
        data = self._valid(CameraInputSerializer(data=request.data))
        camera = services.camera_create(actor=request.user, **data)
        return Response(self.get_serializer(camera).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CameraInputSerializer, responses=CameraOutputSerializer)
    def partial_update(self, request, code=None):
        return self._update(request, partial=True)

    @extend_schema(request=CameraInputSerializer, responses=CameraOutputSerializer)
    def update(self, request, code=None):
        return self._update(request, partial=False)

    def _update(self, request, *, partial: bool):
        camera = self.get_object()
        serializer = CameraInputSerializer(camera, data=request.data, partial=partial)
        data = self._valid(serializer)
        if data.get("code", camera.code) != camera.code:
            raise ValidationError({"code": ["A camera's code cannot change; register a new camera."]})
        data.pop("code", None)
        camera = services.camera_update(camera=camera, actor=request.user, **data)
        return Response(self.get_serializer(camera).data)

    @staticmethod
    def _valid(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
