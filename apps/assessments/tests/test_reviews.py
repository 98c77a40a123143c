"""Reviews of live cameras: falling due, overdue flags, and keep, move or decommission."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.assessments import services
from apps.assessments.selectors import approved_assessment_for, review_overdue, reviews_due
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory

from .factories import complete_case, submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(make_user):
    camera = CameraFactory(code="CAM-L", status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    services.assessment_approve(assessment=assessment, approver=make_user("supervisor"), reason="Yes.")
    camera.refresh_from_db()
    return camera


def test_reviews_fall_due_and_are_flagged_when_overdue(live):
    today = timezone.localdate()
    assert live.review_due == today + timedelta(days=365)
    assert list(reviews_due(today)) == []
    assert list(reviews_due(today + timedelta(days=340))) == [live]  # due within 30 days
    assert not review_overdue(live, today)
    assert review_overdue(live, today + timedelta(days=366))


def test_the_review_interval_is_a_setting(make_user, settings):
    settings.CAMERA_REVIEW_INTERVAL_DAYS = 30
    camera = CameraFactory(status=Camera.Status.PROPOSED)
    assessment = submitted_assessment(camera, make_user("planner"))
    services.assessment_approve(assessment=assessment, approver=make_user("supervisor"), reason="Yes.")
    camera.refresh_from_db()
    assert camera.review_due == timezone.localdate() + timedelta(days=30)


def test_keeping_a_camera_sets_its_next_review(make_user, live):
    camera_update(camera=live, review_due=timezone.localdate() - timedelta(days=3))
    review = services.review_record(
        camera=live,
        reviewer=make_user("planner"),
        factors=complete_case()["factors"],
        privacy_impact="Unchanged.",
        outcome="keep",
    )
    live.refresh_from_db()
    assert review.next_due == live.review_due == timezone.localdate() + timedelta(days=365)
    assert list(reviews_due(timezone.localdate())) == []


def test_a_camera_without_a_clear_need_cannot_be_kept(make_user, live):
    weak = {
        key: {"weight": "low", "argument": "Less.", "evidence": "Fewer crimes."}
        for key in complete_case()["factors"]
    }
    with pytest.raises(ValidationError, match="not shown"):
        services.review_record(
            camera=live, reviewer=make_user("planner"), factors=weak, privacy_impact="Same.", outcome="keep"
        )
    services.review_record(
        camera=live,
        reviewer=make_user("planner"),
        factors=weak,
        privacy_impact="Same.",
        outcome="decommission",
    )
    live.refresh_from_db()
    assert (live.status, live.review_due) == ("decommissioned", None)


def test_moving_a_camera_suspends_it_until_the_new_site_is_approved(make_user, live):
    planner, supervisor = make_user("planner"), make_user("supervisor")
    old_site = approved_assessment_for(live)
    review = services.review_record(
        camera=live,
        reviewer=planner,
        factors=complete_case()["factors"],
        privacy_impact="Houses built opposite.",
        outcome="move",
    )
    live.refresh_from_db()
    old_site.refresh_from_db()
    assert (live.status, old_site.status, review.assessment) == ("suspended", "ended", old_site)
    assert approved_assessment_for(live) is None
    with pytest.raises(ValidationError):  # a suspended camera is not reviewed, it is reassessed
        services.review_record(
            camera=live,
            reviewer=planner,
            factors=complete_case()["factors"],
            privacy_impact="x",
            outcome="keep",
        )
    camera_update(camera=live, latitude=live.latitude + 0.002)  # 200 m north
    with pytest.raises(ValidationError, match="approved deployment assessment"):
        camera_update(camera=live, status=Camera.Status.LIVE)
    live.refresh_from_db()  # the refused change stays on this copy only
    new_site = submitted_assessment(live, planner, need="The same need, 200 m north.")
    assert (new_site.kind, new_site.latitude, new_site.longitude) == ("new", live.latitude, live.longitude)
    services.assessment_approve(assessment=new_site, approver=supervisor, reason="New site fine.")
    live.refresh_from_db()
    old_site.refresh_from_db()
    assert (live.status, old_site.status) == ("live", "ended")
    assert approved_assessment_for(live) == new_site


def test_decommissioning_ends_the_approval_for_good(make_user, live):
    planner, supervisor = make_user("planner"), make_user("supervisor")
    pending = submitted_assessment(live, planner, need="A second lane.")  # a change, still undecided
    current = approved_assessment_for(live)
    services.review_record(
        camera=live,
        reviewer=planner,
        factors=complete_case()["factors"],
        privacy_impact="Road closed.",
        outcome="decommission",
    )
    current.refresh_from_db()
    assert current.status == "ended"
    with pytest.raises(ValidationError, match="decommissioned"):
        services.assessment_approve(assessment=pending, approver=supervisor, reason="Yes.")
    live.refresh_from_db()
    assert live.status == "decommissioned"


def test_an_assessment_submitted_before_a_move_is_not_approved_after_it(make_user, live):
    planner, supervisor = make_user("planner"), make_user("supervisor")
    pending = submitted_assessment(live, planner, need="A second lane.")
    services.review_record(
        camera=live,
        reviewer=planner,
        factors=complete_case()["factors"],
        privacy_impact="Houses built opposite.",
        outcome="move",
    )
    with pytest.raises(ValidationError, match="decided to move camera CAM-L after this assessment"):
        services.assessment_approve(assessment=pending, approver=supervisor, reason="Yes.")
    live.refresh_from_db()
    assert live.status == "suspended"
    services.assessment_reject(assessment=pending, approver=supervisor, reason="Overtaken by the review.")
    fresh = submitted_assessment(live, planner, need="Stay here after all: the houses are screened.")
    services.assessment_approve(assessment=fresh, approver=supervisor, reason="Screening shown.")
    live.refresh_from_db()
    assert live.status == "live"
