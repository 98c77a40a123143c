"""Camera JSON: input validation, and output shaped by what the caller may see."""

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
