"""Video uploads under bad input, beyond apps/recognition/tests' fixed cases (the fast parts;
tests/reliability/test_fuzz_uploads.py has those that need a worker and minutes).

Over real HTTP, through a uvicorn server of its own whose upload limit is small: a file far
over the limit is refused with 413 before its body is read, one just over it with its reason,
by the API and the portal form, and neither leaves anything in the database, the media
directory or the server's temporary directory; an image bomb (a few
kilobytes of H.264 claiming 16000 x 16000 frames) is refused before anything is decoded. In
process, hypothesis throws random and mutated bytes at the API: each answer is a job (202 or
200) or a 400 with the reason, never a server error.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.accounts.tokens import api_token_issue
from apps.cameras.tests.factories import CameraFactory
from apps.recognition.models import VideoJob
from apps.recognition.synthetic import Passage, make_video
from apps.recognition.video import VideoRejected, frames
from conftest import start_asgi_server
from tests.bad_videos import claiming_frames
from tests.http_clients import VIDEOS, VideoApi, VideoForm

LIMIT = 1_000_000  # bytes; the server's RECOGNITION_VIDEO_MAX_BYTES


@pytest.fixture(scope="module")
def footage(tmp_path_factory) -> Path:
    """A real video: one car, 1.5 s of 320 x 180, its index first (a cut copy still opens)."""
    path = tmp_path_factory.mktemp("footage") / "car.mp4"
    make_video(path, [Passage("AB12CDE", 0.0, duration=1.0)], size=(320, 180), faststart=True)
    return path


@pytest.fixture(scope="module")
def small_limit_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn with a 1 MB upload limit, its media and temporary files in directories of its own."""
    media, temporary = tmp_path_factory.mktemp("media"), tmp_path_factory.mktemp("server-tmp")
    env = {"RECOGNITION_VIDEO_MAX_BYTES": str(LIMIT), "MEDIA_ROOT": str(media), "TMPDIR": str(temporary)}
    server, base = start_asgi_server(**env)
    yield {"base": base, "pid": server.pid, "media": media, "tmp": temporary}
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def uploader(make_user):
    CameraFactory(code="CAM-UP")
    return make_user("officer")


def fields() -> dict:
    return {"camera": "CAM-UP", "recorded_at": (timezone.now() - timedelta(hours=1)).isoformat()}


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_a_file_over_the_limit_is_refused_and_leaves_nothing(
    small_limit_server, uploader, footage, sign_in_client
):
    server = small_limit_server
    api = VideoApi(server["base"], api_token_issue(user=uploader, actor=None)[1])
    form = VideoForm(server["base"], uploader, sign_in_client)
    api.post(b"", **fields())  # the server's modules loaded (onnxruntime leaves a file in TMPDIR)
    temporary_files = _files_in(server["tmp"])

    # Far over (past Django's in-memory threshold, 2.5 MB): refused from its Content-Length in
    # front of Django (anpr_site/body_limits.py), before the body is read.
    content = footage.read_bytes() * (3 * LIMIT // footage.stat().st_size + 1)
    response = api.post(content, **fields())
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    page = form.post(content, "big.mp4", **fields())
    assert page.status_code == 413
    assert page.text.startswith("Request too large.")

    # Just over, within what a form may add around its file: the upload's own check, with its reason.
    content = content[: LIMIT + 1000]
    response = api.post(content, **fields())
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": {"file": [f"The file is {len(content):,} bytes; the limit is {LIMIT:,}."]},
    }
    page = form.post(content, "big.mp4", **fields())
    assert page.status_code == 200  # the form again, with the reason
    assert f"the limit is {LIMIT:,}" in page.text

    assert not VideoJob.objects.exists()
    assert _files_in(server["media"]) == []
    # Django deletes a request's temporary upload when the request finishes, which under ASGI
    # is just after the answer has been sent.
    assert _files_in(server["tmp"], settled_to=temporary_files) == temporary_files


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_an_image_bomb_is_refused_before_it_is_decoded(small_limit_server, uploader, tmp_path):
    server = small_limit_server
    api = VideoApi(server["base"], api_token_issue(user=uploader, actor=None)[1])
    api.post(b"%PDF-1.7\n%%EOF\n", name="warm-up.mp4", **fields())  # the decoder loaded
    peak_before = _peak_memory(server["pid"])
    bomb = claiming_frames(tmp_path / "bomb.ts", 16000, 16000)
    assert bomb.stat().st_size < 50_000

    response = api.post(bomb.read_bytes(), name="bomb.ts", content_type="video/mp2t", **fields())
    assert response.status_code == 400
    assert "16000 x 16000 pixels" in response.json()["detail"]["file"][0]
    # One such frame is 384 MB to decode; the server did not even start.
    assert _peak_memory(server["pid"]) - peak_before < 100 * 1024 * 1024
    assert not VideoJob.objects.exists()
    assert _files_in(server["media"]) == []


def test_a_stream_that_grows_to_giant_frames_stops_where_it_grows(tmp_path):
    # Its header and first frames are 16 x 16, so the upload is accepted; the decoder itself
    # refuses the frames that claim 16000 x 16000, and the job fails with the reason.
    sneaky = claiming_frames(tmp_path / "sneaky.ts", 16000, 16000, after=25)
    with pytest.raises(VideoRejected, match="after frame 25"):
        for _ in frames(sneaky, every=1):
            pass


MUTATIONS = st.sampled_from(["flip", "truncate", "insert", "delete", "noise"])


@st.composite
def bad_uploads(draw, real: bytes):
    """Random bytes, or the real video flipped, cut, stuffed or hollowed out at random places;
    under a random name."""
    content = bytearray(real)
    kind = draw(MUTATIONS)
    at = draw(st.integers(0, len(content) - 1))
    if kind == "flip":
        for position in draw(st.lists(st.integers(0, len(content) - 1), min_size=1, max_size=64)):
            content[position] = draw(st.integers(0, 255))
    elif kind == "truncate":
        content = content[:at]
    elif kind == "insert":
        content[at:at] = draw(st.binary(min_size=1, max_size=4096))
    elif kind == "delete":
        del content[at : at + draw(st.integers(1, 4096))]
    else:
        content = bytearray(draw(st.binary(max_size=8192)))
    name = draw(st.sampled_from(["clip.mp4", "clip.MOV", "clip.ts", "clip.pdf", "clip", "../../etc/passwd"]))
    return bytes(content), name


@pytest.mark.django_db
def test_random_and_mutated_uploads_get_a_job_or_a_reason(api_client_for, uploader, footage, settings):
    settings.MEDIA_ROOT = footage.parent / "media"
    api = api_client_for(uploader)

    @hypothesis_settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(upload=bad_uploads(footage.read_bytes()))
    def post(upload):
        content, name = upload
        response = api.post(
            VIDEOS, {"file": SimpleUploadedFile(name, content), **fields()}, format="multipart"
        )
        assert response.status_code in (200, 202, 400), (response.status_code, name, len(content))
        body = response.json()
        if response.status_code == 400:
            assert body["error"] == "invalid" and body["detail"]["file"][0]
        else:
            assert body["status"] in ("queued", "done", "failed") and body["id"]

    post()


def _files_in(directory: Path, settled_to: list[str] | None = None) -> list[str]:
    """The files in a directory; with `settled_to`, once they are those (or after 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        files = sorted(str(path) for path in directory.rglob("*") if path.is_file())
        if settled_to is None or files == settled_to or time.monotonic() > deadline:
            return files
        time.sleep(0.1)


def _peak_memory(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    [line] = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(line.split()[1]) * 1024
