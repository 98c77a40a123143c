"""Finding 10: an open alert stream ignored sign-out, deactivation and role changes, and nothing
capped how many streams one person held open."""

import http.client
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from apps.hotlists.tests.test_live_alerts import Stream, session_of
from conftest import start_asgi_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.embedded]


@pytest.fixture(scope="module")
def quick_server(django_db_setup, django_db_blocker):
    """A server whose streams check every second and allow two per person."""
    server, base = start_asgi_server(ALERT_STREAM_CHECK_SECONDS="1", ALERT_STREAMS_PER_USER="2")
    yield base
    server.terminate()
    server.wait(timeout=30)


def ends_within(stream: Stream, seconds: float = 8) -> dict:
    assert stream.closed.wait(seconds), "the stream stayed open"
    return stream.events[-1]


def test_signing_out_ends_the_open_stream(quick_server, make_user, sign_in_client):
    browser = sign_in_client(make_user("officer"), Client())
    stream = Stream(quick_server, browser.cookies["sessionid"].value)
    browser.post("/accounts/sign-out/")
    assert ends_within(stream) == {"reason": "signed out"}


def test_disabling_the_account_or_taking_its_role_ends_the_stream(quick_server, make_user, sign_in_client):
    from apps.accounts import services

    admin = make_user("administrator")
    disabled = make_user("officer")
    stream = Stream(quick_server, session_of(disabled, sign_in_client))
    services.user_set_active(user=disabled, active=False, actor=admin)
    assert ends_within(stream)["reason"] in {"signed out", "account disabled"}

    moved = make_user("officer")
    stream = Stream(quick_server, session_of(moved, sign_in_client))
    moved.groups.clear()  # even a change that leaves the session alone
    assert ends_within(stream) == {"reason": "no longer allowed to see alerts"}


def test_a_person_holds_only_so_many_streams(quick_server, make_user, sign_in_client):
    officer = make_user("officer")
    session = session_of(officer, sign_in_client)
    first, second = Stream(quick_server, session), Stream(quick_server, session)
    try:
        parts = urlsplit(quick_server)
        third = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        third.request("GET", "/alerts/stream/", headers={"Cookie": f"sessionid={session}"})
        assert third.getresponse().status == 429
        first.close()
        deadline = time.monotonic() + 10
        while True:  # the server notices the closed page at its next beat, and frees its place
            try:
                Stream(quick_server, session).close()
                break
            except AssertionError:
                assert time.monotonic() < deadline, "the closed stream's place was never freed"
                time.sleep(0.5)
    finally:
        second.close()


def test_streams_opened_at_the_same_moment_still_keep_to_the_limit(quick_server, make_user, sign_in_client):
    import threading

    session = session_of(make_user("officer"), sign_in_client)
    parts = urlsplit(quick_server)
    statuses, connections = [], []

    def open_one():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", "/alerts/stream/", headers={"Cookie": f"sessionid={session}"})
        statuses.append(connection.getresponse().status)
        connections.append(connection)

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    try:
        assert statuses.count(200) <= 2 and len(statuses) == 8
    finally:
        for connection in connections:
            connection.close()
