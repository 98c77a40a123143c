"""Video jobs end to end: upload through the API, a real Celery worker, reads in PostgreSQL."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.recognition import services
from apps.recognition.models import VideoJob
from apps.recognition.synthetic import Passage, make_video

from .helpers import PASSAGES, short_video

VIDEOS = "/api/v1/videos/"


@pytest.fixture(scope="module")
def footage(tmp_path_factory) -> Path:
    return short_video(tmp_path_factory.mktemp("footage"))


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def camera(db):
    return CameraFactory(code="CAM-VID")


def post_video(api, path: Path, *, camera="CAM-VID", recorded_at=None, name=None, **fields):
    recorded_at = recorded_at or timezone.now() - timedelta(hours=1)
    with path.open("rb") as stream:
        upload = SimpleUploadedFile(name or path.name, stream.read(), content_type="video/mp4")
    data = {"file": upload, "camera": camera, "recorded_at": recorded_at.isoformat(), **fields}
    return api.post(VIDEOS, data, format="multipart")


def wait_until_finished(api, job_id: int, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"{VIDEOS}{job_id}/").json()
        if job["status"] in {"done", "failed"}:
            return job
        assert time.monotonic() < deadline, f"the job did not finish: {job}"
        time.sleep(0.5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_uploaded_video_becomes_reads_and_raises_alerts(
    celery_worker, api_client_for, officer, camera, footage
):
    add_entry(make_hotlist(officer, name="Stolen"), "AB12CDE", officer)
    api = api_client_for(officer)
    recorded_at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    response = post_video(api, footage, recorded_at=recorded_at)
    assert response.status_code == 202, response.json()
    created = response.json()
    assert created["status"] == "queued"
    assert created["progress"]["frames_total"] == 115

    job = wait_until_finished(api, created["id"])
    assert job["status"] == "done", job["error"]
    assert job["progress"] == {"frames_done": 115, "frames_total": 115, "percent": 100}
    assert (job["reads_found"], job["reads_stored"]) == (2, 2)
    reads = list(Read.objects.filter(camera=camera).order_by("seen_at"))
    assert [r.vrm for r in reads] == [p.vrm for p in PASSAGES]
    for read, passage in zip(reads, PASSAGES, strict=True):
        assert read.source == Read.Source.VIDEO
        offset = (read.seen_at - recorded_at).total_seconds()
        assert passage.start <= offset <= passage.start + passage.duration
        assert read.plate_image and read.overview_image
    assert list(Alert.objects.values_list("vrm", flat=True)) == ["AB12CDE"]


@pytest.mark.models
@pytest.mark.django_db
def test_a_job_restarted_after_its_worker_died_stores_no_read_twice(officer, camera, footage, monkeypatch):
    job, _ = services.video_job_create(
        upload=_upload(footage), camera_code="CAM-VID", recorded_at=_an_hour_ago(), uploaded_by=officer
    )
    real_ingest, calls = services.reads_ingest, []

    def ingest_then_die(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise WorkerKilled  # after the first read is stored, as SIGKILL would
        return real_ingest(**kwargs)

    monkeypatch.setattr(services, "INGEST_BATCH", 1)
    monkeypatch.setattr(services, "reads_ingest", ingest_then_die)
    with pytest.raises(WorkerKilled):
        services.video_job_process(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == VideoJob.Status.PROCESSING  # nothing ran to mark it: the message is redelivered
    assert Read.objects.filter(camera=camera).count() == 1

    monkeypatch.setattr(services, "reads_ingest", real_ingest)
    services.video_job_process(job_id=job.pk)  # the redelivered message
    job.refresh_from_db()
    assert (job.status, job.attempts, job.reads_found, job.reads_stored) == ("done", 2, 2, 1)
    assert sorted(Read.objects.filter(camera=camera).values_list("vrm", flat=True)) == ["AB12CDE", "XY65ZKT"]
    # Each read stores its vehicle's colour, estimated from the frame that best showed the plate.
    assert dict(Read.objects.filter(camera=camera).values_list("vrm", "colour")) == {
        "AB12CDE": "red",
        "XY65ZKT": "green",
    }

    services.video_job_process(job_id=job.pk)  # delivered once more: a done job is left alone
    job.refresh_from_db()
    assert job.attempts == 2
    assert Read.objects.filter(camera=camera).count() == 2


@pytest.mark.django_db
def test_the_same_video_posted_twice_is_one_job(api_client_for, officer, camera, footage):
    api = api_client_for(officer)
    recorded_at = _an_hour_ago()
    first = post_video(api, footage, recorded_at=recorded_at)
    again = post_video(api, footage, recorded_at=recorded_at, name="copy.mp4")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert VideoJob.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("same_uploader", "jobs"), [(True, 1), (False, 2)])
def test_posts_of_one_video_at_once_are_one_job_per_uploader(
    make_user, officer, camera, footage, monkeypatch, same_uploader, jobs
):
    recorded_at, store, other_post = _an_hour_ago(), services._store_upload, []
    other_uploader = officer if same_uploader else make_user("officer")

    def store_while_the_other_post_saves(job, upload):
        store(job, upload)
        if not other_post:  # both looked for a job before either saved one
            other_post.append(None)
            other_post[0], _ = services.video_job_create(
                upload=_upload(footage),
                camera_code="CAM-VID",
                recorded_at=recorded_at,
                uploaded_by=other_uploader,
            )

    monkeypatch.setattr(services, "_store_upload", store_while_the_other_post_saves)
    job, created = services.video_job_create(
        upload=_upload(footage), camera_code="CAM-VID", recorded_at=recorded_at, uploaded_by=officer
    )
    assert (job == other_post[0], created) == (same_uploader, not same_uploader)
    assert job.uploaded_by == officer
    assert VideoJob.objects.count() == jobs


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "field", "reason"),
    [
        (b"", "empty.mp4", "file", "empty"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "report.mp4", "file", "not a video"),
        (bytes(range(256)) * 400, "noise.mp4", "file", "not a video"),
    ],
)
def test_uploads_that_are_not_video_are_refused_and_nothing_is_kept(
    api_client_for, officer, camera, tmp_path, content, name, field, reason
):
    path = tmp_path / name
    path.write_bytes(content)
    response = post_video(api_client_for(officer), path)
    assert response.status_code == 400
    assert reason in str(response.json()["detail"][field]).lower()
    assert not VideoJob.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused(api_client_for, officer, camera, footage, settings):
    settings.RECOGNITION_VIDEO_MAX_BYTES = 10_000
    response = post_video(api_client_for(officer), footage)
    assert response.status_code == 400
    assert "the limit is 10,000" in str(response.json()["detail"]["file"])
    assert not VideoJob.objects.exists()


@pytest.mark.django_db
def test_the_camera_and_time_are_checked(api_client_for, officer, footage):
    api = api_client_for(officer)
    CameraFactory(code="CAM-NEW", status=Camera.Status.PROPOSED)
    CameraFactory(code="CAM-CAR", kind=Camera.Kind.MOBILE)
    cases = [
        ({"camera": "NOPE"}, "camera", "Unknown camera"),
        ({"camera": "CAM-NEW"}, "camera", "proposed"),
        ({"camera": "CAM-CAR"}, "latitude", "latitude and longitude"),
        (
            {
                "camera": "CAM-CAR",
                "recorded_at": timezone.now() + timedelta(hours=1),
                "latitude": 51.5,
                "longitude": -0.1,
            },
            "recorded_at",
            "future",
        ),
    ]
    for fields, field, message in cases:
        response = post_video(api, footage, **fields)
        assert response.status_code == 400, fields
        assert message in str(response.json()["detail"][field])
    assert not VideoJob.objects.exists()
    accepted = post_video(api, footage, camera="CAM-CAR", latitude=51.5, longitude=-0.1)
    assert accepted.status_code == 202


@pytest.mark.models
@pytest.mark.django_db
def test_a_truncated_video_fails_with_a_reason_and_can_be_retried(api_client_for, officer, camera, tmp_path):
    whole = tmp_path / "whole.mp4"
    make_video(whole, [Passage("AB12CDE", 0)], size=(320, 180), faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    api = api_client_for(officer)
    response = post_video(api, cut)
    assert response.status_code == 202  # it opens; only decoding finds the missing end
    services.video_job_process(job_id=response.json()["id"])
    job = api.get(f"{VIDEOS}{response.json()['id']}/").json()
    assert job["status"] == "failed"
    assert "truncated" in job["error"]
    assert not Read.objects.exists()
    retried = api.post(f"{VIDEOS}{job['id']}/retry/")
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert api.post(f"{VIDEOS}{job['id']}/retry/").status_code == 400  # only failed jobs


@pytest.mark.django_db
def test_jobs_are_seen_only_by_who_uploaded_them(api_client_for, make_user, officer, camera, footage):
    job = post_video(api_client_for(officer), footage).json()
    other = api_client_for(make_user("officer"))
    assert other.get(f"{VIDEOS}{job['id']}/").status_code == 404
    assert other.get(VIDEOS).json() == []
    assert post_video(api_client_for(make_user("planner")), footage).status_code == 403


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the job gets to handle it."""


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def _an_hour_ago():
    return timezone.now() - timedelta(hours=1)


