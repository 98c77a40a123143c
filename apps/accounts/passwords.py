"""Passwords: the holder's own change (forced at the first sign-in when an administrator chose the
password), and reset by a link sent by mail. Every change and every request for a link is a
security event; a changed password ends the account's other sessions and its API tokens.

A reset link sets a new password and nothing else: it signs no one in and leaves the second
factor as it was, so the holder then signs in as always, with the new password and the code of
their authenticator app. The link is Django's token for the account (PASSWORD_RESET_TIMEOUT): it
names the account's password, so it works once, and no longer after any other change of password.

Asking for a link gives one answer whether or not an account holds the address, and each request
is recorded with where it came from. An address that asked too often in the last hour is refused
(PASSWORD_RESET_REQUESTS_PER_HOUR, whatever it typed), and an account is mailed at most
PASSWORD_RESET_MAILS_PER_HOUR links an hour, so the form can neither be used to flood someone's
mailbox nor to try addresses at speed. Links point at PORTAL_URL, never at the Host the request
named, so a forged Host cannot send a holder's link elsewhere.
"""

import logging
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from apps.audit.models import SecurityEvent
from apps.audit.services import client_ip, security_event_record

from .models import User
from .selectors import (
    RESET_LINK_SENT,
    accounts_to_reset,
    reset_links_sent_to,
    reset_requests_from,
)
from .services import sessions_end
from .tokens import api_tokens_revoke_all

log = logging.getLogger(__name__)


class ResetRequestsThrottled(Exception):
    """This address asked for too many reset links in the last hour."""


@dataclass(frozen=True)
class ResetLink:
    """What a reset link carries: the account (its id, encoded) and the token."""

    account: str
    token: str


@transaction.atomic
def password_change(*, user: User, password: str, request: HttpRequest) -> None:
    """Set the holder's own new password (the form checked it and their current one). They stay
    signed in here; their other sessions and their API tokens end."""
    via = "first sign-in" if user.password_change_required else "own account"
    _set_password(user, password)
    update_session_auth_hash(request, user)  # a new session key, still signed in with both factors
    sessions_end(user=user, keep=request.session.session_key)
    api_tokens_revoke_all(user=user, actor=user, reason="password changed", request=request)
    _record_change(user, request, via=via)


def password_reset_request(*, email: str, request: HttpRequest) -> None:
    """Mail a reset link to each account holding this address, unless it was sent too many lately.

    The same for an address no account holds, which is recorded all the same. Raises
    ResetRequestsThrottled, and records the refusal, when this network address asked too often.
    Each record is committed on its own, the refusal too; a link is mailed once its record is.
    """
    address = client_ip(request)
    typed = {"email": email[:254]}
    if reset_requests_from(address=address) >= settings.PASSWORD_RESET_REQUESTS_PER_HOUR:
        _record_request("", request, outcome="refused: too many requests from this address", **typed)
        raise ResetRequestsThrottled
    accounts = accounts_to_reset(email=email)
    if not accounts:
        _record_request("", request, outcome="no account holds this address", **typed)
    for user in accounts:
        if reset_links_sent_to(username=user.username) >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
            _record_request(user.username, request, outcome="not sent: enough links this hour", **typed)
            continue
        _record_request(user.username, request, outcome=RESET_LINK_SENT, **typed)
        # Mailed once the record is committed (at once, outside a transaction), and with no
        # transaction held open while the mail server answers; its refusal is recorded after.
        transaction.on_commit(partial(_mail_reset_link, user, request))


def account_from_reset_link(link: ResetLink) -> User | None:
    """The account a reset link is for, if the link is still good for it (in time, not yet used,
    the account still active staff with a password)."""
    try:
        pk = int(urlsafe_base64_decode(link.account).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.has_portal_access or not user.has_usable_password():
        return None
    return user if default_token_generator.check_token(user, link.token) else None


@transaction.atomic
def password_reset_complete(*, user: User, password: str, request: HttpRequest) -> None:
    """Set the new password a reset link's holder chose. No one is signed in: every session of
    the account and its API tokens end, and the next sign-in asks for the second factor as ever."""
    _set_password(user, password)
    sessions_end(user=user)
    api_tokens_revoke_all(user=user, actor=None, reason="password reset by mailed link", request=request)
    _record_change(user, request, via="reset link")


def reset_link_for(user: User, token_generator: PasswordResetTokenGenerator = default_token_generator) -> str:
    """The address of a fresh reset link for this account, on the portal as users reach it."""
    link = ResetLink(
        account=urlsafe_base64_encode(force_bytes(user.pk)), token=token_generator.make_token(user)
    )
    # In the query, which the servers' access logs leave out (anpr_site/access_log.py); the page
    # moves it into the session at once, so it stays out of the history and of any Referer.
    query = urlencode({"account": link.account, "token": link.token})
    return f"{settings.PORTAL_URL}{reverse('accounts:password_reset_link')}?{query}"


def _set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])


def _mail_reset_link(user: User, request: HttpRequest) -> None:
    context = {
        "user": user,
        "link": reset_link_for(user),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "requests_url": f"{settings.PORTAL_URL}{reverse('accounts:password_reset')}",
    }
    try:
        send_mail(
            subject="Reset your ANPR back office password",
            message=render_to_string("accounts/password_reset_mail.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError:  # smtplib's errors are OSErrors: the answer stays the same for the asker
        log.exception("The reset link for account %s could not be handed to the mail server", user.pk)
        _record_request(user.username, request, outcome="not sent: the mail server refused it")


def _record_change(user: User, request: HttpRequest, **detail: object) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_CHANGED,
        username=user.username,
        actor=user.username,
        request=request,
        detail=detail,
    )


def _record_request(username: str, request: HttpRequest, **detail: object) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_RESET, username=username, request=request, detail=detail
    )
