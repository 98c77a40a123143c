"""Make a new installation's first administrator, from the server: the one account no
administrator can make in the portal. Refused once any administrator exists.

The password is typed twice at a prompt (or piped with --password-stdin) and checked by the
password validators; it works for the first sign-in only, when the administrator must choose
their own (what was typed on the server may have been seen or kept there). There is no
--no-password: the first administrator has no e-mail address to be sent a reset link, so an
account made without a password could never sign in.

The authenticator secret is shown only on a terminal, unless --show-secret says to write it
wherever standard output goes: a file, a pipe or a container's log would keep it, and whoever
reads them could make the administrator's codes.
"""

import getpass
import io
import os
import socket
import sys

import segno
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from apps.accounts.enrolment import totp_uri
from apps.accounts.models import User
from apps.accounts.selectors import administrator_bootstrap_refusal
from apps.accounts.services import administrator_bootstrap

PROMPT_TRIES = 3


class Command(BaseCommand):
    help = (
        "Create the first administrator, USERNAME, with a password typed at the prompt and an "
        "authenticator secret shown once. Refused once any administrator exists."
    )
    stealth_options = ("stdin",)  # call_command(..., stdin=...) in place of standard input

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of prompting.",
        )
        parser.add_argument(
            "--show-secret",
            action="store_true",
            help="Write the authenticator secret even when standard output is not a terminal "
            "(a file, a pipe, a container's log).",
        )

    def handle(self, *args, username: str, password_stdin: bool, show_secret: bool, **options) -> None:
        if not (show_secret or self.stdout.isatty()):
            raise CommandError(
                "Standard output is not a terminal, and the administrator's authenticator secret "
                "is written there: it would stay wherever the output goes (a file, a container's "
                "log). Nothing was created. Run it in a terminal (`docker compose exec web ...`, "
                "not -T), or pass --show-secret if the output is safe to hold the secret."
            )
        username = _valid_username(username)
        # Checked before the password is asked for, and again under a lock as the account is made.
        refusal = administrator_bootstrap_refusal(username=username)
        if refusal:
            raise CommandError(refusal)
        candidate = User(username=username)
        if password_stdin:
            password = _checked(_first_line(options.get("stdin") or sys.stdin), candidate)
        else:
            password = self._prompt_password(candidate)
        try:
            user, secret = administrator_bootstrap(
                username=username,
                password=password,
                operator=_operator(),
                operator_reported=_operator_reported(),
            )
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self._show_enrolment(user, secret)

    def _prompt_password(self, candidate: User) -> str:
        for _ in range(PROMPT_TRIES):
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                return _checked(password, candidate)
            except CommandError as weak:
                self.stderr.write(str(weak))
        raise CommandError(f"No acceptable password in {PROMPT_TRIES} tries; nothing was created.")

    def _show_enrolment(self, user: User, secret: str) -> None:
        uri = totp_uri(user, secret)
        qr = io.StringIO()
        segno.make(uri, error="m").terminal(out=qr, compact=True)
        sign_in = settings.PORTAL_URL + reverse("accounts:login")
        self.stdout.write(f"Administrator {user.username!r} created; this is recorded in the audit trail.")
        self.stdout.write("Add this authenticator secret to the administrator's app now: it is shown once.")
        self.stdout.write(f"  secret (base32): {secret}")
        self.stdout.write(f"  otpauth URI:     {uri}")
        self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write(f"Sign in at {sign_in} with the password and the app's code, choose your own")
        self.stdout.write("password, then make the other accounts in the portal (Users and roles).")


def _valid_username(username: str) -> str:
    try:
        return User._meta.get_field("username").clean(username, None)
    except ValidationError as invalid:
        raise CommandError(" ".join(invalid.messages)) from invalid


def _first_line(stream) -> str:
    return stream.readline().rstrip("\r\n")


def _checked(password: str, candidate: User) -> str:
    """The password, if every validator in AUTH_PASSWORD_VALIDATORS takes it."""
    if not password:
        raise CommandError("The password is empty.")
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as weak:
        raise CommandError(" ".join(weak.messages)) from weak
    return password


def _operator() -> str:
    """Who ran the command on which machine: the trail's only answer to who made this account."""
    return f"{_account()}@{socket.gethostname()}"


def _operator_reported() -> dict[str, str | int | None]:
    """What the server says of who ran it. The user name comes from LOGNAME or USER first and
    SUDO_USER is set by sudo, so whoever ran it could have set either; the uid is the process's
    own. None of it is authoritative: the server's own logs (sudo, ssh) are."""
    return {
        "user": _account(),
        "uid": os.getuid(),
        "sudo_user": os.environ.get("SUDO_USER"),
        "host": socket.gethostname(),
    }


def _account() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # a container's user may have no name
        return f"uid {os.getuid()}"
