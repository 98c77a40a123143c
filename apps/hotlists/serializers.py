"""Hotlist, entry, import and alert JSON: what each endpoint takes (`...InputSerializer`,
validated here) and what it answers (`...OutputSerializer`, shaped for the caller)."""

from rest_framework import serializers

from apps.core.plate_formats import NotAPlate, checked_plate

from .models import Alert, Hotlist, HotlistEntry

HOTLIST_FIELDS = ["name", "source", "priority", "active", "covert"]
ENTRY_FIELDS = ["vrm", "foreign", "reason", "action", "markers", "information", "expires_at"]


class HotlistInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hotlist
        fields = HOTLIST_FIELDS


class HotlistOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hotlist
        fields = ["id", *HOTLIST_FIELDS]
        read_only_fields = ["id"]


class MarkersField(serializers.ListField):
    """A list of short warning markers; in CSV, one cell separated by semicolons."""

    child = serializers.CharField(max_length=40)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [marker.strip() for marker in data.split(";") if marker.strip()]
        return super().to_internal_value(data)


class EntryInputSerializer(serializers.ModelSerializer):
    """An entry as posted, patched or read from an import file's row."""

    markers = MarkersField(required=False)

    class Meta:
        model = HotlistEntry
        fields = ENTRY_FIELDS
        validators: list[object] = []  # one entry per plate per list is checked by the service's full_clean

    def validate(self, attrs: dict) -> dict:
        """The plate checked with what it is said to be; on a change of either, with the other as held."""
        if "vrm" in attrs or "foreign" in attrs:
            held = self.instance
            text = attrs.get("vrm", held.vrm if held else "")
            foreign = attrs.get("foreign", held.foreign if held else False)
            try:
                plate = checked_plate(text, foreign=foreign)
            except NotAPlate as refused:
                raise serializers.ValidationError({"vrm": [str(refused)]}) from refused
            if "vrm" in attrs:
                attrs["vrm"] = plate
        return attrs


class EntryOutputSerializer(serializers.ModelSerializer):
    markers = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = HotlistEntry
        fields = ["id", *ENTRY_FIELDS, "added_at"]
        read_only_fields = ["id", "added_at"]


class ImportModeField(serializers.ChoiceField):
    """merge or replace, merge when left out. Sent empty it is refused like any other wrong mode
    (DRF takes an empty form field as one left out)."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class EntryImportInputSerializer(serializers.Serializer):
    """A CSV file of entries and how to apply it. Every row is checked before anything is
    applied; a file with any problem is refused whole, each problem named by row."""

    # The file is checked by imports.checked_rows, which names every problem by row (a missing
    # or empty file among them), so here it may be either.
    file = serializers.FileField(
        required=False, allow_empty_file=True, help_text="CSV (UTF-8): vrm, reason, action, ..."
    )
    mode = ImportModeField(
        choices=["merge", "replace"],
        default="merge",
        error_messages={"invalid_choice": "Choose merge or replace."},
        help_text="merge adds and updates; replace also removes entries the file does not list.",
    )


class EntryImportOutputSerializer(serializers.Serializer):
    """What an import changed, counted in entries."""

    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    removed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class AlertOutputSerializer(serializers.ModelSerializer):
    hotlist = serializers.CharField(source="hotlist.name")
    camera = serializers.CharField(source="camera.code")
    area = serializers.CharField(source="camera.area")
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", default=None)
    outcome_by = serializers.CharField(source="outcome_by.username", default=None)
    possible_cloned_plate = serializers.SerializerMethodField(
        help_text="The plate was read shortly before too far away for the time: the list's owners "
        "review it in the portal (Possible cloned plates)."
    )

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
            "possible_cloned_plate",
        ]

    def get_possible_cloned_plate(self, alert: Alert) -> bool:
        return hasattr(alert, "cloned_plate")  # the desk's lists fetch it with the alert


class AlertOutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Alert.Outcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
