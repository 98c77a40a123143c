"""A Redis restarted without its data has lost the queued video jobs' messages: beat's check
finds its mark gone and queues every unfinished job again. (End to end, with a worker killed
and Redis and PostgreSQL restarted under load: tests/reliability/test_faults.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from anpr_site.celery import app
from apps.audit.jobs import scheduled_jobs
from apps.audit.models import JobRun
from apps.cameras.tests.factories import CameraFactory
from apps.recognition import services, tasks
from apps.recognition.models import VideoJob

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_unfinished_jobs_are_queued_again_once_the_broker_has_lost_its_messages(make_user, monkeypatch):
    camera, officer = CameraFactory(), make_user("officer")
    jobs = {
        status: VideoJob.objects.create(  # made directly: no video is recognised here
            camera=camera,
            recorded_at=timezone.now() - timedelta(hours=1),
            original_name=f"{status}.mp4",
            size=1,
            sha256=status.ljust(64, "0"),
            uploaded_by=officer,
            status=status,
        )
        for status in VideoJob.Status.values
    }
    sent = []
    monkeypatch.setattr(tasks.recognise_video_job, "delay", sent.append)
    with app.connection_for_write() as broker:
        broker.default_channel.client.delete(services.BROKER_MARK)  # as a restart without data does

    tasks.requeue_lost_video_jobs()
    assert sorted(sent) == sorted([jobs["queued"].pk, jobs["processing"].pk])
    tasks.requeue_lost_video_jobs()  # marked again: nothing was lost since
    assert len(sent) == 2
    runs = JobRun.objects.filter(job="requeue-lost-video-jobs").order_by("started_at")
    assert [run.details["requeued"] for run in runs] == [2, 0]
    [scheduled] = [job for job in scheduled_jobs() if job.name == "requeue-lost-video-jobs"]
    assert scheduled.schedule == "every 5 minutes"
