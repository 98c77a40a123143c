"""Finding 15: searches were GET requests, so purpose, reference and plates landed in access logs
and browser history; exports could be started cross-site under SameSite=Lax; pages with reads
lacked Cache-Control: no-store."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
# A convoy's period, for requests that must run no search at all.
PERIOD = {"seen_after": "2026-01-01T00:00:00Z", "seen_before": "2026-03-01T00:00:00Z"}


@pytest.fixture
def read():
    CameraFactory(code="CAM-Q")
    [stored] = [
        reads_ingest(
            items=[ReadInput(camera="CAM-Q", vrm="PR12VCY", seen_at=timezone.now(), confidence=0.9)],
            source="upload",
        )
    ]
    return stored


def test_the_portal_posts_its_searches_and_a_search_in_the_address_runs_nothing(
    make_user, sign_in_client, read
):
    browser = sign_in_client(make_user("officer"), Client())
    form = browser.get("/reads/").content.decode()
    assert 'method="post" action="/reads/"' in form
    browser.get("/reads/", {"vrm": "PR12VCY", **PURPOSE})
    browser.get("/reads/history/", {"vrm": "PR12VCY", **PURPOSE})
    browser.get("/reads/convoy/", {"vrm": "PR12VCY", **PURPOSE, **PERIOD})
    browser.get("/api/v1/reads/convoy/", {"vrm": "PR12VCY", **PURPOSE, **PERIOD})  # 403: token clients only
    browser.get("/reads/scenes/", {**PURPOSE, "scene1-area": "North"})
    assert not SearchAudit.objects.exists()
    assert "PR12VCY" in browser.post("/reads/", {"vrm": "PR12VCY", **PURPOSE}).content.decode()


def test_exports_need_a_post_from_the_portal_itself(make_user, sign_in_client, read):
    officer = make_user("officer")
    sign_in_client(officer, Client()).post("/reads/", {"vrm": "PR12VCY", **PURPOSE})
    search = SearchAudit.objects.get()
    cross_site = sign_in_client(officer, Client(enforce_csrf_checks=True))
    assert cross_site.get("/reads/export.csv", {"search": search.pk}).status_code == 405
    assert cross_site.post("/reads/export.csv", {"search": search.pk}).status_code == 403  # no CSRF token
    assert not SearchAudit.objects.filter(kind="export").exists()


def test_nothing_with_reads_in_it_is_cached(make_user, sign_in_client, api_client_for, read):
    now = timezone.now()
    period = {"seen_after": (now - timedelta(days=1)).isoformat(), "seen_before": now.isoformat()}
    hour = {
        "camera": "CAM-Q",
        "seen_after": (now - timedelta(hours=1)).isoformat(),
        "seen_before": now.isoformat(),
    }
    officer = make_user("officer")
    browser = sign_in_client(officer, Client())
    answers = [browser.post("/reads/", {"vrm": "PR12VCY", **PURPOSE})]
    search = SearchAudit.objects.get(kind="search")
    answers += [
        browser.post("/reads/export.csv", {"search": search.pk}),
        browser.post("/reads/history/", {"vrm": "PR12VCY", **PURPOSE}),
        browser.get("/alerts/"),
        api_client_for(officer).get("/api/v1/reads/", {"vrm": "PR12VCY", **PURPOSE}),
        api_client_for(officer).post("/api/v1/reads/search/", {"vrm": "PR12VCY", **PURPOSE}, format="json"),
        browser.post("/reads/convoy/", {"vrm": "PR12VCY", **PURPOSE, **period}),
        api_client_for(officer).get("/api/v1/reads/convoy/", {"vrm": "PR12VCY", **PURPOSE, **period}),
        api_client_for(officer).post(
            "/api/v1/reads/scenes/", {"scenes": [hour, hour], **PURPOSE}, format="json"
        ),
        browser.post(
            "/reads/scenes/", {**PURPOSE, **{f"scene{n}-{k}": v for n in (1, 2) for k, v in hour.items()}}
        ),
    ]
    assert [answer.status_code for answer in answers] == [200] * 10
    assert {answer["Cache-Control"] for answer in answers} == {"no-store"}


def test_the_api_takes_criteria_in_a_body_and_pages_with_cursors(make_user, api_client_for):
    CameraFactory(code="CAM-B")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera="CAM-B", vrm="BO12DYS", seen_at=now - timezone.timedelta(minutes=n), confidence=0.9
            )
            for n in range(3)
        ],
        source="upload",
    )
    api = api_client_for(make_user("officer"))
    first = api.post(
        "/api/v1/reads/search/", {"vrm": "bo12 dys", "page_size": 2, **PURPOSE}, format="json"
    ).json()
    assert len(first["results"]) == 2 and "?" not in first["next"] and first["previous"] is None
    mixed = api.post(
        "/api/v1/reads/search/", {"vrm": "BO12DYS", "cursor": first["next"], **PURPOSE}, format="json"
    )
    assert mixed.status_code == 400 and "cursor" in mixed.json()["detail"]  # a cursor pages a search
    second = api.post(
        "/api/v1/reads/search/", {"search": first["search"], "cursor": first["next"]}, format="json"
    )
    assert len(second.json()["results"]) == 1
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second.json()["results"]})
    assert api.post("/api/v1/reads/search/", ["not", "an", "object"], format="json").status_code == 400


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_the_servers_access_log_records_no_query_string(make_user, api_client_for, tmp_path):
    from apps.accounts.tokens import api_token_issue
    from conftest import start_asgi_server

    token = api_token_issue(user=make_user("officer"), actor=None)[1]
    log = tmp_path / "server.log"
    with log.open("w") as stream:
        server, base = start_asgi_server(log_to=stream)
        try:
            import http.client
            from urllib.parse import urlencode, urlsplit

            address = urlsplit(base)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            query = urlencode({"vrm": "SE12CRT", "purpose": "intelligence", "reference": "OP-HUSH"})
            connection.request("GET", f"/api/v1/reads/?{query}", headers={"Authorization": f"Token {token}"})
            assert connection.getresponse().status == 200
            deadline = time.monotonic() + 10
            while "/api/v1/reads/" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    assert '"GET /api/v1/reads/ HTTP/1.1" 200' in text
    assert "SE12CRT" not in text and "OP-HUSH" not in text and "Secret" not in text


def test_a_browser_session_cannot_search_by_address(make_user, sign_in_client, read):
    """Another site could send a signed-in browser to GET /api/v1/reads/?... (SameSite=Lax lets the
    cookie go on a top-level navigation): the search would run, audited in the officer's name."""
    browser = sign_in_client(make_user("officer"), Client())
    response = browser.get("/api/v1/reads/", {"vrm": "PR12VCY", **PURPOSE})
    assert response.status_code == 403 and "post the search" in response.json()["detail"]
    assert not SearchAudit.objects.exists()
