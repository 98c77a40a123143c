"""The camera registry: administrators change it, within the go-live gate; locations only reach
holders of the permission."""

import pytest
from django.test import Client

from apps.assessments.services import assessment_approve
from apps.assessments.tests.factories import submitted_assessment
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/cameras/"
NEW = {
    "code": "CAM-NEW",
    "name": "A1 at Junction 5",
    "kind": "fixed",
    "status": "proposed",
    "latitude": 52.2,
    "longitude": -0.9,
    "road": "A1",
    "direction": "southbound",
    "area": "West",
}


def test_administrators_register_and_change_cameras(make_user, api_client_for):
    admin = api_client_for(make_user("administrator"))
    response = admin.post(URL, NEW, format="json")
    assert response.status_code == 201
    assert response.json() == {k: NEW[k] for k in response.json()}
    assert admin.patch(f"{URL}CAM-NEW/", {"road": "A7"}, format="json").json()["road"] == "A7"
    # Going live takes an approved deployment assessment (apps/assessments), not an edit.
    refused = admin.patch(f"{URL}CAM-NEW/", {"status": "live"}, format="json")
    assert refused.status_code == 400
    assert "approved deployment assessment" in str(refused.json()["detail"]["status"])
    assert Camera.objects.get(code="CAM-NEW").status == "proposed"
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(Camera.objects.get(code="CAM-NEW")).count() == 2


def test_bad_camera_data_is_refused_clearly(make_user, api_client_for):
    admin = api_client_for(make_user("administrator"))
    CameraFactory(code="CAM-DUP")
    response = admin.post(URL, NEW | {"code": "CAM-DUP", "kind": "tripod", "latitude": 200}, format="json")
    assert response.status_code == 400
    assert set(response.json()["detail"]) == {"code", "kind", "latitude"}
    no_place = admin.post(URL, NEW | {"latitude": None, "longitude": None}, format="json")
    assert no_place.status_code == 400
    assert admin.patch(f"{URL}CAM-DUP/", {"code": "CAM-OTHER"}, format="json").status_code == 400
    assert admin.delete(f"{URL}CAM-DUP/").status_code == 403  # decommission instead


def test_officers_list_cameras_without_locations_and_cannot_change_them(make_user, api_client_for):
    CameraFactory(code="CAM-1", area="East")
    officer = api_client_for(make_user("officer"))
    assert officer.get(URL).json() == [{"code": "CAM-1", "kind": "fixed", "status": "live", "area": "East"}]
    assert officer.get(f"{URL}CAM-1/").json()["area"] == "East"
    assert officer.post(URL, NEW, format="json").status_code == 403
    assert officer.patch(f"{URL}CAM-1/", {"status": "suspended"}, format="json").status_code == 403


def test_planners_see_locations(make_user, api_client_for):
    camera = CameraFactory(code="CAM-2")
    body = api_client_for(make_user("planner")).get(f"{URL}CAM-2/").json()
    assert (body["latitude"], body["longitude"], body["road"]) == (
        camera.latitude,
        camera.longitude,
        camera.road,
    )


def test_pages_disclose_locations_only_to_those_allowed(make_user, sign_in_client):
    camera = CameraFactory(code="CAM-3", latitude=53.123456, road="Secret Lane")
    officer = sign_in_client(make_user("officer"), Client())
    for url in ("/cameras/", "/cameras/CAM-3/"):
        page = officer.get(url).content.decode()
        assert "CAM-3" in page
        assert "53.12346" not in page and "Secret Lane" not in page and camera.name not in page
    assert officer.get("/cameras/map/").status_code == 403
    planner = sign_in_client(make_user("planner"), Client())
    assert "53.12346" in planner.get("/cameras/CAM-3/").content.decode()
    map_page = planner.get("/cameras/map/").content.decode()
    assert "53.123456" in map_page and "map-markers" in map_page


def test_administrators_use_the_portal_forms(make_user, sign_in_client):
    admin = sign_in_client(make_user("administrator"), Client())
    response = admin.post("/cameras/new/", NEW | {"installed_on": "", "review_due": ""})
    assert response.status_code == 302
    admin.post(
        "/cameras/CAM-NEW/edit/",
        NEW | {"code": "IGNORED", "status": "suspended", "installed_on": "", "review_due": ""},
    )
    camera = Camera.objects.get(code="CAM-NEW")
    assert camera.status == "suspended"
    assert not Camera.objects.filter(code="IGNORED").exists()


@pytest.fixture
def approved_live(make_user):
    """A fixed camera live under an approved assessment of its site."""
    camera = CameraFactory(code="CAM-OK", status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    assessment_approve(assessment=assessment, approver=make_user("supervisor"), reason="Need shown.")
    camera.refresh_from_db()
    return camera


def test_the_portal_form_shows_the_gates_refusal_on_its_field(make_user, sign_in_client):
    CameraFactory(code="CAM-PF", status=Camera.Status.PROPOSED)
    admin = sign_in_client(make_user("administrator"), Client())
    form = NEW | {"code": "CAM-PF", "installed_on": "", "review_due": ""}
    response = admin.post("/cameras/CAM-PF/edit/", form | {"status": "live"})
    assert response.status_code == 400
    assert "approved deployment assessment" in response.context["form"].errors["status"][0]
    assert Camera.objects.get(code="CAM-PF").status == "proposed"
    created = admin.post("/cameras/new/", form | {"code": "CAM-PF2", "status": "live"})
    assert created.status_code == 400
    assert "approved deployment assessment" in created.context["form"].errors["status"][0]
    assert not Camera.objects.filter(code="CAM-PF2").exists()


def test_everyday_edits_pass_the_gate(approved_live):
    camera = camera_update(camera=approved_live, name="Renamed", road="A6", direction="north")
    assert (camera.status, camera.name) == ("live", "Renamed")
    # Suspended for maintenance and back, at the site its approval covers.
    camera_update(camera=camera, status=Camera.Status.SUSPENDED)
    assert camera_update(camera=camera, status=Camera.Status.LIVE).status == "live"
    # A vehicle-mounted camera goes where its vehicle goes.
    van = CameraFactory(kind=Camera.Kind.MOBILE, status=Camera.Status.LIVE)
    assert camera_update(camera=van, latitude=53.0, longitude=-1.5).latitude == 53.0


def test_a_stale_copy_of_a_camera_does_not_write_back_its_old_fields(approved_live):
    stale = Camera.objects.get(pk=approved_live.pk)
    camera_update(camera=approved_live, status=Camera.Status.SUSPENDED)
    camera_update(camera=stale, name="Renamed")
    assert Camera.objects.values_list("status", "name").get(pk=stale.pk) == ("suspended", "Renamed")
