"""Camera and camera-account JSON: what each endpoint takes (`...InputSerializer`, validated
here) and what it answers (`...OutputSerializer`, shaped by what the caller may see)."""

from rest_framework import serializers

from .disclosure import camera_as_disclosed
from .models import Camera
from .services import EDITABLE_FIELDS


class CameraInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Camera
        fields = ["code", *EDITABLE_FIELDS]
        # The model's check constraint is enforced by full_clean in the service.
        validators: list[object] = []


class CameraOutputSerializer(serializers.Serializer):
    """code, kind, status and area for everyone; name and location only with the permission."""

    code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    area = serializers.CharField()
    name = serializers.CharField(required=False)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    road = serializers.CharField(required=False)
    direction = serializers.CharField(required=False)

    def to_representation(self, camera):
        return camera_as_disclosed(camera, self.context["request"].user)


class CameraAccountInputSerializer(serializers.Serializer):
    """The cameras a machine account is to post for (replacing its set)."""

    cameras = serializers.ListField(child=serializers.CharField(max_length=32), max_length=10_000)
    in_vehicle_unit = serializers.BooleanField(required=False)


class CameraAccountOutputSerializer(serializers.Serializer):
    """A machine account's binding: the codes of the cameras it may post for."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    is_active = serializers.BooleanField()
    cameras = serializers.ListField(child=serializers.CharField())
    in_vehicle_unit = serializers.BooleanField()

    def to_representation(self, account):
        binding = getattr(account, "camera_binding", None)
        return {
            "id": account.pk,
            "username": account.username,
            "is_active": account.is_active,
            "cameras": sorted(camera.code for camera in binding.cameras.all()) if binding else [],
            "in_vehicle_unit": bool(binding and binding.in_vehicle_unit),
        }
