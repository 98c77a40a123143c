"""Read JSON: what each endpoint takes (`...InputSerializer`: an ingest item, a search's
criteria) and what it answers (`...OutputSerializer`: the ingest receipt, a page of reads with
disclosure applied, the search purposes)."""

import base64
import binascii
import math
import re
import uuid
from datetime import datetime, tzinfo
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from apps.cameras.disclosure import camera_as_disclosed, where_read_was_taken
from apps.cameras.models import clean_code
from apps.cameras.serializers import CameraOutputSerializer
from apps.core.colours import COLOURS, VehicleColour

from .evidence import ImageRejected, check_image
from .filters import COLOUR_NARROWS
from .paging import SORTS
from .services import ReadInput

MAX_PAGE_SIZE = 200  # the most reads one page of a search holds
TAKEN_AT = (
    "Where the read was taken: its own position from a vehicle-mounted camera, else its camera's; "
    "null when neither is known."
)
COLOUR = (
    "The vehicle's body colour, estimated from the picture by video recognition or given with the "
    "read (by the camera, or in a back-loaded file); null when unknown. It describes the vehicle: "
    "hotlists never match on it."
)


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


class CandidateInputSerializer(serializers.Serializer):
    vrm = serializers.CharField(max_length=32)
    confidence = serializers.FloatField(min_value=0, max_value=1)


class ReadInputSerializer(serializers.Serializer):
    """One item of a batch posted by a camera."""

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
    candidates = CandidateInputSerializer(many=True, required=False, default=list)
    colour = serializers.ChoiceField(
        choices=VehicleColour.choices,
        required=False,
        allow_null=True,
        # Not worked out here from a posted image: ingest decodes no picture (README, Vehicle colour).
        help_text="The vehicle's body colour, if the camera tells it; none is worked out from an image.",
    )

    def validate(self, attrs):
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError(
                {"longitude": ["Give both latitude and longitude, or neither."]}
            )
        return attrs


# The item shapes plain_read_input() takes; anything else goes through the serializer.
_PLAIN_FIELDS = frozenset(
    {
        "camera",
        "vrm",
        "seen_at",
        "confidence",
        "read_id",
        "direction",
        "lane",
        "latitude",
        "longitude",
        "colour",
    }
)
_DIRECTION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$")


