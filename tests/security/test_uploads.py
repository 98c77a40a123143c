"""Finding 12: uploads that exhaust the server, or make FFmpeg read what was not uploaded.

An attacker (or a broken client) sends a body far larger than anything the address takes: the
limit must bite at the ASGI layer, before Django spools the body to disk. Over a real uvicorn
server with small limits, a raw socket sends headers claiming 50 GB and must get 413 without
sending a byte of body, on every address that takes files and on one that takes none; a
chunked body, which claims no length, is cut off where it passes the limit. A hotlist file is
parsed as a stream and refused past HOTLIST_IMPORT_MAX_ROWS. A video upload that is really an
HLS playlist or an ffconcat list naming another local file is refused without FFmpeg opening
that file.
"""

import errno
import http.client
import json
import os
import select
import socket
import tempfile
import threading
import time
import tracemalloc
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import av
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import timezone

from apps.accounts.tokens import api_token_issue
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.imports import ImportRejected, checked_rows
from apps.hotlists.tests.factories import make_hotlist
from apps.recognition.models import VideoJob
from apps.recognition.synthetic import Passage, make_video
from conftest import start_asgi_server

VIDEO_LIMIT, HOTLIST_LIMIT, BACK_LOAD_LIMIT, REQUEST_LIMIT = 1_000_000, 200_000, 300_000, 100_000
ALLOWANCE = 64 * 1024  # anpr_site.body_limits.FORM_ALLOWANCE: the form around the file
HUGE = 50 * 1024**3
# Every address that takes a file, by the limit its view declares, and one that declares none.
ADDRESSES = [
    ("/api/v1/videos/", VIDEO_LIMIT + ALLOWANCE, "json"),
    ("/videos/", VIDEO_LIMIT + ALLOWANCE, "text"),
    ("/api/v1/hotlists/1/entries/import/", HOTLIST_LIMIT + ALLOWANCE, "json"),
    ("/hotlists/1/import/", HOTLIST_LIMIT + ALLOWANCE, "text"),
    ("/reads/back-load/", BACK_LOAD_LIMIT + ALLOWANCE, "text"),
    ("/api/v1/reads/", REQUEST_LIMIT, "json"),
]


