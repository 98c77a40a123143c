"""Faults, caused by the test itself on the local PostgreSQL and Redis (make reliability): while a
camera gateway streams reads into the real server (uvicorn) and a real worker recognises a
video, the worker is killed twice, Redis is restarted without its data and PostgreSQL is
restarted. Afterwards every accepted read is stored once, every alert raised once, and the
video job ends with exactly a clean run's reads, each once."""

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

from apps.accounts.tokens import api_token_issue
from apps.audit.models import JobRun
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.recognition import services
from apps.recognition.footage import recognise_video
from apps.recognition.models import VideoJob
from apps.recognition.synthetic import Passage, make_video
from conftest import start_asgi_server, start_celery_beat, start_celery_worker
from tests.http_clients import VideoApi

from . import servers

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

VIDEO_PLATES = ["AB12CDE", "XY65ZKT", "M44DAV", "KX19ZTP", "LB07SEO", "GF70PXR"]
STREAM_HOTLISTED = [f"HOT{n:03d}" for n in range(20)]
VISIBILITY = 5  # seconds before Redis gives an unacknowledged message out again
REQUEUE_CHECK = 3  # seconds between beat's checks that the broker still holds its messages


def test_reads_and_a_video_come_through_a_killed_worker_and_restarted_redis_and_postgres(
    make_user, asgi_server, tmp_path, empty_broker, processes
):
    video = tmp_path / "traffic.mp4"
    make_video(video, [Passage(vrm, 1.6 * n) for n, vrm in enumerate(VIDEO_PLATES)], size=(854, 480))
    clean_run = [t.vrm for t in recognise_video(video, countries=settings.RECOGNITION_COUNTRIES).tracks]
    assert len(clean_run) >= 4, clean_run
    officer = make_user("officer")
    camera = CameraFactory(code="CAM-FAULT")
    hotlist = make_hotlist(officer)
    for vrm in [*STREAM_HOTLISTED, clean_run[0]]:  # and one of the video's plates, as it is read
        add_entry(hotlist, vrm, officer)
    # The first video worker before the upload: a solo worker busy with a task answers no ping.
    video_worker = _video_worker(processes)
    processes.append(start_celery_worker("default"))
    processes.append(start_celery_beat(tmp_path / "beat", VIDEO_REQUEUE_CHECK_SECONDS=str(REQUEUE_CHECK)))
    _wait_for(_broker_marked, 60)  # beat's check has run once and marked the broker
    analyst = VideoApi(asgi_server, api_token_issue(user=officer, actor=None)[1])
    gateway = _Gateway(
        asgi_server, api_token_issue(user=make_user("camera", cameras=[camera]), actor=None)[1], camera.code
    )
    gateway.start()
    an_hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    job_id = analyst.upload(video.read_bytes(), name=video.name, camera=camera.code, recorded_at=an_hour_ago)

    # 1. The worker killed mid-job: Redis gives its unacknowledged message out again, once
    # the visibility timeout has passed, to the next worker that starts.
    _kill_during(job_id, attempt=1, worker=video_worker)
    time.sleep(VISIBILITY + 1)
    video_worker = _video_worker(processes, answering=False)
    # 2. Killed again, and Redis restarted without its data before the message came back:
    # the message is lost, and only beat's check finds the job again.
    _kill_during(job_id, attempt=2, worker=video_worker)
    servers.redis_down()
    time.sleep(1)
    servers.redis_up()
    _video_worker(processes, answering=False)
    # 3. PostgreSQL restarted while the third attempt is recognising.
    _wait_for(lambda: _job_is(job_id, attempt=3), 120)
    servers.postgres_restart()
    connection.close()  # this test's own connection died with the server
    streamed = len(gateway.accepted)
    _wait_for(lambda: len(gateway.accepted) >= streamed + 10, 120)  # the stream goes on
    gateway.stop()

    finished = analyst.wait_until_finished(job_id, timeout=600)
    retried = finished["status"] == "failed"
    if retried:  # an interruption it could not recover from by itself: said, and retried
        assert finished["error"], finished
        analyst.retry(job_id)
        finished = analyst.wait_until_finished(job_id, timeout=600)
    assert finished["status"] == "done", finished
    accepted = [item for batch in gateway.accepted for item in batch]
    stored = Read.objects.filter(source=Read.Source.CAMERA).values_list("read_uuid", flat=True)
    assert sorted(str(u) for u in stored) == sorted(item["read_id"] for item in accepted)  # each once
    from_video = Read.objects.filter(source=Read.Source.VIDEO).values_list("vrm", flat=True)
    assert sorted(from_video) == sorted(clean_run)  # a clean run's reads, each once
    hits = [item["vrm"] for item in accepted if item["vrm"] in STREAM_HOTLISTED]
    alerts = Alert.objects.values_list("vrm", flat=True)
    assert sorted(alerts) == sorted([*hits, clean_run[0]])  # each alert raised once
    requeued = sum(run.details["requeued"] for run in JobRun.objects.filter(job="requeue-lost-video-jobs"))
    print(
        f"\n  {len(accepted)} reads in {len(gateway.accepted)} batches, {gateway.retries} posts retried; "
        f"{len(alerts)} alerts; the video job queued again {requeued} time(s) and {finished['status']} "
        f"after {finished['attempts']} attempts{' and a retry' if retried else ''}, {len(from_video)} reads"
    )


