"""`seed_demo` creates one working account per role, keeps them on re-run, and is refused in production."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import PORTAL_ROLES
from apps.accounts.tests.factories import current_code

# Committed like `make run` commits; the two years of day partitions are dropped afterwards.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def drop_demo_partitions():
    yield
    from django.db import connection

    from apps.reads.partitions import existing_partition_days, forget_known_partitions, partition_name
    from conftest import as_database_owner

    with as_database_owner():  # the application's role may drop only days past retention
        for day in existing_partition_days():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP TABLE "{partition_name(day)}"')
    forget_known_partitions()


def test_demo_accounts_sign_in_and_a_re_run_changes_nothing(client, capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    for role in PORTAL_ROLES:
        line = next(line.split() for line in printed.splitlines() if line.split()[:1] == [role])
        username, password = line[0], line[1]
        user = User.objects.get(username=username)
        assert user.role_names == [role]
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": password, "code": current_code(user)},
        )
        assert response.status_code == 302, role
        client.logout()
    token = printed.split("Camera gateway API token:")[1].split()[0]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()["roles"] == ["camera"]
    assert "Demo reads: 20,000" in printed

    call_command("seed_demo")
    again = capsys.readouterr().out
    assert again.split("Demo cameras")[0] == printed.split("Demo cameras")[0]
    assert "Demo reads: already loaded" in again
    assert User.objects.filter(username__in=PORTAL_ROLES).count() == len(PORTAL_ROLES)


def test_demo_data_is_refused_in_production(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="production"):
        call_command("totp_code", "officer")
