"""/api/v1/cameras/: everyone with the registry permission lists cameras; administrators change them.
/api/v1/camera-accounts/: administrators bind machine accounts to the cameras they post for."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.core.users import acting_user

from . import services
from .bindings import camera_account_bind, camera_accounts
from .selectors import cameras_visible_to
from .serializers import (
    CameraAccountInputSerializer,
    CameraAccountOutputSerializer,
    CameraInputSerializer,
    CameraOutputSerializer,
)


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
        return cameras_visible_to(acting_user(self.request.user))

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, code=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=CameraInputSerializer, responses={201: CameraOutputSerializer})
    def create(self, request):
        data = self._valid(CameraInputSerializer(data=request.data))
        camera = services.camera_create(**data)
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
        camera = services.camera_update(camera=camera, **data)
        return Response(self.get_serializer(camera).data)

    @staticmethod
    def _valid(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class CameraAccountViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = CameraAccountOutputSerializer
    required_permissions = {
        "GET": ("accounts.view_user", "cameras.view_camera"),
        "PUT": ("accounts.change_user", "cameras.view_camera"),
    }

    def get_queryset(self):
        return camera_accounts()

    def list(self, request):
        return Response(CameraAccountOutputSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(CameraAccountOutputSerializer(self.get_object()).data)

    @extend_schema(
        request=CameraAccountInputSerializer,
        responses=CameraAccountOutputSerializer,
        summary="Bind the account to exactly these cameras (replacing its set)",
    )
    def update(self, request, pk=None):
        account = self.get_object()
        serializer = CameraAccountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            camera_account_bind(
                account=account,
                camera_codes=serializer.validated_data["cameras"],
                in_vehicle_unit=serializer.validated_data.get("in_vehicle_unit"),
                actor=request.user,
                request=request,
            )
        except DjangoValidationError as refused:
            raise ValidationError(refused.message_dict) from None
        return Response(CameraAccountOutputSerializer(self.get_queryset().get(pk=account.pk)).data)
