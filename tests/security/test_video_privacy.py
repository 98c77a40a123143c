"""Findings 13 and 17: what a video job shows, and to whom.

13. Uploading a video that another user already uploaded (same file, camera and time) must not
    hand over their job (username, file name, results): through the API and the portal form,
    the copy becomes the second user's own job, recognised again, whose reads the ingest stores
    once.
17. The job's page shows its camera as apps/cameras/disclosure.py allows: code and area to an
    officer, the name and road (a location) only to holders of cameras.view_camera_location.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.reads.models import Read
from apps.recognition import services
from apps.recognition.models import VideoJob
from apps.recognition.tests.helpers import short_video

pytestmark = pytest.mark.django_db

RECORDED_AT = timezone.now().replace(microsecond=0) - timedelta(hours=2)
LOCATION = ("Mast behind the school", "Secret Lane")


@pytest.fixture(scope="module")
def footage(tmp_path_factory) -> Path:
    return short_video(tmp_path_factory.mktemp("footage"))


@pytest.fixture
def camera(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return CameraFactory(code="CAM-PRV", name=LOCATION[0], road=LOCATION[1], area="Northfield district")


@pytest.mark.models
def test_another_users_copy_of_a_video_is_a_job_of_their_own(
    make_user, api_client_for, sign_in_client, camera, footage
):
    first, second, third = (
        make_user("officer", username=f"{n}-uploader") for n in ("first", "second", "third")
    )
    theirs = _post(api_client_for(first), footage, "first-uploaders-evidence.mp4")
    assert theirs.status_code == 202

    # The API: before, 200 and the first uploader's job (their name, their file, their results).
    mine = _post(api_client_for(second), footage, "copy.mp4")
    assert mine.status_code == 202, mine.json()
    assert mine.json()["id"] != theirs.json()["id"]
    assert (mine.json()["uploaded_by"], mine.json()["original_name"]) == ("second-uploader", "copy.mp4")
    assert "first-uploader" not in mine.content.decode()

    # The portal form: before, a redirect to the first uploader's job ("uploaded before").
    client = sign_in_client(third, Client())
    fields = {"camera": "CAM-PRV", "recorded_at": _local(RECORDED_AT), "latitude": "", "longitude": ""}
    posted = client.post("/videos/", {"file": _upload(footage, "form-copy.mp4"), **fields})
    assert posted.status_code == 302
    own = VideoJob.objects.get(uploaded_by=third)
    assert posted["Location"] == f"/videos/{own.pk}/"
    page = client.get(posted["Location"]).content.decode()
    assert "form-copy.mp4" in page
    assert "first-uploader" not in page and "first-uploaders-evidence.mp4" not in page

    # Each copy is recognised; its reads are stored once, by the ingest's rule (camera, plate, moment).
    for job_id in (theirs.json()["id"], mine.json()["id"]):
        services.video_job_process(job_id=job_id)
    results = VideoJob.objects.filter(uploaded_by__in=[first, second]).order_by("pk")
    assert list(results.values_list("status", "reads_found", "reads_stored")) == [
        ("done", 2, 2),
        ("done", 2, 0),
    ]
    assert Read.objects.filter(camera=camera).count() == 2


def test_the_job_page_shows_the_camera_only_as_disclosed(make_user, sign_in_client, camera, footage):
    officer = make_user("officer")
    job, _ = _create(footage, officer)
    page = sign_in_client(officer, Client()).get(f"/videos/{job.pk}/").content.decode()
    assert "CAM-PRV" in page and "Northfield district" in page
    assert [value for value in LOCATION if value in page] == []

    planner = make_user("officer", "planner")  # also holds cameras.view_camera_location
    theirs, _ = _create(footage, planner)
    page = sign_in_client(planner, Client()).get(f"/videos/{theirs.pk}/").content.decode()
    assert LOCATION[0] in page


def _post(api, footage: Path, name: str):
    data = {"file": _upload(footage, name), "camera": "CAM-PRV", "recorded_at": RECORDED_AT.isoformat()}
    return api.post("/api/v1/videos/", data)


def _create(footage: Path, user):
    return services.video_job_create(
        upload=_upload(footage, "clip.mp4"), camera_code="CAM-PRV", recorded_at=RECORDED_AT, uploaded_by=user
    )


def _upload(footage: Path, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, footage.read_bytes(), content_type="video/mp4")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")
