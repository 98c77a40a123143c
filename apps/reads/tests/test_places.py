"""Where and when: reads inside a circle or polygon drawn on the map, over the search API.

A read is placed by its own position when it has one (a vehicle-mounted camera's), else at its
camera. The world: fixed camera HERE at the centre, THERE 11 km north, a van reading once
400 m from the centre and once 5 km away, and a fixed camera whose read carried its own position.
"""

import pytest

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.places import circle_from_text, polygon_from_text
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, ago

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/"
CENTRE = (51.5000, -0.1200)
# A square about 1.1 km a side around the centre.
SQUARE = "51.495,-0.128;51.495,-0.112;51.505,-0.112;51.505,-0.128"


@pytest.fixture
def officer(make_user, api_client_for):
    return api_client_for(make_user("officer", username="pc-place"))


@pytest.fixture
def world():
    CameraFactory(code="HERE", latitude=CENTRE[0], longitude=CENTRE[1], area="Centre")
    CameraFactory(code="THERE", latitude=51.6, longitude=-0.12, area="North")
    CameraFactory(code="VAN", kind="mobile", latitude=None, longitude=None, area="Roads")
    CameraFactory(code="MAST", latitude=51.7, longitude=-0.3, area="Far")
    lat, lon = CENTRE
    reads_ingest(
        items=[
            ReadInput(camera="HERE", vrm="AT12HRE", seen_at=ago(minutes=30), confidence=0.9),
            ReadInput(camera="THERE", vrm="AT12THR", seen_at=ago(minutes=30), confidence=0.9),
            ReadInput(
                camera="VAN",
                vrm="VN12NRB",
                seen_at=ago(minutes=20),
                confidence=0.9,
                latitude=lat + 0.0036,
                longitude=lon,
            ),
            ReadInput(
                camera="VAN",
                vrm="VN12FAR",
                seen_at=ago(minutes=10),
                confidence=0.9,
                latitude=lat + 0.045,
                longitude=lon,
            ),
            # a fixed camera far away whose read said it was taken at the centre: its own position counts
            ReadInput(
                camera="MAST",
                vrm="MS12OWN",
                seen_at=ago(minutes=5),
                confidence=0.9,
                latitude=lat,
                longitude=lon,
            ),
            ReadInput(camera="HERE", vrm="AT12OLD", seen_at=ago(hours=30), confidence=0.9),
        ],
        source="upload",
    )


def hour(**place) -> dict:
    return {
        "seen_after": ago(hours=2).isoformat(),
        "seen_before": ago(minutes=0).isoformat(),
        **place,
        **PURPOSE,
    }


def plates(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {read["vrm"] for read in response.json()["results"]}


def test_a_circle_finds_fixed_and_mobile_reads_by_where_they_were_taken(officer, world):
    assert plates(officer.get(URL, hour(near=f"{CENTRE[0]},{CENTRE[1]},500"))) == {
        "AT12HRE",
        "VN12NRB",
        "MS12OWN",
    }
    assert plates(officer.get(URL, hour(near=f"{CENTRE[0]},{CENTRE[1]},300"))) == {"AT12HRE", "MS12OWN"}
    assert plates(officer.get(URL, hour(near=f"{CENTRE[0]},{CENTRE[1]},6000"))) == {
        "AT12HRE",
        "VN12NRB",
        "VN12FAR",
        "MS12OWN",
    }
    assert plates(officer.get(URL, hour(near=f"{CENTRE[0]},{CENTRE[1]},12000"))) >= {"AT12THR"}


def test_a_polygon_finds_the_reads_inside_it(officer, world):
    assert plates(officer.get(URL, hour(within=SQUARE))) == {"AT12HRE", "VN12NRB", "MS12OWN"}
    # a triangle just north of the centre: the van's read 400 m north, not the centre's
    north_of_centre = "51.502,-0.125;51.502,-0.115;51.506,-0.120"
    assert plates(officer.get(URL, hour(within=north_of_centre))) == {"VN12NRB"}


def test_a_place_with_a_plate_or_a_pattern(officer, world):
    params = {"vrm": "VN12*", "near": f"{CENTRE[0]},{CENTRE[1]},1000", **PURPOSE}
    assert plates(officer.get(URL, params)) == {"VN12NRB"}


def test_without_a_plate_a_place_needs_a_day_at_most(officer, world):
    response = officer.get(URL, {"near": f"{CENTRE[0]},{CENTRE[1]},500", **PURPOSE})
    assert response.status_code == 400 and "place on the map" in str(response.json())
    two_days = hour(near=f"{CENTRE[0]},{CENTRE[1]},500") | {"seen_after": ago(hours=48).isoformat()}
    assert officer.get(URL, two_days).status_code == 400


def test_the_place_is_recorded_in_its_normal_form(officer, world):
    search = officer.get(URL, hour(near=" 51.5, -0.12 , 500 ")).json()["search"]
    assert SearchAudit.objects.get(pk=search).filters["near"] == "51.500000,-0.120000,500"


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ({"near": "51.5,-0.12"}, "radius"),
        ({"near": "51.5,-0.12,0"}, "radius from 1"),
        ({"near": "51.5,-0.12,20001"}, "radius from 1"),
        ({"near": "north,-0.12,100"}, "not a number"),
        ({"near": "91,-0.12,100"}, "Latitude runs"),
        ({"near": "nan,-0.12,100"}, "not a number"),
        ({"within": "51.5,-0.12;51.6,-0.12"}, "3 to 50 corners"),
        ({"within": "51.5,-0.12;51.6;51.6,-0.13"}, "not a corner"),
        ({"within": "51.0,-0.5;51.0,0.5;51.5,0.5"}, "km across"),
        # inside the limit as typed, across it once rounded to the normal form kept
        ({"within": "51.5,0;51.8597285,0.0000004;51.5,0.0000004"}, "km across"),
        ({"near": "51.5,-0.12,100", "area": "Centre"}, "one place"),
        ({"near": "51.5,-0.12,100", "within": SQUARE}, "one place"),
    ],
)
def test_a_place_that_is_none_gets_a_clear_400(officer, world, place, message):
    response = officer.get(URL, hour(**place))
    assert response.status_code == 400
    assert message.lower() in str(response.json()).lower()
    assert not SearchAudit.objects.exists()


