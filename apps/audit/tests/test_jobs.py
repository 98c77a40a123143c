"""Scheduled jobs: each run recorded with its outcome; the administrators' page shows the
schedule (last run, outcome, next run) and the oldest read held."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from apps.assessments.tasks import remind_reviews_due
from apps.audit.jobs import recorded_run, scheduled_jobs
from apps.audit.models import JobRun
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.reads.tests.helpers import store_reads

pytestmark = pytest.mark.django_db


def test_a_failing_job_is_recorded_as_failed_and_still_raises():
    with pytest.raises(RuntimeError), recorded_run("national-export") as details:
        details["day"] = "2026-11-23"
        raise RuntimeError("disk full")
    run = JobRun.objects.get()
    assert (run.outcome, run.error, run.details) == ("failed", "disk full", {"day": "2026-11-23"})


def test_the_schedule_holds_every_job_with_its_next_run(settings):
    names = {job.name for job in scheduled_jobs()}
    assert {"retention", "national-export", "expire-access-requests", "assessment-review-reminders"} <= names
    with recorded_run("retention"):
        pass
    retention = next(job for job in scheduled_jobs() if job.name == "retention")
    assert retention.last.outcome == "ok"
    assert retention.schedule in ("daily at 02:30 GMT", "daily at 03:30 BST")  # 02:30 UTC
    assert timezone.now() < retention.next_run <= timezone.now() + timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "shown"), [((7, 14), "daily at 03:30 BST"), ((12, 4), "daily at 02:30 GMT")]
)
def test_a_daily_job_runs_at_a_time_given_in_the_forces_zone(today, shown):
    """The schedule is kept in UTC; people read it in London time, summer or winter."""
    now = datetime(2026, *today, 12, tzinfo=UTC)
    retention = next(job for job in scheduled_jobs(now) if job.name == "retention")
    assert retention.schedule == shown


def test_administrators_and_auditors_see_the_jobs_page(make_user, sign_in_client):
    camera = CameraFactory()
    store_reads(camera, ("OLDEST1", timedelta(days=40)), ("NEWER1", timedelta(days=1)))
    with recorded_run("retention") as details:
        details["reads"] = {"days": [], "reads": 0, "images": 0}
    for role in ("administrator", "auditor"):
        page = sign_in_client(make_user(role), Client()).get("/audit/jobs/").content.decode()
        assert "national-export" in page and "retention" in page
        assert "within the period" in page
        expected = timezone.localtime(timezone.now() - timedelta(days=40))
        assert f"{expected:%-d %b %Y}" in page  # the oldest read held
    assert sign_in_client(make_user("officer"), Client()).get("/audit/jobs/").status_code == 403


def test_planners_are_reminded_of_reviews_due(make_user):
    planner = make_user("planner", email="planner@example.police.uk")
    today = timezone.localdate()
    CameraFactory(code="CAM-DUE", status=Camera.Status.LIVE, review_due=today - timedelta(days=2))
    CameraFactory(code="CAM-LATER", status=Camera.Status.LIVE, review_due=today + timedelta(days=200))
    remind_reviews_due.run()
    (message,) = mail.outbox
    assert message.to == [planner.email]
    assert "CAM-DUE" in message.body and "overdue" in message.body and "CAM-LATER" not in message.body
    run = JobRun.objects.get(job="assessment-review-reminders")
    assert run.details == {"due": 1, "overdue": 1, "planners_emailed": 1}