@pytest.fixture(scope="module")
def limited_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn with small limits, its temporary files in a directory of its own."""
    temporary = tmp_path_factory.mktemp("server-tmp")
    server, base = start_asgi_server(
        RECOGNITION_VIDEO_MAX_BYTES=str(VIDEO_LIMIT),
        HOTLIST_IMPORT_MAX_BYTES=str(HOTLIST_LIMIT),
        READ_BACK_LOAD_MAX_BYTES=str(BACK_LOAD_LIMIT),
        REQUEST_MAX_BYTES=str(REQUEST_LIMIT),
        TMPDIR=str(temporary),
    )
    yield {"base": base, "tmp": temporary}
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def signed_in(make_user, sign_in_client):
    """Headers of a caller the limits of uploads are for: a token for the API, a session for pages."""
    from django.test import Client

    user = make_user("officer", "administrator")
    token = api_token_issue(user=user, actor=None)[1]
    session = sign_in_client(user, Client()).cookies["sessionid"].value
    return lambda path: (
        {"Authorization": f"Token {token}"}
        if path.startswith("/api/")
        else {"Cookie": f"sessionid={session}"}
    )


@pytest.mark.server
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "limit", "kind"), ADDRESSES)
def test_a_body_claiming_more_than_the_limit_is_refused_before_it_is_sent(
    limited_server, signed_in, path, limit, kind
):
    # Headers only: the old server waited for the 50 GB to arrive (and spooled them to disk).
    with _raw_request(limited_server["base"], path, {"Content-Length": str(HUGE), **signed_in(path)}) as sock:
        status, headers, body = _answer(sock, timeout=5)
    assert status == 413
    assert headers["connection"] == "close"
    assert f"{limit:,} bytes" in body
    if kind == "json":
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == {
            "error": "too_large",
            "detail": f"The request body is over {limit:,} bytes, the most this address accepts.",
        }
    else:
        assert headers["content-type"] == "text/plain; charset=utf-8"
    # One byte over its own limit is refused as well; its own limit is not the default's.
    with _raw_request(
        limited_server["base"], path, {"Content-Length": str(limit + 1), **signed_in(path)}
    ) as sock:
        assert _answer(sock, timeout=5)[0] == 413


@pytest.mark.server
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "limit", "kind"), ADDRESSES[:-1])
def test_an_anonymous_caller_gets_no_upload_sized_limit(
    limited_server, make_user, sign_in_client, path, limit, kind
):
    """Else anyone could fill the disk with bodies refused only once they had arrived (a 401)."""
    from django.test import Client

    password_only = Client()
    password_only.force_login(make_user("officer"))  # no second factor: not yet signed in
    for headers in (
        {},
        {"Authorization": "Token anpr_not-a-token"},
        {"Cookie": f"sessionid={password_only.cookies['sessionid'].value}"},
    ):
        with _raw_request(
            limited_server["base"], path, {"Content-Length": str(REQUEST_LIMIT + 1), **headers}
        ) as sock:
            status, _, body = _answer(sock, timeout=5)
        assert status == 413 and f"{REQUEST_LIMIT:,} bytes" in body, (path, headers)


@pytest.mark.server
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_each_address_takes_bodies_up_to_its_own_limit(limited_server, make_user):
    CameraFactory(code="CAM-LIM")
    token = {"Authorization": f"Token {api_token_issue(user=make_user('officer', 'camera'), actor=None)[1]}"}
    body = b"\x00" * (5 * REQUEST_LIMIT)  # five times the default limit, half the video limit
    reads = requests.post(
        f"{limited_server['base']}/api/v1/reads/",
        data=body,
        headers={**token, "Content-Type": "application/json"},
        timeout=30,
    )
    assert reads.status_code == 413  # no file taken here: the default limit
    video = requests.post(
        f"{limited_server['base']}/api/v1/videos/",
        files={"file": ("clip.mp4", body, "video/mp4")},
        data={"camera": "CAM-LIM", "recorded_at": (timezone.now() - timedelta(hours=1)).isoformat()},
        headers=token,
        timeout=30,
    )
    assert video.status_code == 400  # through to the view, which refuses the file for what it is
    assert "not a video" in video.json()["detail"]["file"][0]


@pytest.mark.server
@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_is_cut_off_where_it_passes_the_limit(limited_server, signed_in):
    chunk = b"x" * 65536
    headers = {
        "Transfer-Encoding": "chunked",
        "Content-Type": "multipart/form-data; boundary=b",
        **signed_in("/api/v1/videos/"),
    }
    sent = 0
    with _raw_request(limited_server["base"], "/api/v1/videos/", headers) as sock:
        # A body of no stated length, sent until the server answers (at most 20 times the limit).
        while sent < 20 * VIDEO_LIMIT and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        status, _, body = _answer(sock, timeout=5)
    assert status == 413, body
    assert json.loads(body)["error"] == "too_large"
    assert VIDEO_LIMIT < sent < 20 * VIDEO_LIMIT  # counted as it came, and cut off on the way
    assert requests.get(f"{limited_server['base']}/healthz", timeout=10).status_code == 200


@pytest.mark.django_db
def test_a_hotlist_file_over_the_row_cap_is_refused_and_changes_nothing(
    make_user, api_client_for, sign_in_client, settings
):
    settings.HOTLIST_IMPORT_MAX_ROWS = 5
    admin = make_user("administrator")
    hotlist = make_hotlist(admin)
    rows = "".join(f"AB{n:02d}CDE,stolen,stop\n" for n in range(6))
    response = api_client_for(admin).post(
        f"/api/v1/hotlists/{hotlist.pk}/entries/import/", {"file": _csv("vrm,reason,action\n" + rows)}
    )
    assert response.status_code == 400
    problem = "More than 5 entries, the most one import takes (HOTLIST_IMPORT_MAX_ROWS)."
    assert response.json()["detail"]["rows"] == [{"row": "0", "column": "file", "problem": problem}]
    page = sign_in_client(admin).post(
        f"/hotlists/{hotlist.pk}/import/", {"file": _csv("vrm,reason,action\n" + rows), "mode": "merge"}
    )
    assert problem in page.content.decode()
    assert not hotlist.entries.exists()


def test_a_hotlist_file_is_read_as_a_stream_not_whole():
    # 20 MB on disk, as Django keeps a large upload, holding no entry (blank lines): read whole,
    # its bytes and text alone would take 40 MB of the web worker's memory.
    upload = TemporaryUploadedFile("list.csv", "text/csv", 0, None)
    upload.write(b"vrm,reason,action\n")
    for _ in range(20):
        upload.write(b"\n" * 1_000_000)
    upload.size = upload.tell()
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as rejected:
            checked_rows(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert rejected.value.problems == [(0, "file", "The file has a header but no entries.")]
    assert peak < 2_000_000


@pytest.mark.django_db
def test_an_hls_playlist_naming_another_local_file_is_refused_unopened(api_client_for, make_user, tmp_path):
    CameraFactory(code="CAM-HLS")
    segment = tmp_path / "segment.ts"
    # Past Django's in-memory threshold (2.5 MB, in comment lines), an upload is kept in a
    # temporary file named with its extension, which FFmpeg needs to take it for a playlist.
    padding = "# padding\n" * 300_000
    playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n{padding}#EXTINF:10,\n{segment}\n#EXT-X-ENDLIST\n"
    api = api_client_for(make_user("officer"))
    with _watched_file(segment, _footage(tmp_path, "mpegts")) as opened:
        response = _post_video(api, "clip.m3u8", playlist.encode(), "CAM-HLS")
    assert response.status_code == 400, response.json()
    assert "playlists and lists of other files are refused" in response.json()["detail"]["file"][0]
    assert opened == []  # FFmpeg never opened the file the playlist names
    assert not VideoJob.objects.exists()


@pytest.mark.django_db
def test_an_ffconcat_list_naming_another_local_file_is_refused(api_client_for, make_user, tmp_path):
    CameraFactory(code="CAM-CAT")
    (tmp_path / "other.mp4").write_bytes(_footage(tmp_path, "mp4"))
    # The upload is opened from the temporary directory: the list names the file relative to it.
    relative = os.path.relpath(tmp_path / "other.mp4", tempfile.gettempdir())
    assert not relative.startswith("..")
    listing = f"ffconcat version 1.0\nfile '{relative}'\n".encode()
    response = _post_video(api_client_for(make_user("officer")), "clip.mp4", listing, "CAM-CAT")
    assert response.status_code == 400, response.json()  # it was a job with the other file's frames
    assert "playlists and lists of other files are refused" in response.json()["detail"]["file"][0]
    assert not VideoJob.objects.exists()


@contextmanager
def _raw_request(base: str, path: str, headers: dict[str, str]):
    """A socket on which a POST's request line and headers, and nothing else, have been sent."""
    address = urlsplit(base)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    lines = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        yield sock
    finally:
        sock.close()


