"""Error pages: what a stale or refused link, a broken request, a refused form and a server error
show, with DEBUG off as in production and `make run`: the portal's own page, in its layout, with
a sentence and a way back; never Django's debug page, a stack trace or the URL map."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from anpr_site import urls as site_urls
from apps.accounts.access import signed_in
from apps.hotlists.tests.factories import make_hotlist
from dev.launcher import allowed_hosts

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
# What Django's debug pages carry, and a trace would.
DEBUG_MARKS = ("URLconf", "Traceback", "technical_500", "Django tried these URL patterns", "DEBUG = True")


@signed_in
def explode(request):
    raise RuntimeError("the secret internals of a failure")


# The site's URLs and handlers, plus a page that fails, for the 500 tests.
urlpatterns = [path("test-explode/", explode), path("api/v1/test-explode/", explode), *site_urls.urlpatterns]
handler400, handler403 = site_urls.handler400, site_urls.handler403
handler404, handler500 = site_urls.handler404, site_urls.handler500


def broken_context(request):
    """A context processor that fails, as the navigation does when the database has gone."""
    raise RuntimeError("the navigation cannot be drawn")


@pytest.fixture
def officer(make_user, sign_in_client):
    return sign_in_client(make_user("officer", username="pc-errors"), Client(raise_request_exception=False))


def assert_portal_page(response, status: int, heading: str, *, chrome: bool = True) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'<h1 id="error-heading">{heading}</h1>' in page
    assert 'data-testid="ways-back"' in page
    assert ('class="topbar"' in page) is chrome  # the portal's header and menu, for staff signed in
    assert '<link rel="stylesheet" href="/static/css/portal.css">' in page
    assert not any(mark in page for mark in DEBUG_MARKS), page
    return page


def test_a_read_opened_without_its_search_is_not_found_with_a_way_back_to_search(officer):
    page = assert_portal_page(officer.get("/reads/2026-01-02/12345/"), 404, "Not found")
    assert "No such read in your searches." in page
    assert '<a class="button button-primary" href="/reads/">Back to Search reads</a>' in page
    assert '<a class="button" href="/">Home</a>' in page
    assert re.search(
        r'<script src="/static/js/portal.js" nonce="[^"]+"></script>', page
    )  # the menu's script runs


def test_another_users_covert_list_is_not_found(officer, make_user):
    covert = make_hotlist(make_user("officer", username="handler"), name="Nightjar", covert=True)
    page = assert_portal_page(officer.get(f"/hotlists/{covert.pk}/"), 404, "Not found")
    assert "Nightjar" not in page and "matches the given query" not in page
    assert ">Back to Hotlists</a>" in page


def test_the_audit_pages_refuse_an_officer_in_the_portal_layout(officer):
    page = assert_portal_page(officer.get("/audit/searches/"), 403, "Not allowed")
    assert "Your roles do not allow this page." in page and "ask an administrator" in page
    assert ">Back to" not in page  # no part of the portal the officer may open holds it
    assert '<a class="button button-primary" href="/">Home</a>' in page


def test_an_address_that_does_not_exist_is_not_found_without_the_url_map(officer):
    page = assert_portal_page(officer.get("/audit/"), 404, "Not found")
    assert "Resolver404" not in page and "audit_urls" not in page


def test_someone_not_signed_in_sees_the_bare_page_with_sign_in(client):
    page = assert_portal_page(client.get("/no-such-page/"), 404, "Not found", chrome=False)
    assert '<a class="button button-primary" href="/accounts/sign-in/">Sign in</a>' in page


def test_a_request_for_a_host_not_served_is_a_bad_request_page(client, settings):
    settings.ALLOWED_HOSTS = ["anpr.example"]
    page = assert_portal_page(
        client.get("/", HTTP_HOST="elsewhere.example"), 400, "Request not understood", chrome=False
    )
    assert "elsewhere.example" not in page


def test_a_form_without_its_csrf_token_is_refused_in_words(make_user, sign_in_client):
    officer = sign_in_client(make_user("officer"), Client(enforce_csrf_checks=True))
    page = assert_portal_page(officer.post("/reads/", {"vrm": "AB12CDE"}), 403, "Form not accepted")
    assert "reload the page and send it again" in page
    assert "CSRF" not in page


def test_a_server_error_is_the_portal_page_without_the_failure(officer, settings):
    settings.ROOT_URLCONF = __name__
    page = assert_portal_page(officer.get("/test-explode/"), 500, "Something went wrong")
    assert "secret internals" not in page and "RuntimeError" not in page


def test_a_server_error_is_still_a_page_when_the_portal_context_fails(officer, settings):
    settings.ROOT_URLCONF = __name__
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{__name__}.broken_context"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    page = assert_portal_page(officer.get("/test-explode/"), 500, "Something went wrong", chrome=False)
    assert '<a class="button button-primary" href="/">Home</a>' in page
    assert "navigation cannot be drawn" not in page


def test_the_api_answers_its_own_json_for_the_same_errors(officer, settings):
    settings.ROOT_URLCONF = __name__
    missing = officer.get("/api/v1/no-such-thing/")
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": "not_found", "detail": "No such address in the API."},
    )
    failed = officer.get("/api/v1/test-explode/")
    assert failed.status_code == 500 and failed.json()["error"] == "server_error"
    assert "secret internals" not in failed.content.decode()


def local_settings(code: str, **env: str) -> str:
    """Run `code` under the settings `make run` uses (anpr_site.settings.local), DEBUG unset
    unless given, and return what it prints."""
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"} | env
    environment |= {"DJANGO_SETTINGS_MODULE": "anpr_site.settings.local"}
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_run_has_debug_off_unless_asked_for():
    assert local_settings("print(settings.DEBUG)") == "False"
    assert local_settings("print(settings.DEBUG)", DEBUG="1") == "True"


def test_make_run_serves_static_files_and_its_error_pages_with_debug_off():
    answers = local_settings(
        "from django.test import Client; c = Client(SERVER_NAME='127.0.0.1'); "
        "print(c.get('/static/css/portal.css').status_code, c.get('/static/js/portal.js').status_code); "
        "missing = c.get('/no-such-page/'); page = missing.content.decode(); "
        "print(missing.status_code, 'error-heading' in page, 'URLconf' in page)"
    )
    assert answers.splitlines() == ["200 200", "404 True False"]


def test_the_launcher_lets_the_portal_answer_on_the_address_it_listens_on():
    assert allowed_hosts("127.0.0.1", None) == "localhost,127.0.0.1,[::1]"
    assert allowed_hosts("192.0.2.7", None) == "localhost,127.0.0.1,[::1],192.0.2.7"
    assert allowed_hosts("2001:db8::7", None) == "localhost,127.0.0.1,[::1],[2001:db8::7]"
    assert allowed_hosts("0.0.0.0", None) == "localhost,127.0.0.1,[::1]"  # noqa: S104
    assert allowed_hosts("192.0.2.7", "anpr.example") == "anpr.example"