def plain_read_input(item: dict, zone: tzinfo | None = None) -> ReadInput | None:
    """The read ReadInputSerializer would make of this item, where the item is plain (no images,
    no candidates) and every value well within the serializer's rules; else None, and the caller
    runs the serializer, which says what is wrong. A batch of 50,000 back-loaded rows costs
    0.15 s here against 2 s through the serializer; it accepts nothing the serializer refuses
    (apps/reads/tests/test_plain_read_input.py compares the two). `zone`: the current time zone,
    which a caller converting many items looks up once."""
    if not _PLAIN_FIELDS.issuperset(item):
        return None
    try:
        camera, vrm = _text(item["camera"]), _text(item["vrm"])
        seen_at = datetime.fromisoformat(item["seen_at"])
        confidence = _number(item["confidence"], 0, 1)
        read_id = item.get("read_id")
        latitude, longitude = item.get("latitude"), item.get("longitude")
        direction, lane = item.get("direction", ""), item.get("lane")
        colour = item.get("colour")
        plain = ReadInput(
            camera=clean_code(camera),
            vrm=vrm,
            seen_at=seen_at.astimezone(zone or timezone.get_current_timezone()),
            confidence=confidence,
            read_id=None if read_id is None else uuid.UUID(hex=read_id),
            direction=direction.strip() if type(direction) is str else direction,
            lane=None if lane is None else _whole(lane, 0, 32),
            latitude=None if latitude is None else _number(latitude, -90, 90),
            longitude=None if longitude is None else _number(longitude, -180, 180),
            colour=None if colour is None else _colour(colour),
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None
    if seen_at.tzinfo is None or (latitude is None) != (longitude is None):
        return None
    if not isinstance(plain.direction, str) or len(plain.direction) > 32:
        return None
    if plain.direction and not _DIRECTION.match(plain.direction):
        return None
    return plain


def _colour(value: object) -> str:
    # As the ChoiceField: exactly a colour of the list (no trimming, no other case).
    if type(value) is not str or value not in COLOURS:
        raise ValueError
    return value


def _text(value: object) -> str:
    # As a CharField(max_length=32): trimmed, not blank, no NUL, no lone surrogate (encode raises).
    if type(value) is not str or "\x00" in value or not value.strip() or len(value.strip()) > 32:
        raise ValueError
    value.encode()
    return value.strip()


# DRF's number fields refuse longer text ("String value too large"): so does the fast path.
_NUMBER_MAX_LENGTH = 1000


def _number(value: object, low: float, high: float) -> float:
    if type(value) not in (str, int, float) or (type(value) is str and len(value) > _NUMBER_MAX_LENGTH):
        raise TypeError
    number = float(value)  # type: ignore[arg-type]
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError
    return number


def _whole(value: object, low: int, high: int) -> int:
    if type(value) not in (str, int) or (type(value) is str and len(value) > _NUMBER_MAX_LENGTH):
        raise TypeError
    number = int(value)  # type: ignore[call-overload]
    if not low <= number <= high:
        raise ValueError
    return number


def read_input(validated: dict) -> ReadInput:
    """A validated ingest item as the service takes it."""
    data = dict(validated)
    data["camera"] = clean_code(data["camera"])
    data["candidates"] = [dict(c) for c in data.get("candidates", [])]
    return ReadInput(**data)


class CrewAlertOutputSerializer(serializers.Serializer):
    """A hit told back to an in-vehicle unit: enough for its crew to act on, no more."""

    # Which hits may be told is the hotlists app's rule (on_reads_stored.told_to_crew).

    id = serializers.IntegerField()
    vrm = serializers.CharField()
    hotlist = serializers.CharField(source="hotlist.name")
    match = serializers.CharField()
    priority = serializers.IntegerField()
    action = serializers.CharField()


class ReadIngestOutputSerializer(serializers.Serializer):
    """The receipt for a batch: reads stored, duplicates counted, and hits for the crew (empty
    for any camera but an in-vehicle unit)."""

    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    alerts = CrewAlertOutputSerializer(many=True)


class ReadSearchInputSerializer(serializers.Serializer):
    """A search's criteria, as GET /api/v1/reads/ takes them in its address."""

    # Only a description: the criteria are checked by filters.py, the one definition the
    # portal's search pages share.

    purpose = serializers.CharField(help_text="A code from GET /api/v1/search-purposes/.")
    purpose_detail = serializers.CharField(
        required=False, help_text="Required with purpose `other`: why you are searching."
    )
    reference = serializers.CharField(help_text="Incident, crime or case number.")
    vrm = serializers.CharField(required=False)
    seen_after = serializers.DateTimeField(required=False)
    seen_before = serializers.DateTimeField(required=False)
    camera = serializers.CharField(required=False, help_text="Camera codes, comma-separated.")
    area = serializers.CharField(required=False)
    min_confidence = serializers.FloatField(required=False)
    colour = serializers.ChoiceField(choices=VehicleColour.choices, required=False, help_text=COLOUR_NARROWS)
    access_request = serializers.IntegerField(required=False)
    search = serializers.IntegerField(
        required=False,
        help_text="A further page of your earlier search: with `cursor` (or `sort`) only; "
        "recorded as a page of it.",
    )
    cursor = serializers.CharField(required=False, help_text="`next` or `previous` of a page.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    sort = serializers.ChoiceField(
        choices=list(SORTS),
        required=False,
        help_text="newest (the default), oldest, plate or camera; a cursor keeps its page's order.",
    )


class CandidateOutputSerializer(serializers.Serializer):
    vrm = serializers.CharField()
    confidence = serializers.FloatField()


class ReadOutputSerializer(serializers.Serializer):
    """A stored read as the caller may see it: where it was taken, always (the caller reached it
    through an audited search); its camera's name, road and position only with the permission
    to see locations."""

    # The fields describe the read; to_representation writes it (times as stored, disclosure).

    id = serializers.IntegerField()
    seen_at = serializers.DateTimeField()
    vrm = serializers.CharField()
    vrm_as_read = serializers.CharField()
    confidence = serializers.FloatField()
    candidates = CandidateOutputSerializer(many=True)
    camera = CameraOutputSerializer()
    direction = serializers.CharField()
    lane = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]  # a field named source, not Field.source
    url = serializers.CharField()
    plate_image = serializers.CharField(allow_null=True)
    overview_image = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True, help_text=TAKEN_AT)
    longitude = serializers.FloatField(allow_null=True, help_text=TAKEN_AT)
    colour = serializers.ChoiceField(choices=VehicleColour.choices, allow_null=True, help_text=COLOUR)

    def to_representation(self, read):
        user = self.context["request"].user
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
            **self.links(read),
        }
        latitude, longitude = where_read_was_taken(read) or (None, None)
        return data | {"latitude": latitude, "longitude": longitude}

    def links(self, read) -> dict[str, str | None]:
        """Where the read's page (`url`) and images are opened: under the search that found it
        (`search_id` in the context). A read reached another way says where it is opened there."""
        day, links = read.day, {"search": self.context["search_id"]}
        return {
            "url": _with_query(reverse("reads:detail", args=[day, read.id]), links),
            "plate_image": _image_url(read, "plate", day, links) if read.plate_image else None,
            "overview_image": _image_url(read, "overview", day, links) if read.overview_image else None,
            "colour": read.colour,
        }