def test_a_video_job_waits_out_a_database_that_is_down_when_it_finishes(
    make_user, tmp_path, empty_broker, processes
):
    # PostgreSQL stops while the job recognises and stays down past its end: storing the reads
    # and recording the failure both fail. The job is tried again until the database is back,
    # rather than left "processing" with its message acknowledged.
    video = tmp_path / "traffic.mp4"
    make_video(video, [Passage(vrm, 1.6 * n) for n, vrm in enumerate(VIDEO_PLATES[:3])], size=(854, 480))
    clean_run = [t.vrm for t in recognise_video(video, countries=settings.RECOGNITION_COUNTRIES).tracks]
    officer = make_user("officer")
    camera = CameraFactory(code="CAM-DOWN")
    _video_worker(processes)
    # A server of its own: the shared one cached content type ids the test before flushed.
    server, base = start_asgi_server()
    processes.append(server)
    analyst = VideoApi(base, api_token_issue(user=officer, actor=None)[1])
    an_hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    job_id = analyst.upload(video.read_bytes(), name=video.name, camera=camera.code, recorded_at=an_hour_ago)
    _wait_for(lambda: _job_is(job_id, attempt=1), 120)
    servers.postgres_down()
    try:
        time.sleep(30)  # recognition ends meanwhile; its reads and its failure cannot be written
    finally:
        servers.postgres_up()
        connection.close()  # this test's own connection died with the server
    _wait_for(lambda: _job(job_id).status == "done", 300)
    job = _job(job_id)
    assert job.attempts >= 2, job.attempts  # done by a later attempt, not the interrupted one
    from_video = Read.objects.filter(source=Read.Source.VIDEO).values_list("vrm", flat=True)
    assert sorted(from_video) == sorted(clean_run)  # a clean run's reads, each once
    print(f"\n  done after {job.attempts} attempts, {len(from_video)} reads")


def _video_worker(processes, *, answering: bool = True):
    worker = start_celery_worker("video", answering=answering, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY))
    processes.append(worker)
    return worker


def _kill_during(job_id: int, *, attempt: int, worker) -> None:
    """SIGKILL the worker once the job's attempt `attempt` has recognised a frame."""
    try:
        _wait_for(lambda: _job_is(job_id, attempt=attempt), 120)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    killed = _job(job_id)
    assert killed.status == "processing" and killed.frames_done < killed.frames_total  # mid-job


def _broker_marked() -> bool:
    import redis

    return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL).exists(services.BROKER_MARK))


def _batch(camera: str, n: int) -> list[dict]:
    now = timezone.now()
    return [
        {
            "read_id": str(uuid.uuid4()),
            "camera": camera,
            "vrm": STREAM_HOTLISTED[n % len(STREAM_HOTLISTED)] if i == 0 else f"R{n:04d}X{i}",
            "seen_at": (now - timedelta(seconds=i)).isoformat(),
            "confidence": 0.9,
        }
        for i in range(10)
    ]


class _Gateway(threading.Thread):
    """A camera gateway: posts a batch of 10 reads (one hotlisted) every 0.2 s until stopped,
    each until it is accepted, retrying through faults with the same read ids."""

    def __init__(self, base: str, token: str, camera: str) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.camera = base, token, camera
        self.accepted: list[list[dict]] = []
        self.retries = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            batch = _batch(self.camera, len(self.accepted))
            deadline = time.monotonic() + 120
            while not self._post(batch):
                self.retries += 1
                if time.monotonic() > deadline:
                    return
                time.sleep(0.3)
            self.accepted.append(batch)
            time.sleep(0.2)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=150)
        assert not self.is_alive(), "a batch was never accepted"

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


def _job(job_id: int) -> VideoJob:
    return VideoJob.objects.get(pk=job_id)


def _job_is(job_id: int, *, attempt: int) -> bool:
    """Whether the job's attempt `attempt` is under way (it has recognised a frame)."""
    job = _job(job_id)
    return (job.status, job.attempts) == ("processing", attempt) and job.frames_done > 0


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
