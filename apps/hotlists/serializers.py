"""Hotlist, entry and alert JSON: inputs validated here, outputs shaped for the caller."""

from rest_framework import serializers

from apps.core.plates import VRM_MAX_LENGTH, normalise_vrm

from .models import Alert, Hotlist, HotlistEntry


class HotlistSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hotlist
        fields = ["id", "name", "source", "priority", "active", "covert"]
        read_only_fields = ["id"]


class MarkersField(serializers.ListField):
    """A list of short warning markers; in CSV, one cell separated by semicolons."""

    child = serializers.CharField(max_length=40)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [marker.strip() for marker in data.split(";") if marker.strip()]
        return super().to_internal_value(data)


class EntrySerializer(serializers.ModelSerializer):
    markers = MarkersField(required=False)

    class Meta:
        model = HotlistEntry
        fields = ["id", "vrm", "reason", "action", "markers", "information", "expires_at", "added_at"]
        read_only_fields = ["id", "added_at"]
        validators: list[object] = []  # one entry per plate per list is checked by the service's full_clean

    def validate_vrm(self, value: str) -> str:
        plate = normalise_vrm(value)
        if not plate:
            raise serializers.ValidationError("The plate has no letters or digits.")
        if len(plate) > VRM_MAX_LENGTH:
            raise serializers.ValidationError(f"Longer than {VRM_MAX_LENGTH} characters.")
        return plate


class AlertSerializer(serializers.ModelSerializer):
    hotlist = serializers.CharField(source="hotlist.name")
    camera = serializers.CharField(source="camera.code")
    area = serializers.CharField(source="camera.area")
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", default=None)
    outcome_by = serializers.CharField(source="outcome_by.username", default=None)

    class Meta:
        model = Alert
        fields = [
            "id",
            "vrm",
            "entry_vrm",
            "match",
            "priority",
            "hotlist",
            "reason",
            "action",
            "markers",
            "information",
            "camera",
            "area",
            "read_seen_at",
            "created_at",
            "historic",
            "acknowledged_by",
            "acknowledged_at",
            "outcome",
            "outcome_by",
            "outcome_at",
            "outcome_notes",
        ]


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Alert.Outcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
