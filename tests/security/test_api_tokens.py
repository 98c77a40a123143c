"""Finding 6: staff API tokens skipped the second factor, never expired, and were stored in clear.

Tokens are now django-rest-knox's: only a hash is kept, each expires, each can be revoked, and
every issue and end is in the audit trail. Staff get theirs only after signing in with both
factors, and for a working day.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def issue_own_token(client) -> str:
    response = client.post("/accounts/me/tokens/", {"label": "my script"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.context["secret"]


def test_a_staff_token_needs_both_factors_and_lasts_a_working_day(make_user, sign_in_client, settings):
    officer = make_user("officer")
    password_only = Client()
    password_only.force_login(officer)  # no second factor in this session
    assert password_only.post("/accounts/me/tokens/", {"label": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
    secret = issue_own_token(sign_in_client(officer, Client()))
    token = ApiToken.objects.get(user=officer)
    assert token.expiry - timezone.now() <= settings.STAFF_TOKEN_LIFETIME <= timedelta(hours=10)
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
    actions = list(
        SecurityEvent.objects.filter(username=officer.username, kind="api_token").values_list(
            "detail__action", flat=True
        )
    )
    assert sorted(actions) == ["expired", "issued"]


def test_no_token_is_stored_in_clear_anywhere_in_the_database(make_user, sign_in_client, api_client_for):
    secret = issue_own_token(sign_in_client(make_user("officer"), Client()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        holding = []
        for table in tables:
            every_row = f'SELECT count(*) FROM "{table}" t WHERE row_to_json(t)::text LIKE %s'  # noqa: S608
            cursor.execute(every_row, [f"%{secret[5:]}%"])
            if cursor.fetchone()[0]:
                holding.append(table)
    assert holding == []
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_a_revoked_token_stops_at_once_and_the_revocation_is_audited(make_user, sign_in_client):
    officer = make_user("officer")
    browser = sign_in_client(officer, Client())
    secret = issue_own_token(browser)
    Client().get(ME, HTTP_AUTHORIZATION=f"Token {secret}")
    token = ApiToken.objects.get(user=officer)
    assert token.last_used_at is not None
    page = browser.get("/accounts/me/").content.decode()
    assert "my script" in page and secret not in page  # listed, never shown again
    browser.post(f"/accounts/me/tokens/{token.ref}/revoke/")
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
    assert SecurityEvent.objects.filter(username=officer.username, detail__action="revoked").exists()


def test_administrators_issue_tokens_only_to_machine_accounts(make_user, sign_in_client):
    admin = sign_in_client(make_user("administrator"), Client())
    officer, gateway = make_user("officer"), make_user("camera")
    assert admin.post(f"/accounts/users/{officer.pk}/tokens/", {"label": "x"}).status_code == 403
    response = admin.post(f"/accounts/users/{gateway.pk}/tokens/", {"label": "gateway 7"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=gateway)
    assert token.expiry > timezone.now() + timedelta(days=300)  # a machine's token lasts longer
    assert not ApiToken.objects.filter(user=officer).exists()


def test_losing_a_role_or_the_account_ends_its_tokens(make_user, api_client_for, sign_in_client):
    from apps.accounts import services

    admin = make_user("administrator")
    supervisor = make_user("supervisor")
    api = api_client_for(supervisor)
    services.user_set_roles(user=supervisor, roles=["officer"], actor=admin)
    assert api.get(ME).status_code == 401
    gateway = make_user("camera")
    api = api_client_for(gateway)
    services.user_set_active(user=gateway, active=False, actor=admin)
    services.user_set_active(user=gateway, active=True, actor=admin)
    assert api.get(ME).status_code == 401  # enabling again does not bring old tokens back