def _image_url(read, kind: str, day: str, links: dict) -> str:
    return _with_query(reverse("reads:image", args=[day, read.id, kind]), links)


def _with_query(url: str, params: dict) -> str:
    return f"{url}?{urlencode(params)}"


class ReadPageOutputSerializer(serializers.Serializer):
    """A page of reads in the order asked; `next` and `previous` lead to the pages beside it (null
    at either end), asked for by `search`, the search's audit record: they are part of it."""

    # Written by the search's reply (api._reply) around the reads.

    search = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ReadOutputSerializer(many=True)


class ConvoyInputSerializer(serializers.Serializer):
    """A convoy search's criteria (checked by filters.ConvoyFilter, as the portal's page)."""

    purpose = serializers.CharField(help_text="A code from GET /api/v1/search-purposes/.")
    purpose_detail = serializers.CharField(required=False, help_text="Required with purpose `other`.")
    reference = serializers.CharField(help_text="Incident, crime or case number.")
    vrm = serializers.CharField(help_text="The vehicle of interest: one exact plate.")
    seen_after = serializers.DateTimeField()
    seen_before = serializers.DateTimeField(help_text="At most 92 days after seen_after.")
    window_s = serializers.IntegerField(
        required=False, min_value=1, max_value=300, help_text="Seconds either side: 60 unless given."
    )
    min_cameras = serializers.IntegerField(
        required=False, min_value=2, max_value=10, help_text="Different cameras shared: 2 unless given."
    )
    access_request = serializers.IntegerField(required=False)


class ConvoySightingOutputSerializer(serializers.Serializer):
    camera = serializers.CharField()
    area = serializers.CharField()
    seen_at = serializers.DateTimeField(help_text="When the companion was read.")
    vehicle_seen_at = serializers.DateTimeField(help_text="When the vehicle searched for was read there.")
    gap_s = serializers.FloatField()
    read_id = serializers.IntegerField()
    vehicle_read_id = serializers.IntegerField()


class ConvoyCompanionOutputSerializer(serializers.Serializer):
    vrm = serializers.CharField()
    camera_count = serializers.IntegerField()
    cameras = serializers.ListField(child=serializers.CharField())
    closeness_s = serializers.FloatField(help_text="Mean over the cameras shared of the closest gap.")
    sightings = ConvoySightingOutputSerializer(many=True)


class ConvoyOutputSerializer(serializers.Serializer):
    """The vehicles travelling with one, strongest first: most cameras shared, then closest in time."""

    search = serializers.IntegerField(help_text="The search's audit record.")
    vrm = serializers.CharField()
    window_s = serializers.IntegerField()
    min_cameras = serializers.IntegerField()
    sightings = serializers.IntegerField(help_text="The vehicle's own reads looked from.")
    sightings_capped = serializers.BooleanField(help_text="Only its newest reads were looked from.")
    results = ConvoyCompanionOutputSerializer(many=True)


