"""Read JSON: the ingest item (input) and a search result (output, disclosure applied)."""

import base64
import binascii

from django.urls import reverse
from rest_framework import serializers

from apps.cameras.disclosure import camera_as_disclosed, may_see_locations
from apps.cameras.models import clean_code

from .evidence import ImageRejected, check_image
from .services import ReadInput


class EvidenceImageField(serializers.CharField):
    """A base64 image, decoded and checked by content (format, size, integrity)."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.") from None
        try:
            return check_image(content)
        except ImageRejected as rejected:
            raise serializers.ValidationError(str(rejected)) from None


class CandidateSerializer(serializers.Serializer):
    vrm = serializers.CharField(max_length=32)
    confidence = serializers.FloatField(min_value=0, max_value=1)


class ReadInputSerializer(serializers.Serializer):
    camera = serializers.CharField(max_length=32)
    vrm = serializers.CharField(max_length=32)
    seen_at = serializers.DateTimeField()
    confidence = serializers.FloatField(min_value=0, max_value=1)
    read_id = serializers.UUIDField(required=False, allow_null=True)
    plate_image = EvidenceImageField(
        required=False, allow_null=True, allow_blank=False, trim_whitespace=False
    )
    overview_image = EvidenceImageField(
        required=False, allow_null=True, allow_blank=False, trim_whitespace=False
    )
    direction = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$",
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "invalid": "Letters, digits, spaces, '.', '/' and '-', starting with a letter or digit."
        },
    )
    lane = serializers.IntegerField(min_value=0, max_value=32, required=False, allow_null=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    candidates = CandidateSerializer(many=True, required=False, default=list)

    def validate(self, attrs):
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError(
                {"longitude": ["Give both latitude and longitude, or neither."]}
            )
        return attrs


def read_input(validated: dict) -> ReadInput:
    """A validated ingest item as the service takes it."""
    data = dict(validated)
    data["camera"] = clean_code(data["camera"])
    data["candidates"] = [dict(c) for c in data.get("candidates", [])]
    return ReadInput(**data)


class ReadOutputSerializer(serializers.Serializer):
    """A stored read as the caller may see it; camera location and read position need the permission."""

    def to_representation(self, read):
        user = self.context["request"].user
        search_id = self.context["search_id"]
        day = read.day
        links = {"search": search_id}
        data = {
            "id": read.id,
            "seen_at": read.seen_at.isoformat(),
            "vrm": read.vrm,
            "vrm_as_read": read.vrm_as_read,
            "confidence": round(read.confidence, 4),
            "candidates": read.candidates,
            "camera": camera_as_disclosed(read.camera, user),
            "direction": read.direction,
            "lane": read.lane,
            "source": read.source,
            "url": _with_query(reverse("reads:detail", args=[day, read.id]), links),
            "plate_image": _image_url(read, "plate", day, links) if read.plate_image else None,
            "overview_image": _image_url(read, "overview", day, links) if read.overview_image else None,
        }
        if may_see_locations(user):
            latitude, longitude = read.position or (None, None)
            data |= {"latitude": latitude, "longitude": longitude}
        return data


def _image_url(read, kind: str, day: str, links: dict) -> str:
    return _with_query(reverse("reads:image", args=[day, read.id, kind]), links)


def _with_query(url: str, params: dict) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}"
