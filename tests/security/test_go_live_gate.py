"""Finding 8: the go-live gate could be stepped round.

A fixed camera goes live only under an approved deployment assessment (with its privacy impact
assessment) of the site it stands at. The gate used to check one transition only, a fixed camera
going from not live to live with any approval on record, so an administrator could reach "live
fixed camera at this position" another way: switch a live vehicle-mounted camera to fixed, move a
live fixed camera, bring back a decommissioned camera or one a review suspended to be moved, relabel
a live fixed camera as vehicle-mounted (out of reviews, still on its pole), or have an assessment of
the old site approved after the camera moved. Each path is tried through the API as an
administrator and through the service that the portal, the API and the workflow all call.
"""

import pytest
from django.core.exceptions import ValidationError

from apps.assessments import services as assessments
from apps.assessments.tests.factories import complete_case, submitted_assessment
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/cameras/"


@pytest.fixture
def admin(make_user, api_client_for):
    return api_client_for(make_user("administrator"))


@pytest.fixture
def live_fixed(make_user):
    """A fixed camera put live the proper way: assessed, submitted, approved by another."""
    camera = CameraFactory(code="CAM-GATE", status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    assessments.assessment_approve(assessment=assessment, approver=make_user("supervisor"), reason="Yes.")
    camera.refresh_from_db()
    assert camera.status == Camera.Status.LIVE
    return camera


def review(camera, reviewer, outcome: str):
    return assessments.review_record(
        camera=camera,
        reviewer=reviewer,
        factors=complete_case()["factors"],
        privacy_impact="Changed.",
        outcome=outcome,
    )


def refused(admin, camera: Camera, change: dict, field: str) -> None:
    """The API answers 400 naming the field, the service refuses, and the camera is unchanged."""
    before = Camera.objects.values().get(pk=camera.pk)
    response = admin.patch(f"{URL}{camera.code}/", change, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["detail"]
    with pytest.raises(ValidationError) as error:
        camera_update(camera=camera, **change)
    assert field in error.value.message_dict
    assert Camera.objects.values().get(pk=camera.pk) == before


def test_a_live_vehicle_mounted_camera_is_not_switched_to_fixed(admin):
    van = CameraFactory(code="VAN-1", kind=Camera.Kind.MOBILE, status=Camera.Status.LIVE)
    refused(admin, van, {"kind": "fixed"}, "kind")


def test_a_live_fixed_camera_is_not_moved(admin, live_fixed):
    refused(admin, live_fixed, {"latitude": live_fixed.latitude + 0.01}, "latitude")
    refused(admin, live_fixed, {"longitude": live_fixed.longitude - 0.01}, "longitude")


def test_an_assessment_of_the_old_site_does_not_put_a_moved_camera_live(make_user, admin):
    camera = CameraFactory(code="CAM-SITE", status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    moved = admin.patch(f"{URL}CAM-SITE/", {"latitude": camera.latitude + 0.05}, format="json")
    assert moved.status_code == 200  # a proposed camera may be moved; its assessment is then stale
    with pytest.raises(ValidationError, match="has moved since this assessment was submitted"):
        assessments.assessment_approve(assessment=assessment, approver=make_user("supervisor"), reason="Ok.")
    camera.refresh_from_db()
    assert camera.status == Camera.Status.PROPOSED


def test_a_decommissioned_camera_never_comes_back(make_user, admin, live_fixed):
    review(live_fixed, make_user("planner"), "decommission")
    live_fixed.refresh_from_db()
    assert live_fixed.status == Camera.Status.DECOMMISSIONED
    for status in ("live", "suspended", "proposed"):
        refused(admin, live_fixed, {"status": status}, "status")


def test_a_camera_suspended_to_be_moved_is_not_put_live_by_an_edit(make_user, admin, live_fixed):
    review(live_fixed, make_user("planner"), "move")
    live_fixed.refresh_from_db()
    assert live_fixed.status == Camera.Status.SUSPENDED
    refused(admin, live_fixed, {"status": "live"}, "status")  # not moved yet: the old approval is ended
    moved = admin.patch(f"{URL}{live_fixed.code}/", {"latitude": live_fixed.latitude + 0.002}, format="json")
    assert moved.status_code == 200
    live_fixed.refresh_from_db()
    refused(admin, live_fixed, {"status": "live"}, "status")  # moved: the old approval is of another site


def test_a_live_camera_does_not_change_kind(admin, live_fixed):
    refused(admin, live_fixed, {"kind": "mobile"}, "kind")
    # Nor in the same edit as it is suspended, nor as a suspended one goes live.
    refused(admin, live_fixed, {"kind": "mobile", "status": "suspended"}, "kind")
    van = CameraFactory(kind=Camera.Kind.MOBILE, status=Camera.Status.SUSPENDED)
    refused(admin, van, {"kind": "fixed", "status": "live"}, "kind")


def test_an_assessed_fixed_camera_is_not_relabelled_vehicle_mounted_in_two_steps(admin, live_fixed):
    """Suspend, then relabel as vehicle-mounted, then back live: no assessment would ever be asked."""
    url = f"{URL}{live_fixed.code}/"
    assert admin.patch(url, {"status": "suspended"}, format="json").status_code == 200
    response = admin.patch(url, {"kind": "mobile"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["detail"]
    live_fixed.refresh_from_db()
    assert (live_fixed.kind, live_fixed.status) == ("fixed", "suspended")


def test_a_review_is_not_postponed_by_editing_the_camera(admin, live_fixed):
    due = live_fixed.review_due
    response = admin.patch(
        f"{URL}{live_fixed.code}/", {"review_due": "2099-01-01", "name": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    live_fixed.refresh_from_db()
    assert (live_fixed.review_due, live_fixed.name) == (due, "Renamed")
