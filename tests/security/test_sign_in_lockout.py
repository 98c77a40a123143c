"""Finding 16: the sign-in lockout was by username only.

Anyone could lock a named supervisor out by typing wrong passwords for them, and nothing held
back password spraying (many usernames) from one address. Now an account is locked from the
address its failures came from, and an address is locked after failures across accounts.
Real sign-ins through the form; the address is REMOTE_ADDR.
"""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.tests.factories import PASSWORD, current_code
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("accounts:login")
ATTACKER, STATION, ELSEWHERE = "198.51.100.66", "203.0.113.10", "192.0.2.20"
WRONG = "not the password"


def browser(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str = WRONG, code: str = "000000"):
    return client.post(SIGN_IN, {"username": username, "password": password, "code": code})


def sign_in_rightly(client: Client, user):
    return sign_in(client, user.username, PASSWORD, current_code(user))


def lockouts() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT).order_by("at", "id"))


def test_an_attacker_elsewhere_cannot_lock_the_victim_out(make_user, settings):
    supervisor = make_user("supervisor")
    attacker = browser(ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        sign_in(attacker, supervisor.username)
    assert sign_in_rightly(attacker, supervisor).status_code == 429

    response = sign_in_rightly(browser(STATION), supervisor)

    assert response.status_code == 302
    assert [(event.username, event.ip_address, event.detail["lock"]) for event in lockouts()] == [
        (supervisor.username, ATTACKER, "account")
    ]


def test_spraying_many_usernames_from_one_address_locks_the_address(make_user, settings):
    officer = make_user("officer")
    attacker = browser(ATTACKER)
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        # Fewer tries per username than would lock any one account.
        sign_in(attacker, f"sprayed{n // (settings.AXES_FAILURE_LIMIT - 1)}")

    refused = sign_in_rightly(attacker, officer)
    refused_again = sign_in(attacker, "sprayed-later")

    assert refused.status_code == refused_again.status_code == 429
    page = refused.content.decode()
    assert "Sign-in from this address locked" in page
    assert f"({ATTACKER})" in page and "minutes" in page and "administrator" in page
    assert sign_in_rightly(browser(ELSEWHERE), officer).status_code == 302
    [lockout] = lockouts()
    assert (lockout.ip_address, lockout.detail["lock"]) == (ATTACKER, "address")


def test_a_sprayers_own_sign_in_does_not_reset_the_address_count(make_user, settings):
    insider = make_user("officer")
    attacker = browser(ATTACKER)
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(attacker, f"sprayed{n}")
    assert sign_in_rightly(attacker, insider).status_code == 302
    attacker.logout()

    sign_in(attacker, "one-more")

    assert sign_in_rightly(attacker, insider).status_code == 429


def test_the_victims_own_failures_still_lock_them(make_user, settings):
    officer, colleague = make_user("officer"), make_user("officer")
    station = browser(STATION)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(station, officer.username)

    response = sign_in_rightly(station, officer)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Account locked from this address" in page
    assert f"for {officer.username} from this network address ({STATION})" in page
    assert "ask an administrator to unlock your account" in page
    assert sign_in_rightly(browser(STATION), colleague).status_code == 302
    [lockout] = lockouts()
    assert (lockout.username, lockout.ip_address) == (officer.username, STATION)
    assert lockout.detail["lock"] == "account"


def test_a_forged_forwarded_address_changes_nothing(make_user, settings):
    """The lock follows REMOTE_ADDR (what the trusted proxy sets), never a header the client writes."""
    supervisor = make_user("supervisor")
    attacker = browser(ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(
            SIGN_IN,
            {"username": supervisor.username, "password": WRONG, "code": "000000"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
            HTTP_X_REAL_IP=f"10.1.0.{n}",
        )
    assert sign_in_rightly(attacker, supervisor).status_code == 429
    assert {event.ip_address for event in SecurityEvent.objects.filter(username=supervisor.username)} == {
        ATTACKER
    }


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_a_real_server_believes_no_forwarded_address(make_user, settings):
    """Through uvicorn as make run starts it (and gunicorn as production does, FORWARDED_ALLOW_IPS
    unset): failures with a new X-Forwarded-For each time still count against the one address."""
    import re

    import requests

    from conftest import start_asgi_server

    supervisor = make_user("supervisor")
    server, base = start_asgi_server()
    try:
        for n in range(settings.AXES_FAILURE_LIMIT):
            browser = requests.Session()
            page = browser.get(base + SIGN_IN, timeout=10).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            form = {
                "username": supervisor.username,
                "password": WRONG,
                "code": "000000",
                "csrfmiddlewaretoken": token,
            }
            browser.post(base + SIGN_IN, data=form, headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=30)
    addresses = set(
        SecurityEvent.objects.filter(username=supervisor.username).values_list("ip_address", flat=True)
    )
    assert addresses == {"127.0.0.1"}
    assert SecurityEvent.objects.filter(
        username=supervisor.username, kind=SecurityEvent.Kind.LOCKOUT
    ).exists()