@pytest.mark.models
@pytest.mark.django_db
def test_footage_is_deleted_after_its_retention_period_and_can_be_uploaded_again(
    api_client_for, officer, camera, footage, settings
):
    from django.core.files.storage import default_storage

    settings.RECOGNITION_VIDEO_RETENTION_DAYS = 31
    api = api_client_for(officer)
    recorded_at = _an_hour_ago()
    job_id = post_video(api, footage, recorded_at=recorded_at).json()["id"]
    services.video_job_process(job_id=job_id)
    job = VideoJob.objects.get(pk=job_id)
    stored_as = job.file.name
    assert services.video_files_remove_expired(now=timezone.now() + timedelta(days=30)) == 0
    assert services.video_files_remove_expired(now=timezone.now() + timedelta(days=32)) == 1
    job.refresh_from_db()
    assert not job.file and job.file_removed_at and not default_storage.exists(stored_as)
    assert (job.status, job.reads_found) == ("done", 2)  # the record and its reads stay
    assert Read.objects.count() == 2
    assert services.video_files_remove_expired(now=timezone.now() + timedelta(days=33)) == 0  # once

    VideoJob.objects.filter(pk=job_id).update(status="failed")
    assert api.post(f"{VIDEOS}{job_id}/retry/").status_code == 400  # nothing left to recognise
    again = post_video(api, footage, recorded_at=recorded_at)
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (202, job_id, "queued")
    services.video_job_process(job_id=job_id)
    assert Read.objects.count() == 2  # the same reads: nothing stored twice
