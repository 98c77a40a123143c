"""Every read is checked against active, unexpired entries: exact and look-alike, each once."""

import dataclasses
import inspect
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists import matching
from apps.hotlists.models import Alert, HotlistEntry
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("administrator")


@pytest.fixture
def camera():
    return CameraFactory(code="CAM-H")


def ingest(*vrms, moment=None):
    moment = moment or timezone.now()
    return reads_ingest(
        items=[ReadInput(camera="CAM-H", vrm=vrm, seen_at=moment, confidence=0.9) for vrm in vrms],
        source="camera",
    )


def test_an_exact_match_raises_an_alert_with_the_entrys_details(admin, camera):
    hotlist = make_hotlist(admin, priority=1)
    add_entry(
        hotlist, "ab12 cde", admin, reason="wanted", action="stop", markers=["violent"], information="Armed"
    )
    result = ingest("AB12CDE", "XY99ZZZ")
    [alert] = result.alerts
    assert (alert.vrm, alert.entry_vrm, alert.match, alert.priority) == ("AB12CDE", "AB12CDE", "exact", 1)
    assert (alert.reason, alert.action, alert.markers, alert.information) == (
        "wanted",
        "stop",
        ["violent"],
        "Armed",
    )
    assert alert.camera == camera


@pytest.mark.parametrize(
    ("listed", "read"), [("AB12CDE", "A812C0E"), ("SO51LIZ", "5051L12"), ("GB66DOQ", "6866O0D")]
)
def test_look_alike_characters_match_at_lower_priority(admin, camera, listed, read):
    add_entry(make_hotlist(admin, priority=1), listed, admin)
    [alert] = ingest(read).alerts
    assert (alert.match, alert.priority, alert.entry_vrm) == ("lookalike", 2, listed)


@pytest.mark.parametrize("colour", ["red", "white", None])
def test_a_hit_is_raised_whatever_colour_the_read_gives_the_vehicle(admin, camera, colour):
    # The list says nothing of colour, and a resprayed or misjudged car is still the car.
    add_entry(make_hotlist(admin), "CO12LOR", admin, information="Blue Ford Focus")
    read = ReadInput(camera="CAM-H", vrm="CO12LOR", seen_at=timezone.now(), confidence=0.9, colour=colour)
    [alert] = reads_ingest(items=[read], source="camera").alerts
    assert (alert.vrm, alert.match) == ("CO12LOR", "exact")


def test_colour_is_no_input_to_matching():
    # Matching is given StoredRead, which carries no colour, and an entry has none to compare.
    assert "colour" not in {f.name for f in dataclasses.fields(matching.StoredRead)}
    assert "colour" not in {f.name for f in HotlistEntry._meta.get_fields()}
    assert "colour" not in inspect.getsource(matching).split('"""', 2)[2]  # past its docstring


def test_plates_that_differ_otherwise_do_not_match(admin, camera):
    add_entry(make_hotlist(admin), "AB12CDE", admin)
    assert ingest("AB12CDF", "AB12CD", "XAB12CDE").alerts == []


def test_expired_entries_and_inactive_lists_never_match(admin, camera):
    add_entry(
        make_hotlist(admin, name="Live list"),
        "EX12PRD",
        admin,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    add_entry(make_hotlist(admin, name="Switched off", active=False), "IN12ACT", admin)
    add_entry(
        make_hotlist(admin, name="Future weed"),
        "OK12FUT",
        admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert [a.vrm for a in ingest("EX12PRD", "IN12ACT", "OK12FUT").alerts] == ["OK12FUT"]


def test_a_read_on_two_lists_raises_two_alerts(admin, camera):
    add_entry(make_hotlist(admin, name="National"), "TW12LST", admin)
    add_entry(make_hotlist(admin, name="Local", source="local"), "TW12LST", admin)
    assert len(ingest("TW12LST").alerts) == 2


def test_a_duplicate_read_raises_no_second_alert(admin, camera):
    add_entry(make_hotlist(admin), "DU12PLI", admin)
    moment = timezone.now()
    assert len(ingest("DU12PLI", moment=moment).alerts) == 1
    again = ingest("DU12PLI", moment=moment)
    assert (again.duplicates, again.alerts) == (1, [])
    assert Alert.objects.count() == 1


def test_matching_is_one_query_however_many_entries(admin, camera, django_assert_max_num_queries):
    from apps.hotlists import services

    hotlist = make_hotlist(admin)
    services.entries_import(
        hotlist=hotlist,
        rows=[{"vrm": f"BK{n:05d}", "reason": "stolen", "action": "stop"} for n in range(5000)],
        replace=False,
        actor=admin,
    )
    from apps.hotlists.matching import StoredRead, raise_alerts

    reads = [
        StoredRead(id=n, seen_at=timezone.now(), camera_id=camera.pk, vrm=f"BK{n:05d}", plate_image="")
        for n in range(0, 5000, 50)
    ]
    with django_assert_max_num_queries(2):  # the entries, then one bulk insert of alerts
        assert len(raise_alerts(reads)) == 100
