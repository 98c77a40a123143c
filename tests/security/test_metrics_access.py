"""GET /metrics is never public: a monitoring server's bearer token or a signed-in administrator.

Deny by default: with METRICS_TOKEN unset, or shorter than 32 characters, no token opens it; a
wrong token, another scheme, an API token or the token in the address is refused like no token at
all; staff other than
administrators are refused. What it answers holds counts and latencies, never read data.
"""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts import access
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.observability.checks import metrics_token_is_long_enough
from apps.reads.partitions import forget_known_partitions

pytestmark = pytest.mark.django_db
URL = "/metrics"
TOKEN = "f3a9c1d27e5b48a6b0c4d8e2f1a7b3c5d9e0f4a8b2c6d1e5"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(authorization: str | None = None, **extra):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return Client().get(URL, **headers, **extra)


def test_the_configured_token_opens_it(token):
    response = scrape(f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"anpr_reads_ingested_total" in response.content


def test_prometheus_asking_for_openmetrics_gets_it(token):
    accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
    response = scrape(f"Bearer {token}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/openmetrics-text")
    assert response.content.endswith(b"# EOF\n")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Bearer {TOKEN[:-1]}",  # all but the last character
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN.upper()}",
        f"Basic {TOKEN}",
        f"Token {TOKEN}",
        TOKEN,
    ],
)
def test_anything_but_the_token_is_refused(token, authorization):
    response = scrape(authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="anpr"'
    assert b"anpr_" not in response.content


def test_the_token_in_the_address_is_refused(token):
    # Addresses end up in logs and proxies' histories; the token travels only in the header.
    assert Client().get(URL, {"token": token}).status_code == 401
    assert Client().get(URL, {"access_token": token}).status_code == 401


def test_with_no_token_configured_no_token_opens_it(settings):
    settings.METRICS_TOKEN = ""
    for authorization in ("Bearer ", "Bearer", f"Bearer {TOKEN}"):
        assert scrape(authorization).status_code == 401


def test_a_token_too_short_to_be_safe_opens_nothing_and_is_logged_once(settings, caplog, monkeypatch):
    monkeypatch.setattr(access, "_short_tokens_reported", set())  # as a freshly started process
    settings.METRICS_TOKEN = TOKEN[:31]
    with caplog.at_level(logging.ERROR, logger="apps.accounts.access"):
        for _ in range(2):
            assert scrape(f"Bearer {TOKEN[:31]}").status_code == 401
    assert [record.getMessage()[:44] for record in caplog.records] == [
        "METRICS_TOKEN is shorter than 32 characters,"
    ]
    settings.METRICS_TOKEN = TOKEN[:32]
    assert scrape(f"Bearer {TOKEN[:32]}").status_code == 200


def test_check_deploy_fails_on_a_token_too_short_to_be_safe(settings):
    settings.METRICS_TOKEN = TOKEN[:31]
    assert [(error.id, error.is_serious()) for error in metrics_token_is_long_enough(None)] == [
        ("observability.E001", True)
    ]
    settings.METRICS_TOKEN = TOKEN[:32]
    assert metrics_token_is_long_enough(None) == []
    settings.METRICS_TOKEN = ""
    assert metrics_token_is_long_enough(None) == []


def test_an_api_token_is_not_the_metrics_token(token, make_user, api_client_for):
    for role in ("administrator", "camera"):
        assert api_client_for(make_user(role)).get(URL).status_code == 401


def test_a_signed_in_administrator_may_read_them_and_no_one_else(token, make_user, sign_in_client):
    assert sign_in_client(make_user("administrator"), Client()).get(URL).status_code == 200
    for role in ("officer", "supervisor", "planner", "auditor"):
        assert sign_in_client(make_user(role), Client()).get(URL).status_code == 403
    # A password alone (second factor not verified) is not enough, and gets no sign-in redirect.
    unverified = Client()
    unverified.force_login(make_user("administrator"))
    assert unverified.get(URL).status_code == 401


def test_only_get_is_answered(token):
    assert Client().post(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 405


def test_no_read_data_is_in_the_metrics(token, make_user, api_client_for, django_capture_on_commit_callbacks):
    admin = make_user("administrator", username="admin-of-lists")
    camera = CameraFactory(code="CAM-COVERT-7", area="Northside")
    hotlist = make_hotlist(admin, name="Operation Nightjar", covert=True)
    add_entry(hotlist, "NJ12RTX", admin)
    gateway = api_client_for(make_user("camera", username="gateway-covert", cameras=[camera]))
    seen = (timezone.now() - timedelta(seconds=5)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        posted = gateway.post(
            "/api/v1/reads/",
            [{"camera": camera.code, "vrm": "NJ12RTX", "seen_at": seen, "confidence": 0.9}],
            format="json",
        )
    assert posted.status_code == 201
    body = scrape(f"Bearer {token}").content.decode()
    assert 'anpr_alerts_raised_total{kind="live"}' in body
    for secret in ("NJ12RTX", "CAM-COVERT-7", "Northside", "Nightjar", "admin-of-lists", "gateway-covert"):
        assert secret not in body
    forget_known_partitions()  # commit callbacks ran; the test's rollback takes the partition away
