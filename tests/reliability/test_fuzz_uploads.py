"""Fuzzing the video upload end to end (make reliability): hypothesis throws random bytes and
mutations of a real video (flipped, cut, stuffed, hollowed, under any name) at
POST /api/v1/videos/ and the portal's upload form on the real server, and a real worker
recognises whatever is accepted. Every answer is a job (202, or 200 for a video posted
before; the portal: a redirect to the job) or the reason (400; the portal: the form with
the file's error), never a server error; every accepted job ends done, or failed with a
reason, never stuck and never by an internal error; the worker never dies. Image bombs: one
refused at upload, one (a stream that grows to giant frames) failed on its job; then a
clean video is still recognised by the same worker."""

import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.accounts.tokens import api_token_issue
from apps.cameras.tests.factories import CameraFactory
from apps.recognition.synthetic import Passage, make_video
from conftest import start_asgi_server, start_celery_worker
from tests.bad_videos import claiming_frames
from tests.http_clients import VideoApi, VideoForm
from tests.test_video_uploads import bad_uploads, fields

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

EXAMPLES = 100
JOB_TIMEOUT = 300  # seconds; a mutated second of video takes a few on an idle machine
INTERNAL_ERROR = "Recognition stopped by an internal error"


@pytest.fixture
def stack(tmp_path, empty_broker, processes):
    """A server and a video worker sharing a media directory of their own."""
    env = {"MEDIA_ROOT": str(tmp_path / "media")}
    server, base = start_asgi_server(**env)
    processes.append(server)
    worker = start_celery_worker("video", **env)
    processes.append(worker)
    return {"base": base, "worker": worker}


def test_uploads_of_random_and_mutated_bytes_end_as_a_job_or_a_reason(
    stack, make_user, sign_in_client, tmp_path
):
    CameraFactory(code="CAM-UP")
    officer = make_user("officer")
    api = VideoApi(stack["base"], api_token_issue(user=officer, actor=None)[1])
    portal = VideoForm(stack["base"], officer, sign_in_client)
    real = tmp_path / "car.mp4"
    make_video(real, [Passage("AB12CDE", 0.0, duration=1.0)], size=(320, 180), faststart=True)
    outcomes: dict[str, int] = {}

    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(upload=bad_uploads(real.read_bytes()), through=st.sampled_from(["api", "portal"]))
    def upload_and_follow(upload, through):
        content, name = upload
        if through == "api":
            response = api.post(content, name=name, **fields())
            assert response.status_code in (200, 202, 400), (response.status_code, response.text[:500])
            refused = response.status_code == 400
            assert not refused or response.json()["detail"]["file"][0], response.json()
            job_id = None if refused else response.json()["id"]
        else:
            job_id = portal.upload(content, name, **fields())
        if job_id is None:
            outcome = "refused at upload"
        else:
            job = api.wait_until_finished(job_id, JOB_TIMEOUT)
            assert job["status"] == "done" or (
                job["error"] and not job["error"].startswith(INTERNAL_ERROR)
            ), job
            outcome = f"job {job['status']}"
        assert stack["worker"].poll() is None, "the worker died"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    started = time.monotonic()
    upload_and_follow()
    print(f"\n  {sum(outcomes.values())} uploads in {time.monotonic() - started:.0f} s: {outcomes}")

    bomb = claiming_frames(tmp_path / "bomb.ts", 16000, 16000)
    refused = api.post(bomb.read_bytes(), name="bomb.ts", **fields())
    assert refused.status_code == 400 and "16000 x 16000" in refused.json()["detail"]["file"][0]
    sneaky = claiming_frames(tmp_path / "sneaky.ts", 16000, 16000, after=25)
    job = api.wait_until_finished(api.upload(sneaky.read_bytes(), name="sneaky.ts", **fields()), JOB_TIMEOUT)
    assert job["status"] == "failed" and "after frame 25" in job["error"], job
    assert stack["worker"].poll() is None, "the worker died"

    clean = api.wait_until_finished(api.upload(real.read_bytes(), name="car.mp4", **fields()), JOB_TIMEOUT)
    assert clean["status"] == "done" and clean["reads_stored"] >= 1, clean  # the same worker, still working
