"""Passwords: the holder's own change, the first password's forced change, reset by a mailed
link, and the rules a new password must pass."""

import re
import socket
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import ApiToken, User
from apps.accounts.passwords import reset_link_for
from apps.accounts.tests.factories import PASSWORD, ResetTokensOf, current_code
from apps.accounts.tokens import api_token_issue
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")
RESET_LINK = reverse("accounts:password_reset_link")
NEW = "marmalade-lighthouse-tundra"
BREACHED = "Liverpool1234"  # in the breached-password lists, and long enough for every other rule


def change(client, current=PASSWORD, new=NEW, again=None):
    return client.post(
        CHANGE, {"current_password": current, "new_password": new, "new_password_again": again or new}
    )


def sign_in(client, user, password=PASSWORD):
    return client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": password, "code": current_code(user)},
    )


def ask_for_link(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(RESET, {"email": email})


def mailed_link(message) -> str:
    return re.search(r"^(http\S+)$", message.body, re.MULTILINE).group(1)


def follow_link(client, link: str):
    """Open a mailed link as a browser would: its path and query on the test server."""
    parts = urlsplit(link)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def set_new_password(client, new=NEW, again=None):
    return client.post(RESET_LINK, {"new_password": new, "new_password_again": again or new})


def events(kind, **fields):
    return list(SecurityEvent.objects.filter(kind=kind, **fields).order_by("at", "id"))


# --- The holder's own change -------------------------------------------------------------


def test_the_holder_changes_their_password_and_stays_signed_in(client, make_user, sign_in_client):
    officer = make_user("officer")
    sign_in_client(officer)
    response = change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my_account")
    assert client.get(reverse("accounts:my_account")).status_code == 200  # still signed in, both factors
    officer.refresh_from_db()
    assert officer.check_password(NEW) and not officer.check_password(PASSWORD)
    [event] = events("password_changed", username=officer.username)
    assert (event.actor, event.detail["via"], event.ip_address) == (
        officer.username,
        "own account",
        "127.0.0.1",
    )


def test_a_change_ends_the_other_sessions_and_the_api_tokens(client, make_user, sign_in_client):
    officer = make_user("officer")
    elsewhere = sign_in_client(officer, Client())
    api_token_issue(user=officer, actor=officer)
    sign_in_client(officer)
    change(client)
    assert elsewhere.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:login"))
    assert not ApiToken.objects.filter(user=officer).exists()
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    revoked = events("api_token", username=officer.username, detail__action="revoked")
    assert revoked[0].detail["reason"] == "password changed"


def test_the_current_password_must_be_right_and_a_wrong_one_counts_as_a_failed_sign_in(
    client, make_user, sign_in_client, settings
):
    officer = make_user("officer")
    sign_in_client(officer)
    response = change(client, current="not-my-password-at-all")
    assert response.status_code == 200
    assert "That is not your current password." in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    [failure] = events("login_failed", username=officer.username)
    assert failure.detail["reason"] == "wrong current password, changing it"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = change(client, current="not-my-password-at-all")
    # Locked: even the right current password is refused now, with the lockout's page.
    assert change(client).status_code == 429
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        (BREACHED, None, "appears in published lists of breached passwords"),
        ("liverpool1234".upper(), None, "appears in published lists of breached passwords"),
        ("password1234", None, "This password is too common."),
        ("short-one", None, "at least 12 characters"),
        ("739184620573", None, "entirely numeric"),
        (PASSWORD, None, "That is the password you have now"),
        (NEW, "marmalade-lighthouse-tundrA", "The two differ"),
    ],
)
def test_a_new_password_must_pass_every_rule_and_says_which_it_broke(
    client, make_user, sign_in_client, new, again, message
):
    officer = make_user("officer")
    sign_in_client(officer)
    response = change(client, new=new, again=again)
    assert response.status_code == 200
    assert message in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not events("password_changed", username=officer.username)


def test_long_passwords_without_symbols_or_digits_are_welcome(client, make_user, sign_in_client):
    officer = make_user("officer")
    sign_in_client(officer)
    long_words = "otter quietly borrows seven umbrellas " * 8  # no maximum length, no composition rule
    assert change(client, new=long_words).status_code == 302


def test_my_account_links_to_the_change(client, make_user, sign_in_client):
    sign_in_client(make_user("officer"))
    assert f'href="{CHANGE}"' in client.get(reverse("accounts:my_account")).content.decode()


# --- The first password, chosen by an administrator ----------------------------------------


@pytest.fixture
def new_officer(db):
    """An account an administrator made, with the password they chose."""
    user, _ = services.user_create(
        username="pc-new",
        password=PASSWORD,
        roles=["officer"],
        actor=None,
        password_change_required=True,
        email="pc-new@example.police.uk",
    )
    return user


def test_accounts_made_in_the_portal_must_choose_their_own_password(client, make_user, sign_in_client):
    sign_in_client(make_user("administrator"))
    client.post(
        reverse("accounts:user_create"),
        {"username": "pc9", "roles": ["officer"], "password": "an-administrators-choice"},
    )
    assert User.objects.get(username="pc9").password_change_required


def test_after_the_first_sign_in_every_page_leads_to_choosing_a_password(client, new_officer):
    signed_in = sign_in(client, new_officer)
    assert signed_in.status_code == 302
    home = client.get(signed_in["Location"])
    assert home.status_code == 302 and home["Location"] == CHANGE
    for page in ("reads:search", "accounts:my_account", "hotlists:alerts", "api-docs"):
        assert client.get(reverse(page))["Location"] == CHANGE, page
    assert client.get(reverse("api:me")).status_code in {401, 403}  # nor through the API
    page = client.get(CHANGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Choose your own password" in body
    assert 'data-testid="navigation"' not in body  # no menu to pages it cannot open yet


def test_once_chosen_the_account_works_and_the_choice_is_audited(client, new_officer):
    sign_in(client, new_officer)
    response = change(client)
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("reads:search")).status_code == 200
    new_officer.refresh_from_db()
    assert not new_officer.password_change_required
    [event] = events("password_changed", username=new_officer.username)
    assert event.detail["via"] == "first sign-in"


