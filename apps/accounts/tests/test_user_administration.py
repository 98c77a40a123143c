"""Administrators create accounts, hand over second factors, change roles, unlock and disable."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import totp

from apps.accounts.models import User
from apps.accounts.tests.factories import current_code
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user, sign_in_client):
    admin = make_user("administrator", username="admin1")
    sign_in_client(admin)
    return client


def action(pk, name):
    return reverse("accounts:user_action", args=[pk, name])


def code_for_secret(secret: str) -> str:
    from base64 import b32decode

    return f"{totp(b32decode(secret)):06d}"


def test_create_an_officer_who_then_signs_in_with_the_secret_shown_once(admin_client, client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "pc1234",
            "first_name": "Pat",
            "last_name": "Constable",
            "roles": ["officer"],
            "password": "a-long-enough-passphrase",
            "staff_number": "1234",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="pc1234")
    assert user.role_names == ["officer"]
    event = SecurityEvent.objects.get(username="pc1234", kind="account_change")
    assert (event.actor, event.detail["action"]) == ("admin1", "created")

    admin_client.logout()
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "pc1234", "password": "a-long-enough-passphrase", "code": code_for_secret(secret)},
    )
    assert signed_in.status_code == 302
    assert user.password_change_required  # the administrator's choice opens only its own change
    assert client.get(signed_in["Location"])["Location"] == reverse("accounts:password_change")


def test_weak_passwords_and_mixed_machine_roles_are_refused(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "pc9", "roles": ["officer", "camera"], "password": "short"},
    )
    page = response.content.decode()
    assert "cannot also hold a staff role" in page
    assert "too short" in page
    assert not User.objects.filter(username="pc9").exists()


def test_change_roles_and_end_the_accounts_sessions(admin_client, make_user, sign_in_client):
    from django.test import Client

    officer = make_user("officer")
    officer_browser = sign_in_client(officer, Client())
    admin_client.post(action(officer.pk, "roles"), {"roles": ["officer", "supervisor"]})
    assert officer_browser.get(reverse("portal:home")).status_code == 302
    assert officer.role_names == ["officer", "supervisor"]
    assert SecurityEvent.objects.filter(username=officer.username, detail__action="roles changed").exists()


def test_unlock_a_locked_account(admin_client, client, make_user, settings):
    from django.test import Client

    officer = make_user("officer")
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(
            reverse("accounts:login"), {"username": officer.username, "password": "x", "code": "000000"}
        )
    assert "Locked" in admin_client.get(reverse("accounts:user_list")).content.decode()
    admin_client.post(action(officer.pk, "unlock"))
    response = stranger.post(
        reverse("accounts:login"),
        {
            "username": officer.username,
            "password": "correct-horse-battery-staple",
            "code": current_code(officer),
        },
    )
    assert response.status_code == 302


def test_unlock_an_address_lock_the_account_met(admin_client, make_user, settings):
    from django.test import Client

    officer = make_user("officer")
    station = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        station.post(reverse("accounts:login"), {"username": f"guess{n}", "password": "x", "code": "000000"})
    right = {"username": officer.username, "password": "correct-horse-battery-staple"}
    sign_in = reverse("accounts:login")
    assert station.post(sign_in, {**right, "code": current_code(officer)}).status_code == 429
    page = admin_client.get(reverse("accounts:user_detail", args=[officer.pk])).content.decode()
    assert "Unlock address 203.0.113.10" in page and "Unlock account" not in page

    refused = admin_client.post(action(officer.pk, "unlock-address"), {"address": "192.0.2.1"}, follow=True)
    assert "not locked" in refused.content.decode()
    admin_client.post(action(officer.pk, "unlock-address"), {"address": "203.0.113.10"})

    assert station.post(sign_in, {**right, "code": current_code(officer)}).status_code == 302
    [event] = SecurityEvent.objects.filter(username=officer.username, detail__action="address unlocked")
    assert (event.actor, event.detail["address"]) == ("admin1", "203.0.113.10")


def test_disabling_an_account_ends_its_sessions(admin_client, make_user, sign_in_client):
    from django.test import Client

    officer = make_user("officer")
    officer_browser = sign_in_client(officer, Client())
    admin_client.post(action(officer.pk, "disable"))
    assert officer_browser.get(reverse("portal:home")).status_code == 302
    assert not User.objects.get(pk=officer.pk).is_active
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(officer.pk)]


def test_resetting_the_second_factor_replaces_the_secret(admin_client, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = make_user("officer")
    old_key = TOTPDevice.objects.get(user=officer).key
    response = admin_client.post(action(officer.pk, "reset-second-factor"))
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', response.content.decode()).group(1)
    [device] = TOTPDevice.objects.filter(user=officer)
    assert device.key != old_key
    assert current_code(officer) == code_for_secret(secret)


def test_administrators_cannot_disable_themselves(admin_client):
    me = User.objects.get(username="admin1")
    assert admin_client.post(action(me.pk, "disable")).status_code == 403
    assert User.objects.get(pk=me.pk).is_active


def test_unknown_actions_and_users_are_404(admin_client, make_user):
    officer = make_user("officer")
    assert admin_client.post(action(officer.pk, "promote-to-god")).status_code == 404
    assert admin_client.post(action(999999, "unlock")).status_code == 404


@pytest.mark.parametrize("role", ["officer", "supervisor", "planner", "auditor"])
def test_other_roles_cannot_administer_users(client, make_user, sign_in_client, role):
    target = make_user("officer")
    sign_in_client(make_user(role))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(action(target.pk, "disable")).status_code == 403
    assert User.objects.get(pk=target.pk).is_active


def summary_of(response) -> list[str]:
    """The error summary's entries, as listed at the top of the page."""
    box = re.search(r'data-testid="error-summary">(.*?)</ul>', response.content.decode(), re.S)
    assert box, "no error summary"
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", box.group(1))]


def test_roles_or_a_token_refused_come_back_in_the_summary_at_the_top(admin_client, make_user):
    from apps.accounts.tokens import tokens_of

    officer, gateway = make_user("officer"), make_user("camera")
    mixed = admin_client.post(action(officer.pk, "roles"), {"roles": ["officer", "camera"]})
    assert mixed.status_code == 400
    [error] = summary_of(mixed)
    assert error.startswith("Roles: ") and "cannot also hold a staff role" in error
    assert 'href="#id_roles_0"' in mixed.content.decode()  # the first of its boxes
    officer.refresh_from_db()
    assert officer.role_names == ["officer"]
    unlabelled = admin_client.post(reverse("accounts:user_token_issue", args=[gateway.pk]), {"label": " "})
    assert unlabelled.status_code == 400
    assert summary_of(unlabelled) == ["What it is for: Say what the token is for."]
    assert not tokens_of(gateway).exists()


def test_ones_own_token_refused_comes_back_in_the_summary(admin_client):
    response = admin_client.post(reverse("accounts:my_token_issue"), {"label": ""})
    assert response.status_code == 400
    assert summary_of(response) == ["What it is for: Say what the token is for."]
    assert 'href="#id_label"' in response.content.decode()
