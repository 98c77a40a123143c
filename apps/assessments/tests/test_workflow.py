"""The assessment workflow and its refusals: completeness, no self-approval, no live camera
without approval of its site, supersession, and the change log."""

import importlib
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.assessments import services
from apps.assessments.models import Assessment
from apps.assessments.selectors import approved_assessment_for
from apps.cameras.models import Camera
from apps.cameras.services import camera_create, camera_update
from apps.cameras.tests.factories import CameraFactory

from .factories import complete_case, submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(make_user):
    return make_user("planner")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor")


@pytest.fixture
def proposed():
    return CameraFactory(code="CAM-P", status=Camera.Status.PROPOSED, review_due=None)


def test_an_approved_assessment_puts_the_camera_live_with_its_first_review(planner, supervisor, proposed):
    assessment = submitted_assessment(proposed, planner)
    assert assessment.status == "submitted" and assessment.kind == "new"
    services.assessment_approve(assessment=assessment, approver=supervisor, reason="Need shown.")
    proposed.refresh_from_db()
    assert proposed.status == "live"
    assert proposed.review_due == timezone.localdate() + timedelta(days=365)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decided_by, assessment.decision_reason) == (
        "approved",
        supervisor,
        "Need shown.",
    )


def test_a_fixed_camera_cannot_go_live_without_an_approved_assessment(planner, supervisor, proposed):
    with pytest.raises(ValidationError, match="approved deployment assessment"):
        camera_update(camera=proposed, status=Camera.Status.LIVE)
    with pytest.raises(ValidationError, match="approved deployment assessment"):
        camera_create(
            code="CAM-X",
            name="X",
            kind="fixed",
            status="live",
            area="A",
            latitude=52.0,
            longitude=-1.0,
        )
    submitted_assessment(proposed, planner)  # submitted is not approved
    with pytest.raises(ValidationError):
        camera_update(camera=proposed, status=Camera.Status.LIVE)
    # A vehicle-mounted camera is not assessed as a fixed deployment.
    assert camera_create(code="VAN-1", name="Van", kind="mobile", status="live", area="A").status == "live"


def test_nobody_approves_their_own_assessment(make_user, proposed):
    both = make_user("planner", "supervisor")
    assessment = submitted_assessment(proposed, both)
    with pytest.raises(PermissionDenied, match="other than its author"):
        services.assessment_approve(assessment=assessment, approver=both, reason="Mine.")
    with pytest.raises(PermissionDenied, match="other than its author"):
        services.assessment_reject(assessment=assessment, approver=both, reason="Mine.")
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_only_approvers_decide_and_always_with_reasons(make_user, planner, supervisor, proposed):
    assessment = submitted_assessment(proposed, planner)
    with pytest.raises(PermissionDenied):
        services.assessment_approve(assessment=assessment, approver=make_user("planner"), reason="Fine.")
    with pytest.raises(ValidationError, match="reasons"):
        services.assessment_approve(assessment=assessment, approver=supervisor, reason="  ")
    services.assessment_reject(assessment=assessment, approver=supervisor, reason="Evidence is thin.")
    assessment.refresh_from_db()
    proposed.refresh_from_db()
    assert (assessment.status, proposed.status) == ("rejected", "proposed")
    with pytest.raises(ValidationError, match="not submitted"):
        services.assessment_approve(assessment=assessment, approver=supervisor, reason="Changed my mind.")


def test_a_draft_is_submitted_only_when_complete(planner, proposed):
    draft = services.assessment_create(camera=proposed, author=planner, need="Burglary.")
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=draft, actor=planner)
    problems = " ".join(refused.value.messages)
    for missing in (
        "Alternatives",
        "Signage",
        "Serious, organised and major crime: choose a weight",
        "privacy risk",
        "consulted",
    ):
        assert missing in problems
    services.assessment_update(assessment=draft, actor=planner, **complete_case(consultations=[]))
    with pytest.raises(ValidationError, match="consulted"):
        services.assessment_submit(assessment=draft, actor=planner)
    waived = complete_case(consultations=[], consultation_waiver="Covert deployment against a named group.")
    services.assessment_update(assessment=draft, actor=planner, **waived)
    assert services.assessment_submit(assessment=draft, actor=planner).status == "submitted"


def test_a_need_must_be_clear(planner, proposed):
    weak = {
        key: {"weight": "low", "argument": "Some.", "evidence": "Little."}
        for key in complete_case()["factors"]
    }
    draft = services.assessment_create(camera=proposed, author=planner, **complete_case(factors=weak))
    with pytest.raises(ValidationError, match="need for the camera is not shown"):
        services.assessment_submit(assessment=draft, actor=planner)


def test_only_the_author_changes_a_draft_and_never_after_submission(make_user, planner, proposed):
    draft = services.assessment_create(camera=proposed, author=planner, **complete_case())
    with pytest.raises(PermissionDenied):
        services.assessment_update(assessment=draft, actor=make_user("planner"), need="Mine now.")
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=draft, actor=make_user("planner"))
    services.assessment_submit(assessment=draft, actor=planner)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.assessment_update(assessment=draft, actor=planner, need="Quietly changed.")


