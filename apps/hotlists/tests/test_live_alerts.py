"""Live alerts over server-sent events, through the real ASGI server and Redis."""

import http.client
import json
import socket
import threading
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.embedded]


class Stream:
    """An open /alerts/stream/ connection collecting events in the background."""

    def __init__(self, base: str, session: str, last_event_id: str | None = None) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        headers = {"Cookie": f"sessionid={session}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        self.connection.request("GET", "/alerts/stream/", headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.events: list[dict] = []
        self.opened = threading.Event()
        self.closed = threading.Event()  # the server ended the stream
        threading.Thread(target=self._read, daemon=True).start()
        assert self.opened.wait(10), "the stream sent nothing"

    def _read(self) -> None:
        # read1 hands over each chunk as it arrives; line iteration would wait for a full buffer.
        pending = b""
        try:
            while chunk := self.response.read1(65536):
                self.opened.set()
                pending += chunk
                *lines, pending = pending.split(b"\n")
                self.events += [json.loads(line[6:]) for line in lines if line.startswith(b"data: ")]
            self.closed.set()
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            pass  # the test closed the connection

    def wait_for(self, count: int, seconds: float = 10) -> list[dict]:
        import time

        deadline = time.monotonic() + seconds
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.events)

    def close(self) -> None:
        # Shut the socket first: the reader thread is blocked in read1 until data or EOF.
        self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def session_of(user, sign_in_client) -> str:
    return sign_in_client(user, Client()).cookies["sessionid"].value


def post_reads(base, token, *vrms, seen_at=None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    moment = (seen_at or timezone.now()).isoformat()
    body = [{"camera": "CAM-L", "vrm": vrm, "seen_at": moment, "confidence": 0.95} for vrm in vrms]
    connection.request(
        "POST",
        "/api/v1/reads/",
        json.dumps(body),
        {"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    assert response.status == 201, response.read()
    return json.loads(response.read())


@pytest.fixture
def setting(make_user):
    from apps.accounts.tokens import api_token_issue

    CameraFactory(code="CAM-L", area="Live town")
    admin = make_user("administrator")
    handler = make_user("officer", username="handler")
    add_entry(make_hotlist(admin, name="Stolen"), "LV12ALT", admin, markers=["violent"])
    add_entry(make_hotlist(handler, name="Nightjar", covert=True), "CV34ERT", handler, action="observe")
    return {
        "handler": handler,
        "street": make_user("officer", username="street"),
        "token": api_token_issue(user=make_user("camera", cameras=["CAM-L"]), actor=None)[1],
    }


def test_an_open_page_receives_each_alert_it_may_see(asgi_server, setting, sign_in_client):
    street = Stream(asgi_server, session_of(setting["street"], sign_in_client))
    handler = Stream(asgi_server, session_of(setting["handler"], sign_in_client))
    try:
        post_reads(asgi_server, setting["token"], "LV12ALT", "CV34ERT", "NO12HIT")
        [event] = street.wait_for(1)
        assert (event["vrm"], event["hotlist"], event["action"], event["camera"]) == (
            "LV12ALT",
            "Stolen",
            "Stop",
            "CAM-L",
        )
        assert event["markers"] == ["violent"] and "owner_ids" not in event
        assert {e["vrm"] for e in handler.wait_for(2)} == {"LV12ALT", "CV34ERT"}
        assert [e["vrm"] for e in street.wait_for(2, seconds=1)] == ["LV12ALT"]  # never the covert hit
    finally:
        street.close()
        handler.close()


def test_a_reconnecting_page_gets_what_it_missed(asgi_server, setting, sign_in_client):
    post_reads(asgi_server, setting["token"], "LV12ALT", "CV34ERT")
    stream = Stream(asgi_server, session_of(setting["street"], sign_in_client), last_event_id="0")
    try:
        assert [e["vrm"] for e in stream.wait_for(1)] == ["LV12ALT"]
    finally:
        stream.close()


def test_the_stream_is_for_signed_in_officers_only(asgi_server, setting, make_user, sign_in_client):
    parts = urlsplit(asgi_server)
    anonymous = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    anonymous.request("GET", "/alerts/stream/")
    assert anonymous.getresponse().status == 302
    planner = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    planner.request(
        "GET",
        "/alerts/stream/",
        headers={"Cookie": f"sessionid={session_of(make_user('planner'), sign_in_client)}"},
    )
    assert planner.getresponse().status == 403


def test_the_stream_ends_when_the_session_would_have_expired():
    import asyncio
    from datetime import timedelta

    from apps.hotlists.stream import _Check, _events, _subscribed

    async def allowed():
        return None

    async def collect():
        ended = timezone.now() - timedelta(seconds=1)
        client, pubsub = await _subscribed()
        check = _Check(allowed, client, 1, "a-stream")
        return [chunk async for chunk in _events(client, pubsub, 1, [], ended, check)]

    assert asyncio.run(collect()) == ["retry: 2000\n\n"]
