"""Walk every URL pattern and check who gets in: anonymous callers, each role, machine accounts.

ACCESS is the specification: each named URL and the roles allowed to open it. A URL missing
from it fails the walk, so every new page or endpoint must state who may reach it.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.accounts.roles import PORTAL_ROLES

pytestmark = pytest.mark.django_db

STAFF = frozenset(PORTAL_ROLES)
EVERYONE = STAFF | {"camera"}
PUBLIC = "public"
ASSESSMENT_READERS = frozenset({"planner", "supervisor", "auditor"})

# url name -> (kind, roles allowed to GET it). kind: "portal" (session pages), "api" (JSON) or
# "scrape" (polled by a machine with a bearer token: tests/security/test_metrics_access.py).
ACCESS: dict[str, tuple[str, frozenset[str] | str]] = {
    "accounts:login": ("portal", PUBLIC),
    "accounts:logout": ("portal", PUBLIC),
    "accounts:password_reset": ("portal", PUBLIC),
    "accounts:password_reset_sent": ("portal", PUBLIC),
    "accounts:password_reset_link": ("portal", PUBLIC),  # without a good link: "cannot be used"
    "healthz": ("portal", PUBLIC),
    "transparency:report": ("portal", PUBLIC),
    "api:transparency": ("api", PUBLIC),
    "portal:home": ("portal", STAFF),
    "accounts:my_account": ("portal", STAFF),
    "accounts:password_change": ("portal", STAFF),  # and to one who must first choose their own
    "accounts:my_token_issue": ("portal", STAFF),  # POST only: 405 on GET
    "accounts:my_token_revoke": ("portal", STAFF),  # POST only; one's own tokens only
    "accounts:user_token_issue": ("portal", frozenset({"administrator"})),
    "accounts:user_token_revoke": ("portal", frozenset({"administrator"})),
    "cameras:accounts": ("portal", frozenset({"administrator"})),
    "cameras:account": ("portal", frozenset({"administrator"})),
    "api:camera-accounts-list": ("api", frozenset({"administrator"})),
    "api:camera-accounts-detail": ("api", frozenset({"administrator"})),
    "accounts:user_list": ("portal", frozenset({"administrator"})),
    "accounts:user_create": ("portal", frozenset({"administrator"})),
    "accounts:user_detail": ("portal", frozenset({"administrator"})),
    "accounts:user_action": ("portal", frozenset({"administrator"})),
    "audit:security_events": ("portal", frozenset({"auditor"})),
    "audit:searches": ("portal", frozenset({"auditor"})),
    "audit:change_log": ("portal", frozenset({"auditor"})),
    "audit:jobs": ("portal", frozenset({"auditor", "administrator"})),
    "misuse:flags": ("portal", frozenset({"auditor"})),
    "misuse:detail": ("portal", frozenset({"auditor"})),
    "cameras:list": ("portal", frozenset({"officer", "supervisor", "planner", "auditor", "administrator"})),
    "cameras:detail": ("portal", frozenset({"officer", "supervisor", "planner", "auditor", "administrator"})),
    "cameras:map": ("portal", frozenset({"planner", "administrator"})),
    "cameras:create": ("portal", frozenset({"administrator"})),
    "cameras:edit": ("portal", frozenset({"administrator"})),
    "reads:search": ("portal", frozenset({"officer", "supervisor"})),
    "reads:history": ("portal", frozenset({"officer", "supervisor"})),
    "reads:convoy": ("portal", frozenset({"officer", "supervisor"})),
    "reads:scenes": ("portal", frozenset({"officer", "supervisor"})),
    "reads:export": ("portal", frozenset({"officer", "supervisor"})),
    "reads:detail": ("portal", frozenset({"officer", "supervisor"})),
    "reads:image": ("portal", frozenset({"officer", "supervisor"})),
    "reads:back_load": ("portal", frozenset({"administrator"})),
    # GET with a token (officers, supervisors: apps/reads/tests); a browser session is refused a
    # search in an address (tests/security/test_search_privacy.py), as is every other role.
    "api:reads": ("api", frozenset()),
    "api:reads-search": ("api", frozenset()),  # POST only (officers, supervisors): tests/security
    # As api:reads: GET with a token or POST (officers, supervisors: apps/reads/tests/test_convoy.py)
    "api:reads-convoy": ("api", frozenset()),
    "api:reads-scenes": ("api", frozenset()),  # POST only (officers, supervisors): apps/reads/tests
    # As api:reads-convoy (apps/reads/tests/test_vehicle_journey.py)
    "api:reads-journey": ("api", frozenset()),
    "api:search-purposes": ("api", STAFF),
    "api:cameras-list": ("api", frozenset({"officer", "supervisor", "planner", "auditor", "administrator"})),
    "api:cameras-detail": (
        "api",
        frozenset({"officer", "supervisor", "planner", "auditor", "administrator"}),
    ),
    "hotlists:list": ("portal", frozenset({"officer", "supervisor", "administrator"})),
    "hotlists:detail": ("portal", frozenset({"officer", "supervisor", "administrator"})),
    "hotlists:import": (
        "portal",
        frozenset({"officer", "supervisor", "administrator"}),
    ),  # owners only, in-view
    "hotlists:entry_edit": ("portal", frozenset({"officer", "supervisor", "administrator"})),  # likewise
    "hotlists:create": ("portal", frozenset({"administrator"})),
    "hotlists:edit": ("portal", frozenset({"administrator"})),
    "hotlists:alerts": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:alert_detail": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:alert_plate": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:alert_overview": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:alert_read": ("portal", frozenset({"officer", "supervisor"})),  # POST only: 405 on GET
    "hotlists:alert_stream": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:historic_alerts": ("portal", frozenset({"officer", "supervisor"})),  # own lists' hits only
    "hotlists:cloned_plates": ("portal", frozenset({"officer", "supervisor"})),
    "hotlists:cloned_plate_review": ("portal", frozenset({"officer", "supervisor"})),  # POST only; owners
    "api:hotlists-list": ("api", frozenset({"officer", "supervisor", "administrator"})),
    "api:hotlists-detail": ("api", frozenset({"officer", "supervisor", "administrator"})),
    "api:hotlist-entries-list": ("api", frozenset({"officer", "supervisor", "administrator"})),
    "api:hotlist-entries-detail": ("api", frozenset({"officer", "supervisor", "administrator"})),
    "api:hotlist-entries-import-csv": ("api", frozenset({"officer", "supervisor", "administrator"})),
    "api:alerts-list": ("api", frozenset({"officer", "supervisor"})),
    "api:alerts-historic": ("api", frozenset({"officer", "supervisor"})),  # own lists' hits only
    "api:alerts-detail": ("api", frozenset({"officer", "supervisor"})),
    "api:alerts-acknowledge": ("api", frozenset({"officer", "supervisor"})),
    "api:alerts-outcome": ("api", frozenset({"officer", "supervisor"})),
    "access_requests:mine": ("portal", frozenset({"officer", "supervisor"})),
    "access_requests:file": ("portal", frozenset({"officer", "supervisor"})),
    "access_requests:detail": ("portal", frozenset({"officer", "supervisor", "auditor"})),
    "access_requests:queue": ("portal", frozenset({"supervisor"})),
    "access_requests:granted": ("portal", frozenset({"supervisor"})),  # the approvals they granted only
    "access_requests:revoke_granted": ("portal", frozenset({"supervisor"})),  # POST only: 405 on GET
    "access_requests:report": ("portal", frozenset({"auditor"})),
    "api:access-requests-list": ("api", frozenset({"officer", "supervisor", "auditor"})),
    "api:access-requests-detail": ("api", frozenset({"officer", "supervisor", "auditor"})),
    "api:access-requests-approve": (
        "api",
        frozenset({"officer", "supervisor", "auditor"}),
    ),  # POST: supervisors
    "api:access-requests-refuse": ("api", frozenset({"officer", "supervisor", "auditor"})),
    "api:access-requests-revoke": ("api", frozenset({"officer", "supervisor", "auditor"})),
    # Case folders: those who may search reads; each folder only to its owner and those named.
    "cases:list": ("portal", frozenset({"officer", "supervisor"})),
    "cases:create": ("portal", frozenset({"officer", "supervisor"})),
    "cases:file_read": ("portal", frozenset({"officer", "supervisor"})),  # POST only: 405 on GET
    "cases:file_search": ("portal", frozenset({"officer", "supervisor"})),  # POST only: 405 on GET
    "cases:detail": ("portal", frozenset({"officer", "supervisor"})),
    "cases:share": ("portal", frozenset({"officer", "supervisor"})),  # POST only; the owner only
    "cases:export": ("portal", frozenset({"officer", "supervisor"})),  # POST only: 405 on GET
    "cases:image": ("portal", frozenset({"officer", "supervisor"})),
    "api:cases-list": ("api", frozenset({"officer", "supervisor"})),
    "api:cases-detail": ("api", frozenset({"officer", "supervisor"})),
    "api:cases-items": ("api", frozenset({"officer", "supervisor"})),  # POST only
    "api:cases-searches": ("api", frozenset({"officer", "supervisor"})),  # POST only
    "api:cases-share": ("api", frozenset({"officer", "supervisor"})),  # POST only; the owner only
    "api:cases-unshare": ("api", frozenset({"officer", "supervisor"})),  # POST only; the owner only
    "api:cases-export": ("api", frozenset({"officer", "supervisor"})),  # POST only
    "assessments:list": ("portal", ASSESSMENT_READERS),
    "assessments:create": ("portal", frozenset({"planner"})),
    "assessments:detail": ("portal", ASSESSMENT_READERS),
    "assessments:edit": ("portal", frozenset({"planner"})),
    "assessments:print": ("portal", ASSESSMENT_READERS),
    "assessments:reviews": ("portal", frozenset({"planner"})),
    "assessments:review_create": ("portal", frozenset({"planner"})),
    "api:assessments-list": ("api", ASSESSMENT_READERS),
    "api:assessments-detail": ("api", ASSESSMENT_READERS),
    "api:assessments-submit": ("api", ASSESSMENT_READERS),  # POST only; the service checks the author
    "api:assessments-approve": ("api", ASSESSMENT_READERS),  # POST only; the service checks the approver
    "api:assessments-reject": ("api", ASSESSMENT_READERS),
    "recognition:list": ("portal", frozenset({"officer", "supervisor"})),
    "recognition:detail": ("portal", frozenset({"officer", "supervisor"})),
    "recognition:retry": ("portal", frozenset({"officer", "supervisor"})),  # POST only: 405 on GET
    "api:videos-list": ("api", frozenset({"officer", "supervisor"})),
    "api:videos-detail": ("api", frozenset({"officer", "supervisor"})),
    "api:videos-retry": ("api", frozenset({"officer", "supervisor"})),
    "api:me": ("api", EVERYONE),
    "api-schema": ("api", EVERYONE),
    "api-docs": ("portal", STAFF),
    "metrics": ("scrape", frozenset({"administrator"})),
}


def all_patterns():
    """(url, name) for every pattern, with sample values in place of path parameters."""
    for route, name in all_routes():
        yield concrete(route), name


def all_routes(resolvers=None, prefix="", namespace=""):
    """(route, name) for every pattern, its path parameters as written."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry.url_patterns, prefix + route, ns)
        elif isinstance(entry, URLPattern):
            yield prefix + route, f"{namespace}{entry.name}" if entry.name else None