def test_the_text_forms_round_trip():
    assert str(circle_from_text("51.5,-0.12,500")) == "51.500000,-0.120000,500"
    square = polygon_from_text(SQUARE)
    assert polygon_from_text(str(square)) == square and len(square.corners) == 4
    assert circle_from_text("51.5,-0.12,500").box.north == pytest.approx(51.5045, abs=1e-4)


def test_the_window_holds_for_a_place(officer, world):
    day_before = {
        "near": f"{CENTRE[0]},{CENTRE[1]},500",
        "seen_after": ago(hours=31).isoformat(),
        "seen_before": ago(hours=29).isoformat(),
        **PURPOSE,
    }
    assert plates(officer.get(URL, day_before)) == {"AT12OLD"}
    long_ago = day_before | {
        "seen_after": ago(days=120).isoformat(),
        "seen_before": ago(days=119, hours=1).isoformat(),
    }
    assert officer.get(URL, long_ago).status_code == 403  # before the 90-day window, as every search


def test_the_portal_says_which_place_was_searched(make_user, sign_in_client, world):
    client = sign_in_client(make_user("officer", username="pc-portal-place"))
    circle = client.post("/reads/", hour(near=f"{CENTRE[0]},{CENTRE[1]},500")).content.decode()
    assert "within 500 m of 51.500000, -0.120000" in circle and "VN12NRB" in circle
    polygon = client.post("/reads/", hour(within=SQUARE)).content.decode()
    assert "inside the polygon drawn (4 corners)" in polygon


def test_under_an_access_request_a_place_must_reach_its_places(make_user, api_client_for, world):
    from django.utils import timezone
    from guardian.shortcuts import assign_perm

    from apps.access_requests.models import AccessRequest
    from apps.access_requests.services import USE

    officer = make_user("officer", username="pc-request")
    request = AccessRequest.objects.create(
        requester=officer,
        investigation_reference="OP-PLACE",
        offence=AccessRequest.Offence.MAJOR_CRIME,
        justification="An investigation",
        period_start=ago(days=200),
        period_end=ago(days=100),
        days_needed=30,
        status=AccessRequest.Status.APPROVED,
        expires_at=timezone.now() + timezone.timedelta(days=20),
        areas=["North"],
    )
    assign_perm(USE, officer, request)
    client = api_client_for(officer)
    old = {"seen_after": ago(days=150).isoformat(), "seen_before": ago(days=149, hours=1).isoformat()}
    at_centre = client.get(
        URL, {"near": f"{CENTRE[0]},{CENTRE[1]},500", "access_request": request.pk, **old, **PURPOSE}
    )
    assert at_centre.status_code == 400 and "covers only area North" in str(at_centre.json())
    at_there = client.get(URL, {"near": "51.6,-0.12,500", "access_request": request.pk, **old, **PURPOSE})
    assert at_there.status_code == 200, at_there.content
