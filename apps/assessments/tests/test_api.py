"""/api/v1/assessments/: draft, submit, decide; camera positions only for those allowed."""

import pytest

from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory

from .factories import complete_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments/"


def as_json(case: dict) -> dict:
    case = dict(case)
    case["consultations"] = [
        c | {"consulted_on": c["consulted_on"].isoformat()} for c in case["consultations"]
    ]
    return case


def test_a_planner_drafts_and_submits_and_a_supervisor_approves(make_user, api_client_for):
    CameraFactory(code="CAM-API", status=Camera.Status.PROPOSED)
    planner, supervisor = api_client_for(make_user("planner")), api_client_for(make_user("supervisor"))
    created = planner.post(URL, as_json(complete_case()) | {"camera": "CAM-API"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["kind"], body["camera"]["code"]) == ("draft", "new", "CAM-API")
    assert body["factors"]["serious_crime"]["weight"] == "high"
    assert len(body["risks"]) == len(body["consultations"]) == 1
    url = f"{URL}{body['id']}/"
    assert planner.post(f"{url}submit/").json()["status"] == "submitted"
    assert planner.post(f"{url}approve/", {"reason": "Mine."}, format="json").status_code == 403
    assert supervisor.post(f"{url}approve/", {}, format="json").status_code == 400  # no reasons
    approved = supervisor.post(f"{url}approve/", {"reason": "Need shown."}, format="json")
    assert approved.json()["status"] == "approved"
    assert Camera.objects.get(code="CAM-API").status == "live"


def test_camera_positions_follow_the_disclosure_rule(make_user, api_client_for):
    CameraFactory(code="CAM-POS", status=Camera.Status.PROPOSED)
    planner = api_client_for(make_user("planner"))
    draft = planner.post(URL, as_json(complete_case()) | {"camera": "CAM-POS"}, format="json").json()
    assert "latitude" in planner.get(f"{URL}{draft['id']}/").json()["camera"]
    for role in ("supervisor", "auditor"):
        seen = api_client_for(make_user(role)).get(f"{URL}{draft['id']}/").json()["camera"]
        assert set(seen) == {"code", "kind", "status", "area"}


def test_incomplete_drafts_are_refused_on_submission_with_every_gap(make_user, api_client_for):
    CameraFactory(code="CAM-GAP", status=Camera.Status.PROPOSED)
    planner = api_client_for(make_user("planner"))
    draft = planner.post(URL, {"camera": "CAM-GAP", "need": "Burglary."}, format="json").json()
    refused = planner.post(f"{URL}{draft['id']}/submit/")
    assert refused.status_code == 400
    assert "Signage is missing." in str(refused.json())


def test_officers_and_administrators_do_not_see_assessments(make_user, api_client_for):
    for role in ("officer", "administrator"):
        assert api_client_for(make_user(role)).get(URL).status_code == 403
    assert (
        api_client_for(make_user("supervisor")).post(URL, {"camera": "X"}, format="json").status_code == 403
    )


def test_the_site_assessed_is_recorded_at_submission_and_disclosed_like_positions(make_user, api_client_for):
    camera = CameraFactory(code="CAM-SITE", status=Camera.Status.PROPOSED)
    planner = api_client_for(make_user("planner"))
    draft = planner.post(URL, as_json(complete_case()) | {"camera": "CAM-SITE"}, format="json").json()
    assert draft["site"] is None
    submitted = planner.post(f"{URL}{draft['id']}/submit/").json()
    assert submitted["site"] == {"latitude": camera.latitude, "longitude": camera.longitude}
    for role in ("supervisor", "auditor"):
        assert api_client_for(make_user(role)).get(f"{URL}{draft['id']}/").json()["site"] is None


def test_a_camera_code_holding_a_nul_is_an_unknown_camera_not_an_error(make_user, api_client_for):
    response = api_client_for(make_user("planner")).post(
        "/api/v1/assessments/", {"camera": "CAM\x00X"}, format="json"
    )
    assert response.status_code == 400 and "camera" in response.json()["detail"]