def concrete(route: str) -> str:
    route = route.replace("(?P<url>.*)", "sample")  # the admin's catch-all
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<day:\w+>", "2026-01-01", route)
    route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
    route = re.sub(r"\(\?P<\w+>\\d\+\)", "1", route)  # regex patterns (the API router's)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "SAMPLE", route)  # regex patterns (the API router's)
    route = re.sub(r"<(?:\w+:)?\w+>", "SAMPLE", route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def app_patterns():
    return [(url, name) for url, name in all_patterns() if not url.startswith("/admin/")]


def test_every_url_states_who_may_reach_it():
    undeclared = sorted({name or url for url, name in app_patterns() if name not in ACCESS})
    assert not undeclared, f"Add these to ACCESS: {undeclared}"


@pytest.mark.parametrize(("url", "name"), app_patterns())
def test_anonymous_callers_are_refused(client, url, name):
    kind, allowed = ACCESS[name]
    response = client.get(url)
    if allowed == PUBLIC:
        assert response.status_code in {200, 405}
    elif kind == "scrape":  # told to send its token, not sent to a sign-in page
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    elif kind == "api":
        assert response.status_code == 401
        assert response.json()["error"] == "not_authenticated"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("role", sorted(STAFF))
@pytest.mark.parametrize(("url", "name"), app_patterns())
def test_each_role_reaches_exactly_what_it_is_allowed(make_user, sign_in_client, role, url, name):
    kind, allowed = ACCESS[name]
    client = sign_in_client(make_user(role), Client())
    response = client.get(url)
    if allowed == PUBLIC or role in allowed:
        # 400 or a redirect elsewhere than sign-in: let in, but the sample request lacks what the
        # page needs (a search's purpose); 404: let in, but the sample object does not exist.
        assert response.status_code in {200, 302, 400, 404, 405}, response.status_code
        assert "/accounts/sign-in/" not in response.get("Location", "")
    else:
        assert response.status_code == 403
    if kind == "portal" and response.status_code in {403, 404}:  # the portal's own page, with its menu
        page = response.content.decode()
        assert 'id="error-heading"' in page and 'class="topbar"' in page and 'data-testid="ways-back"' in page


@pytest.mark.parametrize(("url", "name"), app_patterns())
def test_machine_accounts_reach_only_the_api_they_are_allowed(make_user, api_client_for, url, name):
    kind, allowed = ACCESS[name]
    camera = make_user("camera")
    api = api_client_for(camera)
    response = api.get(url)
    if allowed == PUBLIC:
        return
    if kind == "api" and "camera" in allowed:
        assert response.status_code == 200
    elif kind == "api":
        assert response.status_code == 403
    elif kind == "scrape":  # an API token is not the metrics token
        assert response.status_code == 401
    else:  # a token is no portal session
        assert response.status_code == 302
    browser = Client()
    browser.force_login(camera)  # even with a password session, no portal page opens
    assert browser.get(url).status_code in ({200, 405} if allowed == PUBLIC else {302, 401, 403})


@pytest.mark.parametrize(("url", "name"), app_patterns())
def test_one_who_must_choose_a_password_reaches_only_that_page_and_the_public_ones(
    make_user, sign_in_client, url, name
):
    kind, allowed = ACCESS[name]
    client = sign_in_client(make_user("administrator", password_change_required=True), Client())
    response = client.get(url)
    if allowed == PUBLIC or name == "accounts:password_change":
        assert response.status_code in {200, 405}
    elif kind == "api":  # the browser's session opens no API until then
        assert response.status_code in {401, 403}
    elif kind == "scrape":
        assert response.status_code == 302
    else:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/me/password/"


def test_the_admin_site_waits_for_the_password_too(make_user, sign_in_client):
    chief = make_user("administrator", is_superuser=True, is_staff=True, password_change_required=True)
    client = sign_in_client(chief, Client())
    assert client.get("/admin/")["Location"] == "/accounts/me/password/"


def test_writes_are_refused_to_the_wrong_role_too(make_user, sign_in_client):
    target = make_user("officer")
    client = sign_in_client(make_user("officer"), Client(enforce_csrf_checks=False))
    assert client.post(f"/accounts/users/{target.pk}/disable/").status_code == 403


@pytest.mark.parametrize("role", sorted(STAFF))
def test_the_admin_site_is_for_superusers_only(make_user, sign_in_client, role):
    client = sign_in_client(make_user(role), Client())
    for url, name in all_patterns():
        if url.startswith("/admin/") and name not in {"admin:login", "admin:logout"}:
            response = client.get(url)
            assert response.status_code in {302, 404}, (url, response.status_code)
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"]


def test_the_admin_site_neither_makes_accounts_nor_sets_passwords(make_user, sign_in_client):
    # The portal does both: a new holder chooses their own password, a change ends their tokens.
    chief = make_user("administrator", is_superuser=True, is_staff=True)
    holder = make_user("officer")
    client = sign_in_client(chief, Client())
    assert client.get(f"/admin/accounts/user/{holder.pk}/change/").status_code == 200  # still viewable
    assert client.get("/admin/accounts/user/add/").status_code == 403
    assert client.get(f"/admin/accounts/user/{holder.pk}/password/").status_code == 403
    refused = client.post(
        f"/admin/accounts/user/{holder.pk}/password/",
        {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"},
    )
    assert refused.status_code == 403
    holder.refresh_from_db()
    assert holder.check_password("a long new passphrase 42") is False
