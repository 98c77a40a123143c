"""The assessment pages: the printable record, refusals in the page, the overdue flag."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.assessments import services
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory

from .factories import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_user):
    camera = CameraFactory(code="CAM-PR", status=Camera.Status.PROPOSED, road="A6 Leicester Road")
    assessment = submitted_assessment(camera, make_user("planner"))
    return services.assessment_approve(
        assessment=assessment, approver=make_user("supervisor"), reason="Clear need."
    )


def test_the_printable_record_holds_the_whole_decision(make_user, sign_in_client, approved):
    page = sign_in_client(make_user("auditor"), Client()).get(f"/assessments/{approved.pk}/print/")
    html = page.content.decode()
    for expected in (
        "Decision record",
        "Serious, organised and major crime",
        "42 linked crimes",
        "Reads of uninvolved drivers",
        "Parish council",
        "Clear need.",
    ):
        assert expected in html
    assert 'class="print-record"' in html  # the print stylesheet's hook: no navigation on paper
    assert "A6 Leicester Road" not in html  # the auditor may not see camera positions


def test_the_author_sees_no_decision_form_and_a_post_is_refused(make_user, sign_in_client):
    camera = CameraFactory(status=Camera.Status.PROPOSED)
    both = make_user("planner", "supervisor")
    assessment = submitted_assessment(camera, both)
    client = sign_in_client(both, Client())
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Approve" not in page
    refused = client.post(f"/assessments/{assessment.pk}/", {"action": "approve", "reason": "Mine."})
    assert refused.status_code == 403
    camera.refresh_from_db()
    assert camera.status == "proposed"


def test_an_overdue_review_is_flagged_on_the_camera_and_listed_for_planners(
    make_user, sign_in_client, approved
):
    camera = approved.camera
    camera_update(camera=camera, review_due=timezone.localdate() - timedelta(days=5))
    planner = sign_in_client(make_user("planner"), Client())
    assert "Review overdue" in planner.get(f"/cameras/{camera.code}/").content.decode()
    listed = planner.get("/assessments/reviews/").content.decode()
    assert camera.code in listed and "Overdue" in listed


def test_the_record_shows_the_site_assessed_and_whether_the_camera_has_moved(
    make_user, sign_in_client, approved
):
    planner = sign_in_client(make_user("planner"), Client())
    record = planner.get(f"/assessments/{approved.pk}/").content.decode()
    assert f"{approved.latitude:.5f}" in record and "moved since" not in record
    assert "Deployment assessment" in planner.get(f"/cameras/{approved.camera.code}/").content.decode()
    camera_update(camera=approved.camera, status=Camera.Status.SUSPENDED)
    camera_update(camera=approved.camera, latitude=approved.latitude + 0.01)
    assert "the camera has moved since" in planner.get(f"/assessments/{approved.pk}/").content.decode()
    camera = planner.get(f"/cameras/{approved.camera.code}/").content.decode()
    assert "Deployment assessment" not in camera  # the approval on record is of another site
    auditor = sign_in_client(make_user("auditor"), Client())
    assert "Site assessed" not in auditor.get(f"/assessments/{approved.pk}/").content.decode()
