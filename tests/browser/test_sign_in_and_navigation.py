"""Each role signs in with its password and TOTP code and sees only its own navigation."""

import pytest

from tests.browser.conftest import at_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINE = ["My account", "API documentation"]
ON_PATROL = [
    "Home",
    "Alerts",
    "Search reads",
    "Vehicle history",
    "Convoy",
    "At the scenes",
    "Case folders",
    "Video recognition",
    "Access requests",
]
NAVIGATION = {
    "officer": [*ON_PATROL, "Hotlists", "Cameras", *MINE],
    "supervisor": [*ON_PATROL, "Requests to decide", "Hotlists", "Cameras", "Assessments", *MINE],
    "planner": ["Home", "Cameras", "Assessments", "Camera reviews", "Camera map", *MINE],
    "auditor": [
        "Home",
        "Cameras",
        "Assessments",
        "Retention and jobs",
        "Search audit",
        "Change log",
        "Misuse flags",
        "Extended access report",
        "Sign-in audit",
        *MINE,
    ],
    "administrator": [
        "Home",
        "Hotlists",
        "Cameras",
        "Camera map",
        "Back-load reads",
        "Retention and jobs",
        "Users and roles",
        "Camera accounts",
        *MINE,
    ],
}


@pytest.mark.parametrize("role", NAVIGATION)
def test_each_role_sees_only_its_navigation(make_user, sign_in_page, role):
    user = make_user(role)
    page = sign_in_page(user)
    links = page.get_by_test_id("navigation").get_by_role("link").all_inner_texts()
    assert links == NAVIGATION[role]
    assert page.get_by_test_id("current-user").is_visible()
    assert role in page.locator(".topbar .roles").inner_text()


def test_a_wrong_code_keeps_the_officer_out_with_a_clear_message(page, make_user):
    user = make_user("officer")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert "not right" in page.get_by_role("alert").inner_text()
    page.goto("/")
    assert "/accounts/sign-in/" in page.url


def test_a_page_of_another_role_is_refused_and_sign_out_works(make_user, sign_in_page):
    page = sign_in_page(make_user("officer"))
    response = page.goto("/audit/security-events/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Not allowed").is_visible()
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    page.goto("/")
    assert "/accounts/sign-in/" in page.url


def test_an_administrator_creates_an_account_whose_holder_signs_in_and_chooses_a_password(
    page, make_user, sign_in_page
):
    from base64 import b32decode

    from django_otp.oath import totp

    sign_in_page(make_user("administrator"))
    page.get_by_role("link", name="Users and roles").first.click()
    page.get_by_role("link", name="New account").click()
    page.get_by_label("Username").fill("dc5678")
    page.get_by_label("Supervisor").check()
    page.get_by_label("Initial password").fill("another-long-passphrase")
    page.get_by_role("button", name="Create account").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    assert page.locator(".qr svg").is_visible()
    page.get_by_role("button", name="Sign out").click()

    page.get_by_label("Username").fill("dc5678")
    page.get_by_label("Password").fill("another-long-passphrase")
    page.get_by_label("Authenticator code").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Sign in").click()
    # The administrator's choice works once: the holder chooses their own before anything else.
    page.wait_for_url(lambda url: url.endswith("/accounts/me/password/"))
    page.get_by_label("Current password").fill("another-long-passphrase")
    page.get_by_label("New password", exact=True).fill("my-own-quiet-passphrase")
    page.get_by_label("New password again").fill("my-own-quiet-passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(at_home)
    assert "supervisor" in page.locator(".topbar .roles").inner_text()


def test_the_api_docs_render_under_the_content_security_policy(make_user, sign_in_page):
    page = sign_in_page(make_user("officer"))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/api/docs/")
    page.get_by_text("/api/v1/me/").first.wait_for()
    assert not [e for e in errors if "Content Security Policy" in e]
