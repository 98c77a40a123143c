"""Sign-in with password and TOTP, lockout, sign-out and the idle timeout."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from apps.accounts.tests.factories import PASSWORD, current_code
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("accounts:login")


def post_sign_in(client, username, password=PASSWORD, code="000000", next_url=""):
    data = {"username": username, "password": password, "code": code, "next": next_url}
    return client.post(SIGN_IN, data)


def events(kind, username):
    return list(SecurityEvent.objects.filter(kind=kind, username=username))


def test_password_and_code_sign_in_and_verify_the_session(client, make_user):
    officer = make_user("officer")
    response = post_sign_in(client, officer.username, code=current_code(officer))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.get(reverse("portal:home")).status_code == 200
    [event] = events("login", officer.username)
    assert event.ip_address == "127.0.0.1"


def test_wrong_password_is_refused_and_audited(client, make_user):
    officer = make_user("officer")
    response = post_sign_in(client, officer.username, password="wrong", code=current_code(officer))
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session
    [event] = events("login_failed", officer.username)
    assert event.detail["reason"] == "wrong username or password"


def test_right_password_with_wrong_code_is_refused_and_audited(client, make_user):
    officer = make_user("officer")
    wrong = f"{(int(current_code(officer)) + 1) % 1_000_000:06d}"
    response = post_sign_in(client, officer.username, code=wrong)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert events("login_failed", officer.username)[0].detail["reason"] == "wrong one-time code"


def test_a_code_cannot_be_used_twice(client, make_user):
    officer = make_user("officer")
    code = current_code(officer)
    assert post_sign_in(client, officer.username, code=code).status_code == 302
    client.logout()
    assert post_sign_in(client, officer.username, code=code).status_code == 200


def test_machine_accounts_cannot_sign_in_to_the_portal(client, make_user):
    camera = make_user("camera")
    response = post_sign_in(client, camera.username, code="123456")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert events("login_failed", camera.username)[0].detail["reason"] == "no portal access"


def test_repeated_failures_lock_the_account_even_against_the_right_details(client, make_user, settings):
    officer = make_user("officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, officer.username, password="wrong")
    response = post_sign_in(client, officer.username, code=current_code(officer))
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(events("lockout", officer.username)) == 1


def test_a_lockout_of_one_account_leaves_others_alone(client, make_user, settings):
    victim, colleague = make_user("officer"), make_user("officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, victim.username, password="wrong")
    assert post_sign_in(client, colleague.username, code=current_code(colleague)).status_code == 302


def test_next_must_stay_on_this_site(client, make_user):
    officer = make_user("officer")
    response = post_sign_in(
        client, officer.username, code=current_code(officer), next_url="https://evil.example/"
    )
    assert response["Location"] == reverse("portal:home")


def test_next_on_this_site_is_followed(client, make_user):
    officer = make_user("officer")
    target = reverse("accounts:my_account")
    response = post_sign_in(client, officer.username, code=current_code(officer), next_url=target)
    assert response["Location"] == target


def test_sign_out_needs_post_and_is_audited(client, sign_in_client, make_user):
    officer = make_user("officer")
    sign_in_client(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302
    assert len(events("logout", officer.username)) == 1


def test_the_session_ends_after_the_idle_timeout(client, sign_in_client, make_user, settings):
    officer = make_user("officer")
    sign_in_client(officer)
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT.total_seconds()
    # Each request pushes the expiry forward...
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("portal:home"))
    pushed = Session.objects.get(pk=session.pk).expire_date
    assert pushed > timezone.now() + settings.SESSION_IDLE_TIMEOUT - timedelta(minutes=1)
    # ...and once it has passed with no request, the next one goes to sign-in.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_a_disabled_account_cannot_sign_in(client, make_user):
    officer = make_user("officer", is_active=False)
    assert post_sign_in(client, officer.username, code=current_code(officer)).status_code == 200
