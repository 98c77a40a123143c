"""Abuse of passwords by mail and of the first password.

A reset form is a way in that skips the password: it must not tell an outsider which addresses
hold accounts, must not be usable to flood a mailbox or to try addresses at speed, must give a
link that works once and briefly, and must not stand in for the second factor. An account made by
an administrator must not be usable on the administrator's password. Real requests through the
views; the address is REMOTE_ADDR.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from apps.accounts import services
from apps.accounts.tests.factories import PASSWORD, current_code
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password_reset")
RESET_LINK = reverse("accounts:password_reset_link")
SIGN_IN = reverse("accounts:login")
ATTACKER, STATION = "198.51.100.66", "203.0.113.10"
NEW = "marmalade-lighthouse-tundra"


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """ask(client, email) -> the answer to a request for a reset link (mails sent as in production,
    once the request's records are committed)."""

    def post(client: Client, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, follow=True)

    return post


@pytest.fixture
def officer(make_user):
    return make_user("officer", email="pc@example.police.uk")


def browser(address: str = STATION) -> Client:
    return Client(REMOTE_ADDR=address)


def mailed_link(message) -> str:
    link = urlsplit(re.search(r"^(http\S+)$", message.body, re.MULTILINE).group(1))
    return f"{link.path}?{link.query}"


def use_link(client: Client, link: str, new: str = NEW):
    client.get(link)
    return client.post(RESET_LINK, {"new_password": new, "new_password_again": new})


def reset_requests(**fields) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind="password_reset", **fields).order_by("at", "id"))


def test_an_unknown_address_gets_exactly_the_answer_a_known_one_gets(officer, ask):
    known = ask(browser(), officer.email)
    unknown = ask(browser(), "nobody@example.police.uk")
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("accounts:password_reset_sent"), 302)]
    assert known.status_code == unknown.status_code == 200
    per_response = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"')  # differ on every page
    assert per_response.sub("", known.content.decode()) == per_response.sub("", unknown.content.decode())
    assert [message.to for message in mail.outbox] == [[officer.email]]
    # Both are on the record, the unknown one with what was typed.
    [attempt] = reset_requests(username="")
    assert attempt.detail == {"email": "nobody@example.police.uk", "outcome": "no account holds this address"}


def test_an_address_asking_too_often_is_refused_whatever_it_types(officer, ask, settings):
    attacker = browser(ATTACKER)
    for n in range(settings.PASSWORD_RESET_REQUESTS_PER_HOUR):
        assert ask(attacker, f"guess{n}@example.police.uk").status_code == 200
    refused = ask(attacker, officer.email)
    assert refused.status_code == 429
    assert "Too many reset links were asked for from this network address" in refused.content.decode()
    assert mail.outbox == []  # the real address, typed once refused, got nothing
    assert reset_requests(ip_address=ATTACKER)[-1].detail["outcome"].startswith("refused")
    # The officer's own station is not held back by the attacker's address.
    assert ask(browser(STATION), officer.email).status_code == 200
    assert len(mail.outbox) == 1


def test_a_mailbox_cannot_be_flooded_from_many_addresses(officer, ask, settings):
    for n in range(settings.PASSWORD_RESET_MAILS_PER_HOUR + 3):
        answer = ask(browser(f"198.51.100.{n + 1}"), officer.email)
        assert answer.redirect_chain == [(reverse("accounts:password_reset_sent"), 302)]  # the same answer
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR
    held_back = reset_requests(username=officer.username, detail__outcome="not sent: enough links this hour")
    assert len(held_back) == 3


def test_a_reset_link_works_once(officer, ask):
    ask(browser(), officer.email)
    link = mailed_link(mail.outbox[0])
    assert use_link(browser(), link)["Location"] == SIGN_IN
    again = browser(ATTACKER)  # someone who found the mail later
    page = again.get(link, follow=True)
    assert 'data-testid="link-refused"' in page.content.decode()
    assert again.post(RESET_LINK, {"new_password": "another-long-passphrase", "new_password_again": "x"})
    officer.refresh_from_db()
    assert officer.check_password(NEW)


def test_an_older_link_dies_when_the_password_changes_another_way(officer, ask, sign_in_client):
    ask(browser(), officer.email)
    link = mailed_link(mail.outbox[0])
    holder = sign_in_client(officer, Client())
    holder.post(
        reverse("accounts:password_change"),
        {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW},
    )
    page = browser(ATTACKER).get(link, follow=True)
    assert 'data-testid="link-refused"' in page.content.decode()


def test_a_reset_does_not_skip_the_second_factor(officer, ask):
    attacker = browser(ATTACKER)  # holding the victim's mailbox, not their authenticator
    device = officer.totpdevice_set.get()
    ask(attacker, officer.email)
    done = use_link(attacker, mailed_link(mail.outbox[0]))
    assert done["Location"] == SIGN_IN
    assert "_auth_user_id" not in attacker.session and DEVICE_ID_SESSION_KEY not in attacker.session
    assert attacker.get(reverse("portal:home"))["Location"].startswith(SIGN_IN)
    # The new password alone opens nothing: the sign-in still wants the authenticator's code.
    for code in ("", f"{(int(current_code(officer)) + 1) % 1_000_000:06d}"):
        refused = attacker.post(SIGN_IN, {"username": officer.username, "password": NEW, "code": code})
        assert refused.status_code == 200 and "_auth_user_id" not in attacker.session
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    # The second factor itself is untouched: the holder's device is the one they had.
    assert list(officer.totpdevice_set.values_list("pk", "confirmed")) == [(device.pk, True)]


def test_a_forged_host_cannot_send_the_link_elsewhere(officer, ask, settings):
    settings.PORTAL_URL = "https://anpr.example.police.uk"
    ask(Client(REMOTE_ADDR=ATTACKER, HTTP_HOST="evil.example"), officer.email)
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert f"https://anpr.example.police.uk{RESET_LINK}?account=" in body


def test_the_token_is_not_left_in_the_address_or_the_history(officer, ask):
    ask(browser(), officer.email)
    link = mailed_link(mail.outbox[0])
    holder = browser()
    landed = holder.get(link)
    assert landed.status_code == 302 and landed["Location"] == RESET_LINK  # no token in it
    page = holder.get(RESET_LINK)
    token = link.split("token=")[1]
    assert token not in page.content.decode()


def test_the_administrators_first_password_opens_nothing_but_its_own_change(client, make_user):
    user, _ = services.user_create(
        username="pc-first",
        password="an-administrators-choice",
        roles=["supervisor"],
        actor=make_user("administrator"),
        password_change_required=True,
    )
    client.post(
        SIGN_IN, {"username": "pc-first", "password": "an-administrators-choice", "code": current_code(user)}
    )
    change = reverse("accounts:password_change")
    for page in (
        reverse("access_requests:queue"),
        reverse("reads:search"),
        "/admin/",
        "/api/v1/search-purposes/",
    ):
        response = client.get(page)
        assert response.status_code in {302, 401, 403}, page
        assert response.status_code != 302 or response["Location"] == change, page
    # Choosing the same password again does not count as choosing one.
    client.post(
        change,
        {
            "current_password": "an-administrators-choice",
            "new_password": "an-administrators-choice",
            "new_password_again": "an-administrators-choice",
        },
    )
    assert client.get(reverse("reads:search"))["Location"] == change
