"""The assessment pages: the draft section by section, the printable record, refusals in the page,
the overdue flag."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.assessments import services
from apps.assessments.models import PIA, SECTIONS, Assessment
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory

from .factories import complete_case, submitted_assessment

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


def test_a_draft_is_written_a_section_at_a_time_each_saved_on_its_own(make_user, sign_in_client):
    camera = CameraFactory(code="CAM-SEC", status=Camera.Status.PROPOSED)
    planner = make_user("planner")
    client = sign_in_client(planner, Client())
    made = client.post("/assessments/new/", {"camera": "CAM-SEC", "need": "Burglary.", "then": "next"})
    draft = Assessment.objects.get(camera=camera)
    assert made["Location"] == f"/assessments/{draft.pk}/edit/factors/"  # on to the next section
    services.assessment_update(assessment=draft, actor=planner, **complete_case(need="Burglary."))

    privacy = {name: complete_case()[name] for name in PIA} | {"signage": "Two signs."}
    stayed = client.post(f"/assessments/{draft.pk}/edit/privacy/", privacy | {"then": "stay"})
    assert stayed["Location"] == f"/assessments/{draft.pk}/edit/privacy/"
    draft.refresh_from_db()
    assert draft.signage == "Two signs."
    assert draft.need == "Burglary." and draft.factors == complete_case()["factors"]  # left alone
    assert draft.risks.count() == 1 and draft.consultations.count() == 1
    last = client.post(
        f"/assessments/{draft.pk}/edit/consultation/",
        formset("consultations", []) | {"consultation_waiver": "Covert.", "then": "next"},
    )
    assert last["Location"] == f"/assessments/{draft.pk}/"  # after the last, the draft to submit
    draft.refresh_from_db()
    assert draft.consultations.count() == 0 and draft.risks.count() == 1
    assert services.incomplete(draft) == []


def test_a_section_that_fails_to_save_changes_nothing_and_says_why_at_the_top(make_user, sign_in_client):
    planner = make_user("planner")
    draft = services.assessment_create(
        camera=CameraFactory(status=Camera.Status.PROPOSED), author=planner, **complete_case()
    )
    half_a_risk = formset("risks", [{"description": "Reads of passers-by."}])
    page = sign_in_client(planner, Client()).post(f"/assessments/{draft.pk}/edit/risks/", half_a_risk)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Risks to privacy" in html
    assert 'href="#id_risks-0-likelihood"' in html and 'href="#id_risks-0-mitigation"' in html
    assert html.index("There is a problem") < html.index("<h1>")
    assert list(draft.risks.values_list("description", flat=True)) == ["Reads of uninvolved drivers."]


def test_each_section_says_what_it_still_lacks(make_user, sign_in_client):
    planner = make_user("planner")
    draft = services.assessment_create(
        camera=CameraFactory(status=Camera.Status.PROPOSED),
        author=planner,
        **complete_case(signage="", risks=[]),
    )
    by_section = services.incomplete_sections(draft)
    assert list(by_section) == list(SECTIONS)
    assert by_section["privacy"] == ["Signage is missing."]
    assert by_section["risks"] and not by_section["need"] and not by_section["consultation"]
    assert services.incomplete(draft) == by_section["privacy"] + by_section["risks"]
    page = sign_in_client(planner, Client()).get(f"/assessments/{draft.pk}/").content.decode()
    assert f'href="/assessments/{draft.pk}/edit/privacy/"' in page and "Signage is missing." in page


def test_a_decision_without_its_reasons_comes_back_with_the_error_at_the_top(make_user, sign_in_client):
    camera = CameraFactory(status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    client = sign_in_client(make_user("supervisor"), Client())
    page = client.post(f"/assessments/{assessment.pk}/", {"action": "approve", "reason": ""})
    html = page.content.decode()
    assert page.status_code == 200 and "<title>Error: " in html and 'href="#id_reason"' in html
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def formset(prefix: str, rows: list[dict]) -> dict:
    """What a browser sends for a formset of these rows (and nothing else)."""
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for number, row in enumerate(rows):
        data |= {f"{prefix}-{number}-{name}": value for name, value in row.items()}
    return data