def test_one_assessment_in_progress_per_camera_and_none_for_vans(planner, proposed):
    services.assessment_create(camera=proposed, author=planner, **complete_case())
    with pytest.raises(ValidationError, match="in progress"):
        services.assessment_create(camera=proposed, author=planner, **complete_case())
    van = CameraFactory(kind=Camera.Kind.MOBILE)
    with pytest.raises(ValidationError, match="Only fixed cameras"):
        services.assessment_create(camera=van, author=planner, **complete_case())


def test_a_change_to_a_live_camera_supersedes_the_earlier_approval(planner, supervisor, proposed):
    first = submitted_assessment(proposed, planner)
    services.assessment_approve(assessment=first, approver=supervisor, reason="Yes.")
    proposed.refresh_from_db()
    change = submitted_assessment(proposed, planner, need="Add a second lane.")
    assert change.kind == "change"
    services.assessment_approve(assessment=change, approver=supervisor, reason="Yes again.")
    first.refresh_from_db()
    proposed.refresh_from_db()
    assert (first.status, proposed.status) == ("superseded", "live")
    assert list(Assessment.objects.filter(status="approved")) == [change]


def test_every_change_is_in_the_change_log(planner, supervisor, proposed):
    assessment = submitted_assessment(proposed, planner)
    services.assessment_approve(assessment=assessment, approver=supervisor, reason="Yes.")
    entries = LogEntry.objects.get_for_object(assessment)
    assert entries.count() >= 3  # created, submitted, approved
    assert any("approved" in str(entry.changes) for entry in entries)
    assert LogEntry.objects.get_for_object(assessment.risks.get()).exists()


def test_submission_records_the_site_and_approval_holds_to_it(planner, supervisor, proposed):
    draft = services.assessment_create(camera=proposed, author=planner, **complete_case())
    assert (draft.latitude, draft.longitude) == (None, None)  # a draft is of no site yet
    camera_update(camera=proposed, latitude=52.1, longitude=-1.2)
    submitted = services.assessment_submit(assessment=draft, actor=planner)
    assert (submitted.latitude, submitted.longitude) == (52.1, -1.2)
    camera_update(camera=proposed, latitude=52.3)
    with pytest.raises(ValidationError, match="has moved since this assessment was submitted"):
        services.assessment_approve(assessment=submitted, approver=supervisor, reason="Fine.")
    submitted.refresh_from_db()
    proposed.refresh_from_db()
    assert (submitted.status, proposed.status) == ("submitted", "proposed")
    camera_update(camera=proposed, latitude=52.1)  # back where it was assessed
    services.assessment_approve(assessment=submitted, approver=supervisor, reason="Fine.")
    proposed.refresh_from_db()
    assert proposed.status == "live"


def test_a_camera_made_vehicle_mounted_is_neither_submitted_nor_approved(planner, supervisor, make_user):
    draft_camera, submitted_camera = CameraFactory(status="proposed"), CameraFactory(status="proposed")
    draft = services.assessment_create(camera=draft_camera, author=planner, **complete_case())
    submitted = submitted_assessment(submitted_camera, planner)
    camera_update(camera=draft_camera, kind=Camera.Kind.MOBILE)
    with pytest.raises(ValidationError, match="Only fixed cameras"):
        services.assessment_submit(assessment=draft, actor=planner)
    # Once put forward as a fixed site, a camera stays fixed (the gate), so no approval follows.
    with pytest.raises(ValidationError, match="stays fixed"):
        camera_update(camera=submitted_camera, kind=Camera.Kind.MOBILE)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_existing_approvals_take_their_cameras_site_and_reviewed_away_ones_end(planner, supervisor):
    migration = importlib.import_module("apps.assessments.migrations.0002_assessed_site")
    kept, moved = CameraFactory(status="proposed"), CameraFactory(status="proposed")
    for camera in (kept, moved):
        assessment = submitted_assessment(camera, planner)
        services.assessment_approve(assessment=assessment, approver=supervisor, reason="Yes.")
    services.review_record(
        camera=moved, reviewer=planner, factors=complete_case()["factors"], privacy_impact="x", outcome="move"
    )
    draft = services.assessment_create(camera=moved, author=planner, **complete_case())
    # As the rows stood before the migration: no sites recorded, and no approval ended.
    Assessment.objects.update(latitude=None, longitude=None)
    Assessment.objects.filter(status="ended").update(status="approved")
    migration.record_sites(django_apps, None)
    kept.refresh_from_db()
    assert Assessment.objects.get(camera=kept).status == "approved"
    assert approved_assessment_for(kept) is not None
    assert Assessment.objects.get(camera=moved, reviews__isnull=False).status == "ended"
    draft.refresh_from_db()
    assert (draft.latitude, draft.longitude) == (None, None)
