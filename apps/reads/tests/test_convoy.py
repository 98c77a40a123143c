"""Convoy: the vehicles travelling with one, over /api/v1/reads/convoy/ and the portal's page.

The world: the vehicle TARGET1 passes cameras A, B and C. CLOSE1 follows it within seconds at
all three; NEAR2 within a minute at two; ONCE1 passes with it at one camera only; LATE1 passes
the same cameras but minutes later; and OLD1 travelled with it more than 90 days ago.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.access_requests.models import AccessRequest
from apps.access_requests.services import USE
from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/convoy/"
NOW = timezone.now().replace(microsecond=0)


def at(days: float = 0, seconds: float = 0):
    return NOW - timedelta(days=days, seconds=seconds)


# (plate, camera, moment): each passage of the vehicle and those around it.
PASSAGES = [
    ("TARGET1", "CAM-A", at(days=2)),
    ("TARGET1", "CAM-B", at(days=2, seconds=-600)),
    ("TARGET1", "CAM-C", at(days=1)),
    ("CLOSE1", "CAM-A", at(days=2, seconds=-3)),
    ("CLOSE1", "CAM-B", at(days=2, seconds=-602)),
    ("CLOSE1", "CAM-C", at(days=1, seconds=5)),
    ("NEAR2", "CAM-A", at(days=2, seconds=40)),
    ("NEAR2", "CAM-C", at(days=1, seconds=-55)),
    ("ONCE1", "CAM-A", at(days=2, seconds=2)),
    ("LATE1", "CAM-A", at(days=2, seconds=-250)),
    ("LATE1", "CAM-B", at(days=2, seconds=-850)),
    # a reading of the vehicle's own plate at the same moment is the vehicle, not a companion
    ("TARGET1", "CAM-A", at(days=2, seconds=1)),
    # long ago: only an access request reaches it, and only for the plates it names
    ("TARGET1", "CAM-A", at(days=250)),
    ("TARGET1", "CAM-B", at(days=249)),
    ("OLD1", "CAM-A", at(days=250, seconds=4)),
    ("OLD1", "CAM-B", at(days=249, seconds=-4)),
]


@pytest.fixture
def world():
    cameras = {
        code: CameraFactory(code=code, area=f"Area {code[-1]}") for code in ("CAM-A", "CAM-B", "CAM-C")
    }
    reads_ingest(
        items=[
            ReadInput(camera=code, vrm=vrm, seen_at=moment, confidence=0.9) for vrm, code, moment in PASSAGES
        ],
        source="upload",
    )
    return cameras


@pytest.fixture
def officer_user(make_user):
    return make_user("officer", username="pc-convoy")


@pytest.fixture
def officer(officer_user, api_client_for):
    return api_client_for(officer_user)


def criteria(**changes) -> dict:
    return {
        "vrm": "target1",
        "seen_after": at(days=30).isoformat(),
        "seen_before": NOW.isoformat(),
        **PURPOSE,
        **changes,
    }


def companions(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [companion["vrm"] for companion in response.json()["results"]]


def test_companions_strongest_first_with_their_sightings(officer, world):
    response = officer.get(URL, criteria())
    assert companions(response) == ["CLOSE1", "NEAR2"]
    body = response.json()
    assert (body["vrm"], body["window_s"], body["min_cameras"]) == ("TARGET1", 60, 2)
    assert body["sightings"] == 4 and body["sightings_capped"] is False
    close = body["results"][0]
    assert close["camera_count"] == 3 and close["cameras"] == ["CAM-A", "CAM-B", "CAM-C"]
    assert close["closeness_s"] == pytest.approx((3 + 2 + 5) / 3, abs=0.1)  # its closest at each camera
    gaps = sorted((sighting["camera"], sighting["gap_s"]) for sighting in close["sightings"])
    assert gaps == [("CAM-A", 3.0), ("CAM-A", 4.0), ("CAM-B", 2.0), ("CAM-C", 5.0)]
    assert {sighting["area"] for sighting in close["sightings"]} == {"Area A", "Area B", "Area C"}
    near = body["results"][1]
    assert near["cameras"] == ["CAM-A", "CAM-C"] and near["closeness_s"] == pytest.approx(
        (39 + 55) / 2, abs=0.1
    )


def test_terms_widen_and_narrow_what_counts(officer, world):
    assert companions(officer.get(URL, criteria(window_s=10))) == ["CLOSE1"]
    assert companions(officer.get(URL, criteria(min_cameras=3))) == ["CLOSE1"]
    # minutes either side take LATE1 in at A and at B, 250 s after the vehicle at each
    assert companions(officer.get(URL, criteria(window_s=280))) == ["CLOSE1", "NEAR2", "LATE1"]


def test_the_search_is_audited_under_its_purpose_before_it_answers(officer, world):
    response = officer.get(URL, criteria(window_s=30))
    audit = SearchAudit.objects.get(pk=response.json()["search"])
    assert (audit.kind, audit.username, audit.vrm, audit.via) == ("convoy", "pc-convoy", "TARGET1", "api")
    assert (audit.purpose, audit.reference) == (PURPOSE["purpose"], PURPOSE["reference"])
    assert audit.result_count == 1  # CLOSE1 only, within 30 s
    assert audit.filters["window_s"] == 30 and audit.filters["min_cameras"] == 2
    assert audit.filters["shown"] == ["CLOSE1"]  # the plates that left, for an auditor


def test_a_period_wholly_before_the_window_is_refused_and_recorded(officer, world):
    response = officer.get(
        URL, criteria(seen_after=at(days=120).isoformat(), seen_before=at(days=95).isoformat())
    )
    assert response.status_code == 403
    assert SecurityEvent.objects.filter(username="pc-convoy", kind="search_refused").exists()
    assert not SearchAudit.objects.exists()


def test_companion_reads_outside_the_window_are_not_counted(officer, world):
    # OLD1 travelled with it 250 days ago: the period reaches back, the standard window does not
    old = criteria(seen_after=at(days=260).isoformat(), seen_before=NOW.isoformat())
    assert officer.get(URL, old).status_code == 400  # more than 92 days
    recent = criteria(seen_after=at(days=91).isoformat())
    assert "OLD1" not in companions(officer.get(URL, recent))


def test_an_access_request_for_the_plate_opens_its_reads_but_not_others(officer_user, officer, world):
    request = AccessRequest.objects.create(
        requester=officer_user,
        investigation_reference="OP-CONVOY",
        offence=AccessRequest.Offence.MAJOR_CRIME,
        justification="An investigation",
        period_start=at(days=260),
        period_end=at(days=240),
        days_needed=20,
        status=AccessRequest.Status.APPROVED,
        expires_at=NOW + timedelta(days=20),
        vrms=["TARGET1"],
    )
    assign_perm(USE, officer_user, request)
    old = criteria(seen_after=at(days=260).isoformat(), seen_before=at(days=240).isoformat())
    response = officer.get(URL, old | {"access_request": request.pk})
    # its two old sightings are looked from, but OLD1's reads are no plate the request names
    assert companions(response) == [] and response.json()["sightings"] == 2
    request.vrms = []  # a request for the period, every plate
    request.save()
    assert companions(officer.get(URL, old | {"access_request": request.pk})) == ["OLD1"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vrm": "TARGET*"}, "vrm"),
        ({"vrm": ""}, "vrm"),
        ({"seen_after": ""}, "seen_after"),
        ({"seen_before": ""}, "seen_before"),
        ({"seen_after": at(days=100).isoformat()}, "seen_before"),  # more than 92 days
        ({"seen_after": NOW.isoformat(), "seen_before": at(days=1).isoformat()}, "seen_before"),
        ({"window_s": "0"}, "window_s"),
        ({"window_s": "301"}, "window_s"),
        ({"window_s": "soon"}, "window_s"),
        ({"min_cameras": "1"}, "min_cameras"),
        ({"min_cameras": "11"}, "min_cameras"),
        ({"purpose": ""}, "purpose"),
        ({"reference": ""}, "reference"),
    ],
)
def test_bad_criteria_get_a_clear_400_and_no_search(officer, world, changes, field):
    response = officer.get(URL, criteria(**changes))
    assert response.status_code == 400, response.content
    assert field in response.json()["detail"]
    assert not SearchAudit.objects.exists()


def test_posted_criteria_from_a_browser_and_a_search_in_an_address_refused(make_user, sign_in_client, world):
    browser = sign_in_client(make_user("officer", username="pc-browser"))
    assert browser.get(URL, criteria()).status_code == 403
    response = browser.post(URL, criteria(), content_type="application/json")
    assert [c["vrm"] for c in response.json()["results"]] == ["CLOSE1", "NEAR2"]
    assert browser.post(URL, ["not", "an", "object"], content_type="application/json").status_code == 400


@pytest.mark.parametrize("role", ["planner", "auditor", "administrator"])
def test_only_those_who_search_reads_may_ask(make_user, api_client_for, world, role):
    client = api_client_for(make_user(role))
    assert client.get(URL, criteria()).status_code == 403
    assert not SearchAudit.objects.exists()


def test_counts_against_the_hours_search_allowance(officer, world, settings):
    settings.READ_SEARCHES_PER_HOUR = 2
    assert officer.get("/api/v1/reads/", {"vrm": "CLOSE1", **PURPOSE}).status_code == 200
    assert officer.get(URL, criteria()).status_code == 200
    refused = officer.get(URL, criteria())
    assert refused.status_code == 429 and "Retry-After" in refused
    assert SecurityEvent.objects.filter(username="pc-convoy", kind="throttled").count() == 1


def test_camera_positions_are_not_part_of_the_answer(make_user, api_client_for, world):
    planner_like = make_user("officer", username="pc-with-locations")
    planner_like.user_permissions.add(Permission.objects.get(codename="view_camera_location"))
    body = api_client_for(planner_like).get(URL, criteria()).json()
    assert "latitude" not in str(body) and "road" not in str(body)


def test_the_portal_page_finds_and_records_companions(officer_user, sign_in_client, world):
    client = sign_in_client(officer_user)
    assert "Find companions" in client.get("/reads/convoy/").content.decode()
    page = client.post("/reads/convoy/", criteria())
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("CLOSE1") < text.index("NEAR2") and "ONCE1" not in text and "LATE1" not in text
    assert SearchAudit.objects.get(kind="convoy", username="pc-convoy", via="portal").result_count == 2
    refused = client.post("/reads/convoy/", criteria(min_cameras="1"))
    assert refused.status_code == 400 and "greater than or equal to 2" in refused.content.decode()
    assert SearchAudit.objects.filter(kind="convoy").count() == 1


def test_if_the_audit_row_cannot_be_written_no_companion_leaves(officer, world):
    from django.db import connection

    from conftest import as_database_owner

    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
    response = officer.get(URL, criteria())
    assert response.status_code == 503 and response.json()["error"] == "audit_unavailable"
    assert "CLOSE1" not in response.content.decode()


class Rollback(Exception):
    pass


WINDOW_MINUTES = 90 * 24 * 60
# Each companion passage: (which camera, minutes before now the vehicle passed, seconds off it).
passages = st.lists(
    st.tuples(
        st.sampled_from(["CAM-A", "CAM-B", "CAM-C"]),
        st.integers(min_value=WINDOW_MINUTES - 3, max_value=WINDOW_MINUTES + 3),
        st.integers(min_value=-90, max_value=90),
        st.sampled_from(["PAL1", "PAL2", "PAL3"]),
    ),
    min_size=1,
    max_size=12,
)


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(passages=passages, window_s=st.integers(min_value=1, max_value=90), min_cameras=st.integers(2, 3))
def test_companions_are_exactly_those_inside_the_window_and_terms(officer, passages, window_s, min_cameras):
    """Around the edge of the 90-day window, whatever passes: every companion shown is inside it,
    at min_cameras cameras within window_s of a sighting that is inside it too, and none is withheld."""
    try:
        with transaction.atomic():
            now = timezone.now()
            for code in ("CAM-A", "CAM-B", "CAM-C"):
                CameraFactory(code=code)
            items, pairs = [], set()
            for index, (code, minutes, offset, plate) in enumerate(passages):
                vehicle_at = now - timedelta(minutes=minutes, seconds=index)  # one passage a moment
                companion_at = vehicle_at + timedelta(seconds=offset)
                items += [
                    ReadInput(camera=code, vrm="TARGET1", seen_at=vehicle_at, confidence=0.9),
                    ReadInput(camera=code, vrm=plate, seen_at=companion_at, confidence=0.9),
                ]
                pairs.add((code, vehicle_at, plate, companion_at))
            reads_ingest(items=items, source="upload")
            asked = criteria(
                seen_after=(now - timedelta(days=92)).isoformat(),
                seen_before=now.isoformat(),
                window_s=window_s,
                min_cameras=min_cameras,
            )
            body = officer.get(URL, asked).json()
            edge = timezone.now() - timedelta(minutes=WINDOW_MINUTES)
            for companion in body["results"]:
                for sighting in companion["sightings"]:
                    assert parse_datetime(sighting["seen_at"]) >= edge - timedelta(seconds=5)
                    assert parse_datetime(sighting["vehicle_seen_at"]) >= edge - timedelta(seconds=5)
                    assert sighting["gap_s"] <= window_s
                assert companion["camera_count"] >= min_cameras
            # Inside the window with a margin either side of the edge (the test takes time):
            # the companions expected, every one of them.
            cameras_with: dict[str, set[str]] = {}
            clear_of_edge = True
            for code, _vehicle_at, plate, companion_at in pairs:
                for other_code, other_at, _plate, _at in pairs:
                    if other_code == code and abs((companion_at - other_at).total_seconds()) <= window_s:
                        inside = min(companion_at, other_at) >= edge
                        clear_of_edge &= abs((min(companion_at, other_at) - edge).total_seconds()) > 30
                        if inside:
                            cameras_with.setdefault(plate, set()).add(code)
            if clear_of_edge:
                expected = {plate for plate, codes in cameras_with.items() if len(codes) >= min_cameras}
                assert {companion["vrm"] for companion in body["results"]} == expected
            raise Rollback
    except Rollback:
        pass


def test_a_comparison_too_costly_is_refused_saying_how_to_narrow_it(officer, world, monkeypatch):
    import apps.reads.convoy

    # A vehicle seen 1,500 times, each time with another: more than a millisecond's comparing, so
    # the database itself cancels the statement.
    reads_ingest(
        items=[
            ReadInput(camera=code, vrm=vrm, seen_at=at(days=3 + n / 100, seconds=offset), confidence=0.9)
            for n in range(1500)
            for code, vrm, offset in (("CAM-A", "BUSY1", 0), ("CAM-A", "OTHER1", 2))
        ],
        source="upload",
    )
    monkeypatch.setattr(apps.reads.convoy, "TIME_ALLOWED_MS", 1)
    response = officer.get(URL, criteria(vrm="BUSY1"))
    assert response.status_code == 400 and "narrow the period" in str(response.json())
    assert not SearchAudit.objects.exists()
    assert SecurityEvent.objects.filter(username="pc-convoy", kind="search_refused").exists()


def test_only_the_strongest_come_back_and_the_count_says_how_many_there_were(officer, world, monkeypatch):
    import apps.reads.convoy

    monkeypatch.setattr(apps.reads.convoy, "CONVOY_LIMIT", 1)
    response = officer.get(URL, criteria())
    assert companions(response) == ["CLOSE1"]
    audit = SearchAudit.objects.get(pk=response.json()["search"])
    assert (audit.result_count, audit.result_count_capped) == (1, True)