def test_the_administrators_password_cannot_be_kept(client, new_officer):
    sign_in(client, new_officer)
    response = change(client, new=PASSWORD)
    assert "That is the password you have now" in response.content.decode()
    assert client.get(reverse("portal:home"))["Location"] == CHANGE


def test_api_tokens_still_work_while_the_portal_waits_for_the_password(new_officer, api_client_for):
    # A token is only issued to a holder signed in to the portal, so none such exists in practice;
    # the gate is for sessions, and tokens stay as they are.
    assert api_client_for(new_officer).get(reverse("api:me")).status_code == 200


# --- Reset by a mailed link -----------------------------------------------------------------


def test_a_link_is_mailed_to_the_accounts_address_and_the_request_audited(
    client, new_officer, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://anpr.example.police.uk"
    response = ask_for_link(client, "PC-New@example.police.uk", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_sent")
    [message] = mail.outbox
    assert message.to == ["pc-new@example.police.uk"]
    assert "pc-new" in message.body and "60 minutes" in message.body
    assert mailed_link(message).startswith(f"https://anpr.example.police.uk{RESET_LINK}?account=")
    [event] = events("password_reset", username="pc-new")
    assert event.detail == {"email": "PC-New@example.police.uk", "outcome": "link sent"}
    assert event.ip_address == "127.0.0.1"


def test_the_link_sets_a_new_password_and_signs_no_one_in(
    client, new_officer, django_capture_on_commit_callbacks
):
    ask_for_link(client, new_officer.email, django_capture_on_commit_callbacks)
    page = follow_link(client, mailed_link(mail.outbox[0]))
    assert page.redirect_chain == [(RESET_LINK, 302)]  # the token leaves the address at once
    assert "Choose a new password" in page.content.decode()
    response = set_new_password(client)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    new_officer.refresh_from_db()
    assert new_officer.check_password(NEW)
    assert not new_officer.password_change_required  # chosen by the holder now
    [event] = events("password_changed", username=new_officer.username)
    assert event.detail == {"via": "reset link"}
    assert sign_in(client, new_officer, password=NEW)["Location"] == reverse("portal:home")


def test_a_reset_ends_every_session_and_token_of_the_account(
    client, make_user, sign_in_client, django_capture_on_commit_callbacks
):
    officer = make_user("officer", email="pc@example.police.uk")
    signed_in = sign_in_client(officer, Client())
    api_token_issue(user=officer, actor=officer)
    ask_for_link(client, officer.email, django_capture_on_commit_callbacks)
    follow_link(client, mailed_link(mail.outbox[0]))
    set_new_password(client)
    assert signed_in.get(reverse("portal:home")).status_code == 302
    assert not ApiToken.objects.filter(user=officer).exists()


def test_an_expired_link_is_refused(client, new_officer, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    page = follow_link(client, reset_link_for(new_officer, ResetTokensOf(hours_ago=2)))
    assert page.status_code == 200
    assert 'data-testid="link-refused"' in page.content.decode()
    assert set_new_password(client).status_code == 200  # nothing to set a password with
    new_officer.refresh_from_db()
    assert new_officer.check_password(PASSWORD)


def test_a_link_mailed_within_the_hour_still_works(client, new_officer):
    page = follow_link(client, reset_link_for(new_officer, ResetTokensOf(hours_ago=0)))
    assert "Choose a new password" in page.content.decode()


def test_a_new_password_by_link_must_pass_the_rules_too(client, new_officer):
    follow_link(client, reset_link_for(new_officer))
    response = set_new_password(client, new=BREACHED)
    assert "appears in published lists of breached passwords" in response.content.decode()
    new_officer.refresh_from_db()
    assert new_officer.check_password(PASSWORD)


@pytest.mark.parametrize(
    "query",
    [
        "account=MQ&token=nonsense",
        "token=abc",
        "account=!!!&token=x-y",
        "account=OTk5OTk5OTk5OTk5OTk5OTk5OTk5&token=a-b",
    ],
)
def test_a_mangled_link_is_refused_plainly(client, new_officer, query):
    page = client.get(f"{RESET_LINK}?{query}", follow=True)
    assert page.status_code == 200
    assert 'data-testid="link-refused"' in page.content.decode()


def test_the_sign_in_page_offers_the_reset(client):
    assert f'href="{RESET}"' in client.get(reverse("accounts:login")).content.decode()


def test_a_mail_server_that_refuses_leaves_the_same_answer_and_a_record(
    client, new_officer, django_capture_on_commit_callbacks, settings
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    response = ask_for_link(client, new_officer.email, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("accounts:password_reset_sent")
    outcomes = [event.detail["outcome"] for event in events("password_reset", username="pc-new")]
    assert outcomes == ["link sent", "not sent: the mail server refused it"]


def test_machine_accounts_and_disabled_accounts_are_sent_no_link(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user("camera", email="gateway@example.police.uk")
    make_user("officer", email="gone@example.police.uk", is_active=False)
    for email in ("gateway@example.police.uk", "gone@example.police.uk"):
        ask_for_link(client, email, django_capture_on_commit_callbacks)
    assert mail.outbox == []
