"""`manage.py bootstrap_admin`: a new installation's first administrator, made once, on the server."""

import io
import os
import re
import subprocess
import sys
from base64 import b32decode
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase"


def bootstrap(username: str, *, password: str = PASSWORD) -> str:
    """Run the command with the password piped in and its output (not a terminal) allowed to
    hold the secret; its output."""
    out = io.StringIO()
    call_command(
        "bootstrap_admin",
        username,
        password_stdin=True,
        show_secret=True,
        stdin=io.StringIO(password + "\n"),
        stdout=out,
    )
    return out.getvalue()


class Terminal(io.StringIO):
    """Standard output as a terminal."""

    def isatty(self) -> bool:
        return True


def shown_secret(output: str) -> str:
    return re.search(r"secret \(base32\): ([A-Z2-7]+)", output).group(1)


def test_the_first_administrator_signs_in_with_the_password_and_the_secret_shown_once(client):
    output = bootstrap("chief")
    user = User.objects.get(username="chief")
    assert user.role_names == ["administrator"]
    device = TOTPDevice.objects.get(user=user)
    secret = shown_secret(output)
    assert device.confirmed and b32decode(secret) == device.bin_key
    assert "otpauth://totp/" in output and f"secret={secret}" in output
    assert "█" in output or "▀" in output  # the QR code, drawn in the terminal

    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "chief", "password": PASSWORD, "code": f"{totp(b32decode(secret)):06d}"},
    )
    assert signed_in.status_code == 302
    # The password typed on the server works once: the administrator must choose their own first.
    change = reverse("accounts:password_change")
    assert client.get(reverse("accounts:user_list"))["Location"] == change
    own = "a-password-of-my-own-choosing"
    client.post(change, {"current_password": PASSWORD, "new_password": own, "new_password_again": own})
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_the_prompt_asks_twice_and_takes_only_a_password_the_validators_pass(monkeypatch):
    typed = iter(["short", "short", PASSWORD, "a-different-passphrase", PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    err = io.StringIO()
    call_command("bootstrap_admin", "chief", stdout=Terminal(), stderr=err)
    assert "too short" in err.getvalue() and "differ" in err.getvalue()
    assert User.objects.get(username="chief").check_password(PASSWORD)


def test_without_a_terminal_or_show_secret_it_refuses_before_asking_anything(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("asked for a password"))
    out = io.StringIO()  # a pipe, a file, a container's log
    with pytest.raises(CommandError, match=r"not a terminal.*Nothing was created.*--show-secret"):
        call_command("bootstrap_admin", "chief", stdout=out, stdin=io.StringIO(PASSWORD + "\n"))
    with pytest.raises(CommandError, match="not a terminal"):
        call_command(
            "bootstrap_admin", "chief", password_stdin=True, stdout=out, stdin=io.StringIO(PASSWORD + "\n")
        )
    assert out.getvalue() == ""
    assert not User.objects.filter(username="chief").exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ADMIN_BOOTSTRAP).exists()


def test_on_a_terminal_the_secret_is_shown_without_asking():
    out = Terminal()
    call_command(
        "bootstrap_admin", "chief", password_stdin=True, stdin=io.StringIO(PASSWORD + "\n"), stdout=out
    )
    device = TOTPDevice.objects.get(user__username="chief")
    assert b32decode(shown_secret(out.getvalue())) == device.bin_key


def test_a_weak_piped_password_is_refused_and_nothing_is_made():
    with pytest.raises(CommandError, match="too common"):
        bootstrap("chief", password="password123456")
    assert not User.objects.filter(username="chief").exists()


def test_it_is_refused_once_an_administrator_exists(make_user):
    bootstrap("chief")
    with pytest.raises(CommandError, match=r"An administrator already exists \(chief\)"):
        bootstrap("deputy")
    assert not User.objects.filter(username="deputy").exists()


@pytest.mark.parametrize(
    "holder", [{"roles": ["administrator"], "is_active": False}, {"roles": [], "is_superuser": True}]
)
def test_a_disabled_administrator_or_a_superuser_is_an_administrator_too(make_user, holder):
    roles = holder.pop("roles")
    make_user(*roles, username="retired", **holder)
    with pytest.raises(CommandError, match="already exists"):
        bootstrap("chief")
    assert not User.objects.filter(username="chief").exists()


def test_a_taken_username_is_refused_whatever_its_case(make_user):
    make_user("officer", username="chief")
    with pytest.raises(CommandError, match="taken"):
        bootstrap("CHIEF")
    assert User.objects.get(username="chief").role_names == ["officer"]


def test_the_audit_trail_records_who_made_it_on_which_machine(monkeypatch):
    # The name is the environment's to claim; the uid is the process's own.
    monkeypatch.setenv("LOGNAME", "claimed-name")
    monkeypatch.setenv("SUDO_USER", "jsmith")
    bootstrap("chief")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ADMIN_BOOTSTRAP)
    assert event.username == "chief"
    assert event.actor == "claimed-name@" + os.uname().nodename
    assert event.detail["via"] == "manage.py bootstrap_admin"
    assert event.detail["operator_reported_by_server_not_authoritative"] == {
        "user": "claimed-name",
        "uid": os.getuid(),
        "sudo_user": "jsmith",
        "host": os.uname().nodename,
    }
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGE, username="chief", detail__action="created"
    ).exists()


@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_it_works_under_the_production_settings_as_the_applications_role():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "anpr_site.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "anpr.example",
        "DATABASE_URL": _test_database_url_as_application(),
        "DATABASE_APP_ROLE": settings.DATABASE_APP_ROLE,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "bootstrap_admin",
        "chief",
        "--password-stdin",
        "--show-secret",
    ]
    run = subprocess.run(command, env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    device = TOTPDevice.objects.get(user__username="chief", user__groups__name="administrator")
    assert device.verify_token(f"{totp(b32decode(shown_secret(run.stdout))):06d}")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ADMIN_BOOTSTRAP, username="chief").exists()

    again = subprocess.run(
        [*command[:3], "deputy", "--password-stdin", "--show-secret"],
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1
    assert "An administrator already exists" in again.stderr


def _test_database_url_as_application() -> str:
    """The test database's URL from the settings (a TCP server, or the embedded one's socket
    directory), acting as the application's role as production does."""
    db = connection.settings_dict
    netloc = f"{quote(db['USER'])}:{quote(db['PASSWORD'] or '', safe='')}@{db['HOST']}"
    netloc += f":{db['PORT']}" if db["PORT"] else ""
    options = {key: value for key, value in db["OPTIONS"].items() if key == "host"}
    options["options"] = f"-c role={settings.DATABASE_APP_ROLE}"
    return f"postgres://{netloc}/{quote(db['NAME'])}?{urlencode(options)}"
