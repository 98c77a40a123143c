"""A vehicle's journey over /api/v1/reads/journey/ and on the portal's vehicle history.

The world: JO12URN is read in London, two hours later in Manchester (262 km: 131 km/h), ten
minutes after that in London again (1,572 km/h: a possible cloned plate), then 50 minutes later by
a vehicle-mounted camera in Birmingham (162.5 km from London by the read's own position: 195 km/h).
It was also read in Manchester 100 days ago, outside the standard window: no leg may start from
that read.
"""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/journey/"
NOW = timezone.now().replace(microsecond=0)
WARNING = "Possible cloned plate: 262 km in 10 min needs 1,572 km/h."


def ago(**kwargs):
    return NOW - timedelta(**kwargs)


@pytest.fixture
def world():
    CameraFactory(code="CAM-LON", area="London", latitude=51.5074, longitude=-0.1278)
    CameraFactory(code="CAM-MAN", area="Manchester", latitude=53.4808, longitude=-2.2426)
    CameraFactory(code="CAM-VAN", area="Patrol", kind="mobile", latitude=None, longitude=None)
    passages = [
        ("CAM-MAN", ago(days=100)),
        ("CAM-LON", ago(hours=3)),
        ("CAM-MAN", ago(hours=1)),
        ("CAM-LON", ago(minutes=50)),
    ]
    reads_ingest(
        items=[
            *(
                ReadInput(camera=code, vrm="JO12URN", seen_at=moment, confidence=0.9)
                for code, moment in passages
            ),
            ReadInput(
                camera="CAM-VAN",
                vrm="JO12URN",
                seen_at=NOW,
                confidence=0.9,
                latitude=52.4862,
                longitude=-1.8904,
            ),
        ],
        source="upload",
    )
    reads_ingest(
        items=[ReadInput(camera="CAM-MAN", vrm="OT12HER", seen_at=ago(minutes=55), confidence=0.9)],
        source="upload",
    )


@pytest.fixture
def officer_user(make_user):
    return make_user("officer", username="pc-journey")


@pytest.fixture
def officer(officer_user, api_client_for):
    return api_client_for(officer_user)


def criteria(**changes) -> dict:
    return {"vrm": "jo12 urn", **PURPOSE, **changes}


def test_the_reads_oldest_first_with_the_legs_between(officer, world):
    response = officer.get(URL, criteria())
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["vrm"], body["count"], body["count_capped"]) == ("JO12URN", 4, False)
    cameras = [read["camera"]["code"] for read in body["results"]]
    assert cameras == ["CAM-LON", "CAM-MAN", "CAM-LON", "CAM-VAN"]  # not the one 100 days ago
    ids = [read["id"] for read in body["results"]]
    legs = body["legs"]
    assert [(one["from_read"], one["to_read"]) for one in legs] == list(pairwise(ids))
    drive, jump, van = legs
    assert drive["distance_km"] == pytest.approx(262.0, abs=0.1)
    assert (drive["elapsed_s"], drive["implausible"], drive["warning"]) == (7200, False, "")
    assert drive["speed_kmh"] == pytest.approx(131.0, abs=0.1)
    assert jump["elapsed_s"] == 600 and jump["speed_kmh"] == pytest.approx(1572.0, abs=0.5)
    assert jump["implausible"] is True and jump["warning"] == WARNING
    assert van["distance_km"] == pytest.approx(162.5, abs=0.1) and van["elapsed_s"] == 3000
    assert van["speed_kmh"] == pytest.approx(195.0, abs=0.1) and van["implausible"] is False


def test_the_journey_is_audited_as_a_vehicle_history_before_it_answers(officer, world):
    response = officer.get(URL, criteria())
    audit = SearchAudit.objects.get(pk=response.json()["search"])
    assert (audit.kind, audit.username, audit.vrm, audit.via) == ("history", "pc-journey", "JO12URN", "api")
    assert (audit.purpose, audit.reference, audit.result_count) == (
        PURPOSE["purpose"],
        PURPOSE["reference"],
        4,
    )


def test_figures_come_only_from_the_reads_the_search_returned(officer, world):
    # A period starting after the London read: the first leg is Manchester to London.
    body = officer.get(URL, criteria(seen_after=ago(hours=2).isoformat())).json()
    assert [read["camera"]["code"] for read in body["results"]] == ["CAM-MAN", "CAM-LON", "CAM-VAN"]
    assert body["legs"][0]["warning"] == WARNING
    # Reads 100 days old are beyond the window: refused, and no figure reaches them.
    old = criteria(seen_after=ago(days=101).isoformat(), seen_before=ago(days=99).isoformat())
    assert officer.get(URL, old).status_code == 403
    assert SecurityEvent.objects.filter(username="pc-journey", kind="search_refused").exists()


def test_each_read_says_where_it_was_taken_and_the_registry_stays_withheld(make_user, api_client_for, world):
    body = api_client_for(make_user("officer")).get(URL, criteria()).json()
    first = body["results"][0]
    assert first["latitude"] == 51.5074 and "latitude" not in first["camera"] and "262" in str(body)
    assert body["results"][-1]["latitude"] == 52.4862  # the van's read: its own position


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vrm": ""}, "vrm"),
        ({"vrm": "JO12*"}, "vrm"),
        ({"seen_after": "yesterday"}, "seen_after"),
        ({"seen_after": NOW.isoformat(), "seen_before": ago(days=1).isoformat()}, "seen_before"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "curiosity"}, "purpose"),
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
    assert response.status_code == 200 and response.json()["legs"][1]["warning"] == WARNING
    assert browser.post(URL, ["not", "an", "object"], content_type="application/json").status_code == 400
    assert SearchAudit.objects.filter(kind="history", via="api").count() == 1


@pytest.mark.parametrize("role", ["planner", "auditor", "administrator"])
def test_only_those_who_search_reads_may_ask(make_user, api_client_for, world, role):
    assert api_client_for(make_user(role)).get(URL, criteria()).status_code == 403
    assert not SearchAudit.objects.exists()


def test_counts_against_the_hours_search_allowance(officer, world, settings):
    settings.READ_SEARCHES_PER_HOUR = 1
    assert officer.get(URL, criteria()).status_code == 200
    refused = officer.get(URL, criteria())
    assert refused.status_code == 429 and "Retry-After" in refused


def test_if_the_audit_row_cannot_be_written_no_figure_leaves(officer, world):
    from django.db import connection

    from conftest import as_database_owner

    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
    response = officer.get(URL, criteria())
    assert response.status_code == 503 and response.json()["error"] == "audit_unavailable"
    assert "legs" not in response.json()


def test_the_vehicle_history_page_shows_the_journey_and_marks_the_jump(officer_user, sign_in_client, world):
    client = sign_in_client(officer_user)
    page = client.post("/reads/history/", criteria())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="journey-legs"' in text and "262.0 km" in text and "131 km/h" in text
    assert "1,572 km/h" in text and WARNING in text and text.count('data-testid="implausible-leg"') == 1
    assert "1 jump too fast for one vehicle" in text
    assert "162.5 km" in text and "195 km/h" in text
    assert '"latitude": 51.5074' in text  # where each read was taken, on the map
    assert SearchAudit.objects.get(kind="history", via="portal").result_count == 4


def test_a_plausible_journey_marks_nothing(officer_user, sign_in_client, world):
    page = sign_in_client(officer_user).post(
        "/reads/history/", criteria(seen_before=ago(minutes=55).isoformat())
    )
    text = page.content.decode()
    assert "131 km/h" in text and "Possible cloned plate" not in text and "too fast" not in text