class SceneInputSerializer(serializers.Serializer):
    """One scene: a place (cameras, an area, a circle or a polygon) and at most a day."""

    camera = serializers.CharField(required=False, help_text="Camera codes, comma-separated.")
    area = serializers.CharField(required=False)
    near = serializers.CharField(required=False, help_text="latitude,longitude,radius in metres.")
    within = serializers.CharField(required=False, help_text="Corners latitude,longitude separated by ';'.")
    seen_after = serializers.DateTimeField()
    seen_before = serializers.DateTimeField(help_text="At most 24 hours after seen_after.")


class ScenesInputSerializer(serializers.Serializer):
    """A multi-place search (checked by filters.scene_filters, as the portal's page)."""

    purpose = serializers.CharField(help_text="A code from GET /api/v1/search-purposes/.")
    purpose_detail = serializers.CharField(required=False, help_text="Required with purpose `other`.")
    reference = serializers.CharField(help_text="Incident, crime or case number.")
    access_request = serializers.IntegerField(required=False)
    scenes = SceneInputSerializer(many=True, help_text="2 to 5 scenes.")
    at_least = serializers.IntegerField(
        required=False, help_text="Scenes a vehicle must be seen at: all unless given."
    )


class SceneSightingOutputSerializer(serializers.Serializer):
    scene = serializers.IntegerField(help_text="The scene's number, from 1, in the order given.")
    camera = serializers.CharField()
    area = serializers.CharField()
    seen_at = serializers.DateTimeField()
    read_id = serializers.IntegerField()


class SceneVehicleOutputSerializer(serializers.Serializer):
    vrm = serializers.CharField()
    scene_count = serializers.IntegerField()
    scenes = serializers.ListField(child=serializers.IntegerField())
    sightings = SceneSightingOutputSerializer(many=True)


class ScenesOutputSerializer(serializers.Serializer):
    """The vehicles seen at enough of the scenes, those at most scenes first, then by plate."""

    search = serializers.IntegerField(help_text="The search's audit record.")
    at_least = serializers.IntegerField()
    results = SceneVehicleOutputSerializer(many=True)


class JourneyInputSerializer(serializers.Serializer):
    """A vehicle history's criteria (checked by filters.HistoryFilter, as the portal's page)."""

    purpose = serializers.CharField(help_text="A code from GET /api/v1/search-purposes/.")
    purpose_detail = serializers.CharField(required=False, help_text="Required with purpose `other`.")
    reference = serializers.CharField(help_text="Incident, crime or case number.")
    vrm = serializers.CharField(help_text="The vehicle: one exact plate (no patterns).")
    seen_after = serializers.DateTimeField(required=False)
    seen_before = serializers.DateTimeField(required=False)
    access_request = serializers.IntegerField(required=False)


class JourneyLegOutputSerializer(serializers.Serializer):
    """From one read to the next (apps/reads/journey.py): distances, never positions."""

    from_read = serializers.IntegerField(source="start.id")
    to_read = serializers.IntegerField(source="end.id")
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Straight line between the reads; null when a position is unknown."
    )
    elapsed_s = serializers.FloatField()
    speed_kmh = serializers.FloatField(
        allow_null=True, help_text="The speed needed; null when the distance is unknown or no time passed."
    )
    implausible = serializers.BooleanField(help_text="Too fast for one vehicle: a possible cloned plate.")
    warning = serializers.CharField(help_text="What an implausible leg means, in its figures; else empty.")


class JourneyOutputSerializer(serializers.Serializer):
    """A vehicle's reads, oldest first (its newest 500 at most), and the legs between them."""

    search = serializers.IntegerField(help_text="The search's audit record.")
    vrm = serializers.CharField()
    count = serializers.IntegerField(help_text="Reads found (counted up to 10,000).")
    count_capped = serializers.BooleanField()
    results = ReadOutputSerializer(many=True)
    legs = JourneyLegOutputSerializer(many=True)


class SearchPurposeOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label, not Field.label
