"""Passwords as a person meets them: the first sign-in's own password, a change from My account,
and a reset by the link in a mail, which still ends at the sign-in with the authenticator code."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts import services
from apps.accounts.passwords import reset_link_for
from apps.accounts.tests.factories import PASSWORD, ResetTokensOf, current_code
from tests.browser.conftest import at_home
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "marmalade-lighthouse-tundra"
BREACHED = "Liverpool1234"


def fill_sign_in(page, user, password):
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Authenticator code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()


def fill_new_password(page, new, current=None):
    if current is not None:
        page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)


def path_of(url: str) -> str:
    return urlsplit(url).path


def on_this_server(link: str) -> str:
    """A mailed link's path and query, for the page's own server."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_the_first_sign_in_asks_for_an_own_password_and_refuses_a_breached_one(page, make_user):
    user, _ = services.user_create(
        username="pc-first",
        password=PASSWORD,
        roles=["officer"],
        actor=make_user("administrator"),
        password_change_required=True,
    )
    page.goto("/accounts/sign-in/")
    fill_sign_in(page, user, PASSWORD)
    page.wait_for_url(lambda url: path_of(url) == "/accounts/me/password/")
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your own password"
    assert page.get_by_test_id("navigation").count() == 0
    page.goto(reverse("reads:search"))  # nothing else opens yet
    assert path_of(page.url) == "/accounts/me/password/"

    fill_new_password(page, BREACHED, current=PASSWORD)
    page.get_by_role("button", name="Change password").click()
    refusal = page.locator(".field-error").inner_text()
    assert "appears in published lists of breached passwords" in refusal
    assert "three or more random words" in refusal

    fill_new_password(page, NEW, current=PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(at_home)
    assert "Your password is changed" in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("navigation").is_visible()


def test_a_change_from_my_account_takes_effect_at_the_next_sign_in(page, make_user, sign_in_page):
    user = make_user("supervisor")
    sign_in_page(user)
    page.get_by_test_id("navigation").get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Change your password").click()
    fill_new_password(page, NEW, current=PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(lambda url: path_of(url) == "/accounts/me/")
    assert "Your password is changed" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Sign out").click()
    fill_sign_in(page, user, PASSWORD)  # the old one no longer works
    assert "not right" in page.get_by_role("alert").inner_text()
    page.get_by_label("Password").fill(NEW)
    page.get_by_label("Authenticator code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at_home)


def test_a_reset_by_the_mailed_link_ends_at_the_sign_in_and_the_link_then_dies(
    page, make_user, live_server, settings
):
    settings.PORTAL_URL = live_server.url
    user = make_user("officer", email="pc@example.police.uk")
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Your e-mail address").fill("pc@example.police.uk")
    page.get_by_role("button", name="Send the link").click()
    assert "If an account holds the address you gave" in page.get_by_test_id("reset-sent").inner_text()

    [message] = mail.outbox
    link = re.search(r"^(http\S+)$", message.body, re.MULTILINE).group(1)
    page.goto(link)
    assert "token=" not in page.url  # moved into the session at once
    fill_new_password(page, NEW)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url(lambda url: path_of(url) == "/accounts/sign-in/")
    assert "authenticator" in page.get_by_role("status").inner_text()

    page.goto(link)  # used once: no more
    assert "cannot be used" in page.get_by_role("heading", level=1).inner_text()
    page.goto("/accounts/sign-in/")
    fill_sign_in(page, user, NEW)
    page.wait_for_url(at_home)


def test_an_expired_link_is_refused_with_a_way_to_ask_again(page, make_user, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    user = make_user("officer", email="pc@example.police.uk")
    page.goto(on_this_server(reset_link_for(user, ResetTokensOf(hours_ago=2))))
    assert "has expired" in page.get_by_test_id("link-refused").inner_text()
    page.get_by_role("link", name="Ask for a new link").click()
    assert path_of(page.url) == "/accounts/password-reset/"


def test_the_password_pages_have_no_serious_accessibility_faults(page, make_user, sign_in_page):
    for url in (
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/password-reset/new-password/",
    ):
        page.goto(url)
        assert serious_violations(page) == [], url
    user = make_user("officer")
    page.goto(on_this_server(reset_link_for(user)))
    assert serious_violations(page) == [], "the new password form"
    sign_in_page(user)
    page.goto("/accounts/me/password/")
    assert serious_violations(page) == [], "/accounts/me/password/"
