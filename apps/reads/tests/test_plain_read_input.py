"""The fast path for plain ingest items accepts nothing the serializer refuses, and makes of what
it accepts exactly the read the serializer makes; what it does not take, the serializer judges."""

from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from apps.core.colours import VehicleColour
from apps.reads.serializers import ReadInputSerializer, plain_read_input, read_input

# Values near each rule's edges, and some of the wrong type: both paths see the same item.
TEXT = st.one_of(
    st.sampled_from(
        [
            "CAM-1",
            " cam-1 ",
            "",
            "   ",
            "A" * 32,
            "A" * 33,
            " " + "A" * 32 + " ",
            "AB\x00C",
            "AB\ud800",
            "AB12 CDE",
            "ab-12-cde",
            "é",
        ]
    ),
    st.text(max_size=40),
    st.integers(),
    st.none(),
    st.booleans(),
)
MOMENT = st.one_of(
    st.sampled_from(
        [
            "2026-11-01T10:00:00+00:00",
            "2026-11-01T10:00:00Z",
            "2026-11-01T10:00:00",
            "2026-07-01 10:00:00.5+01:00",
            "2026-11-01",
            "20261101T100000Z",
            "2026-13-01T10:00Z",
            "2026-11-01T10:00:00+25:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "",
            "yesterday",
        ]
    ),
    st.text(max_size=30),
    st.integers(),
)
NUMBER = st.one_of(
    st.sampled_from(
        [
            "0.9",
            " 0.5 ",
            "1",
            "0",
            "-0",
            "1.0000001",
            "nan",
            "inf",
            "1e-3",
            "1_0",
            "",
            "0x1",
            "90",
            "-90.0",
            "180",
            "-180.5",
            " " * 1000 + "0.5",  # DRF refuses numbers written longer than 1,000 characters
            "0" * 1000 + "1",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-200, max_value=200),
    st.booleans(),
    st.none(),
)
UUID = st.one_of(
    st.sampled_from(
        [
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
            "0F8FAD5BD9CB469FA16570867728950E",
            "not-a-uuid",
            "",
        ]
    ),
    st.uuids().map(str),
    st.integers(min_value=0, max_value=2**128),
    st.none(),
)
DIRECTION = st.one_of(
    st.sampled_from(["", "  ", "N", "north bound", "N/S", "-N", " N ", "N\n", "N\x00", "A" * 33, "ü"]),
    st.text(max_size=34),
    st.integers(),
    st.none(),
)
LANE = st.one_of(
    st.integers(min_value=-2, max_value=40),
    st.sampled_from(["3", " 3 ", "3.0", "+3", "3_0", "33", "", "٣", "0" * 1000 + "3", 3.0, True, None]),
)
COLOUR = st.one_of(
    st.sampled_from(["red", "Red", " red", "red ", "", "purple", "grey", 3, True, None, ["red"]]),
    st.text(max_size=8),
)
# Mostly good values, so that many items pass both paths and their results are compared.
GOOD = {
    "camera": st.sampled_from(["CAM-1", " cam-2 "]),
    "vrm": st.sampled_from(["AB12CDE", "ab12 cde", "A1"]),
    "seen_at": st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    "confidence": st.one_of(st.floats(0, 1), st.floats(0, 1).map(str)),
    "read_id": st.uuids().map(str),
    "direction": st.sampled_from(["", "N", "north bound"]),
    "lane": st.integers(0, 32),
    "latitude": st.floats(-90, 90),
    "longitude": st.floats(-180, 180),
    "colour": st.sampled_from([*VehicleColour.values, None]),
}


def mostly_good(name: str, edges: st.SearchStrategy) -> st.SearchStrategy:
    good_or_edge = st.sampled_from([True, True, True, True, False])
    return good_or_edge.flatmap(lambda good: GOOD[name] if good else edges)


FIELDS = {
    "camera": mostly_good("camera", TEXT),
    "vrm": mostly_good("vrm", TEXT),
    "seen_at": mostly_good("seen_at", MOMENT),
    "confidence": mostly_good("confidence", NUMBER),
    "read_id": mostly_good("read_id", UUID),
    "direction": mostly_good("direction", DIRECTION),
    "lane": mostly_good("lane", LANE),
    "latitude": mostly_good("latitude", NUMBER),
    "longitude": mostly_good("longitude", NUMBER),
    "colour": mostly_good("colour", COLOUR),
}
REQUIRED = ("camera", "vrm", "seen_at", "confidence")
ITEMS = st.one_of(
    st.fixed_dictionaries(
        {name: FIELDS[name] for name in REQUIRED},
        optional={name: strategy for name, strategy in FIELDS.items() if name not in REQUIRED},
    ),
    st.fixed_dictionaries({}, optional=FIELDS),  # required fields missing too
)


def by_serializer(item: dict):
    try:
        return read_input(ReadInputSerializer().run_validation(item))
    except ValidationError:
        return None


@settings(max_examples=3000, deadline=None)
@given(ITEMS)
def test_plain_path_agrees_with_the_serializer(item):
    plain = plain_read_input(item)
    if plain is not None:
        checked = by_serializer(item)
        assert checked is not None, f"the fast path accepted what the serializer refuses: {item!r}"
        assert asdict(plain) == asdict(checked)
        assert plain.seen_at.tzinfo == checked.seen_at.tzinfo


def test_items_beyond_the_plain_shape_go_to_the_serializer():
    item = {"camera": "CAM-1", "vrm": "AB12CDE", "seen_at": "2026-11-01T10:00:00Z", "confidence": 0.9}
    assert plain_read_input(item) is not None
    assert plain_read_input(item | {"candidates": []}) is None
    assert plain_read_input(item | {"plate_image": "aGVsbG8="}) is None
    assert plain_read_input(item | {"latitude": 51.5}) is None  # the serializer says why


def test_an_ordinary_back_load_row_takes_the_plain_path():
    # CSV rows arrive as text; the fast path exists for them.
    row = {
        "camera": "cam-1",
        "vrm": "AB12 CDE",
        "seen_at": "2026-11-01T10:00:00Z",
        "confidence": "0.91",
        "read_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "direction": "N",
        "lane": "2",
        "latitude": "51.5",
        "longitude": "-0.1",
        "colour": "silver",
    }
    plain = plain_read_input(row)
    assert plain is not None and asdict(plain) == asdict(by_serializer(row))
    assert plain.camera == "CAM-1" and plain.latitude == 51.5 and plain.colour == "silver"