def _answer(sock: socket.socket, *, timeout: float) -> tuple[int, dict[str, str], str]:
    sock.settimeout(timeout)
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read().decode()
    return response.status, {name.lower(): value for name, value in response.getheaders()}, body


@contextmanager
def _watched_file(path: Path, content: bytes):
    """A named pipe at `path`: each time something opens it to read, that is recorded (the first
    reader is given `content`, later ones an empty file)."""
    os.mkfifo(path)
    opened: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                writer = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # succeeds only while a reader has it
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                time.sleep(0.002)
                continue
            opened.append(time.monotonic())
            if len(opened) == 1:
                os.set_blocking(writer, True)
                with suppress(BrokenPipeError):  # the reader gave up
                    os.write(writer, content)
            os.close(writer)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield opened
    finally:
        done.set()
        watcher.join(timeout=10)


def _footage(directory: Path, container: str) -> bytes:
    """A second of real video (one car) in this container."""
    path, mp4 = directory / f"footage.{container}", directory / "footage.mp4"
    make_video(mp4, [Passage("AB12CDE", 0.0, duration=1.0)], size=(320, 180))
    if container != "mp4":
        with av.open(str(mp4)) as source, av.open(str(path), "w", format=container) as out:
            stream = out.add_stream_from_template(source.streams.video[0])
            for packet in source.demux(source.streams.video[0]):
                if packet.dts is not None:
                    packet.stream = stream
                    out.mux(packet)
    return path.read_bytes()


def _post_video(api, name: str, content: bytes, camera: str):
    upload = SimpleUploadedFile(name, content, content_type="video/mp4")
    recorded_at = (timezone.now() - timedelta(hours=1)).isoformat()
    return api.post("/api/v1/videos/", {"file": upload, "camera": camera, "recorded_at": recorded_at})


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")


def test_a_file_of_nothing_but_bad_rows_is_not_checked_to_the_end():
    from apps.hotlists.imports import MAX_PROBLEMS

    bad = "vrm,reason,action\n" + "AB12CDE,not-a-reason,stop\n" * 100_000
    with pytest.raises(ImportRejected) as rejected:
        checked_rows(SimpleUploadedFile("bad.csv", bad.encode()))
    assert len(rejected.value.problems) == MAX_PROBLEMS + 1
    assert "stopped after" in rejected.value.problems[-1][2]
