"""Faults, caused by the tests themselves on this machine's own servers (make reliability):
a worker killed mid-job, Redis and PostgreSQL restarted while reads stream in. Afterwards
every accepted read is stored once, every alert raised once, and the video job finishes
without duplicate reads."""

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from apps.accounts.services import api_token_issue
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.recognition import services
from apps.recognition.footage import recognise_video
from apps.recognition.models import VideoJob
from apps.recognition.synthetic import Passage, make_video
from conftest import start_celery_worker

from . import servers

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

PLATES = ["AB12CDE", "XY65ZKT", "M44DAV", "KX19ZTP", "LB07SEO", "GF70PXR"]
VISIBILITY = 5  # seconds before Redis gives an unacknowledged message out again


@pytest.fixture
def empty_broker():
    """No message left from an earlier run (a killed worker's is redelivered much later)."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def test_a_video_job_survives_its_worker_being_killed(make_user, tmp_path, empty_broker):
    from django.core.files import File

    # Started first: a solo worker busy with a task answers no ping until it is done.
    worker = start_celery_worker("video", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY))
    CameraFactory(code="CAM-FAULT")
    path = tmp_path / "traffic.mp4"
    make_video(path, [Passage(vrm, 1.6 * n) for n, vrm in enumerate(PLATES)], size=(854, 480))
    with path.open("rb") as stream:
        job, _ = services.video_job_create(
            upload=File(stream, name="traffic.mp4"),
            camera_code="CAM-FAULT",
            recorded_at=timezone.now() - timedelta(hours=1),
            uploaded_by=make_user("officer"),
        )
    try:
        _wait_for(
            lambda: VideoJob.objects.filter(pk=job.pk, status="processing", frames_done__gt=0).exists(), 60
        )
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    job.refresh_from_db()
    assert job.status == "processing" and job.frames_done < job.frames_total  # killed mid-job

    time.sleep(VISIBILITY + 1)
    again = start_celery_worker("video", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY))
    try:
        _wait_for(lambda: VideoJob.objects.get(pk=job.pk).status in ("done", "failed"), 180)
    finally:
        again.terminate()
        again.wait(timeout=30)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2), job.error
    expected = [t.vrm for t in recognise_video(path, countries=settings.RECOGNITION_COUNTRIES).tracks]
    assert len(expected) >= 4
    assert sorted(Read.objects.values_list("vrm", flat=True)) == sorted(expected)  # each passage once


def test_reads_keep_flowing_through_redis_and_postgres_restarts(make_user, asgi_server):
    officer = make_user("officer")
    camera = CameraFactory(code="CAM-STREAM")
    hotlist = make_hotlist(officer)
    listed = [f"HOT{n:03d}" for n in range(20)]
    for vrm in listed:
        add_entry(hotlist, vrm, officer)
    token = api_token_issue(user=make_user("camera"))
    batches = [_batch(camera.code, n, listed) for n in range(120)]
    client = _Client(asgi_server, token, batches)
    client.start()

    _wait_for(lambda: client.accepted >= 20, 60)
    servers.redis_down()
    time.sleep(1)
    servers.redis_up()
    _wait_for(lambda: client.accepted >= 60, 120)
    servers.postgres_restart()
    client.join(timeout=300)
    assert not client.is_alive() and client.accepted == len(batches)

    connection.close()  # this test's own connection died with the server
    sent = {item["read_id"] for batch in batches for item in batch}
    stored = list(Read.objects.values_list("read_uuid", flat=True))
    assert len(stored) == len(sent) and {str(u) for u in stored} == sent  # each once
    hits = [item for batch in batches for item in batch if item["vrm"] in listed]
    assert Alert.objects.count() == len(hits)  # each alert once
    print(f"\n  {len(sent)} reads in {len(batches)} batches; {client.retries} retried posts; faults survived")


def _batch(camera: str, n: int, listed: list[str]) -> list[dict]:
    now = timezone.now()
    return [
        {
            "read_id": str(uuid.uuid4()),
            "camera": camera,
            "vrm": listed[(n * 10 + i) % len(listed)] if i == 0 else f"R{n:03d}X{i}",
            "seen_at": (now - timedelta(seconds=n * 10 + i)).isoformat(),
            "confidence": 0.9,
        }
        for i in range(10)
    ]


class _Client(threading.Thread):
    """A camera gateway: posts each batch until it is accepted, retrying through faults."""

    def __init__(self, base: str, token: str, batches: list[list[dict]]) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.batches = base, token, batches
        self.accepted = self.retries = 0

    def run(self) -> None:
        for batch in self.batches:
            deadline = time.monotonic() + 120
            while not self._post(batch):
                self.retries += 1
                if time.monotonic() > deadline:
                    return
                time.sleep(0.3)
            self.accepted += 1

    def _post(self, batch: list[dict]) -> bool:
        request = urllib.request.Request(  # noqa: S310 (a local http URL)
            f"{self.base}/api/v1/reads/",
            data=json.dumps(batch).encode(),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a local URL)
                return response.status in (200, 201)
        except (urllib.error.URLError, OSError):
            return False


def _wait_for(condition, timeout: float) -> None:
    deadline, last_error = time.monotonic() + timeout, None
    while True:
        try:
            if condition():
                return
        except DatabaseError as error:  # the database may be restarting: ask again
            last_error = error
            connection.close()
        assert time.monotonic() < deadline, f"timed out (last database error: {last_error})"
        time.sleep(0.2)
