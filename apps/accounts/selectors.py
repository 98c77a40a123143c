"""Reads of accounts."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.audit.models import SecurityEvent
from apps.audit.selectors import security_events

from .lockout import Lock, locks_held
from .models import User
from .roles import ADMINISTRATOR, PORTAL_ROLES

HOUR = timedelta(hours=1)
# How a reset request's security event records that a link was mailed (apps/accounts/passwords.py).
RESET_LINK_SENT = "link sent"


def users_for_administration() -> QuerySet[User]:
    return User.objects.prefetch_related("groups", "totpdevice_set").order_by("username")


def username_taken(username: str) -> bool:
    """Taken whatever its case: 'Admin' beside 'admin' would be one person to a reader of the trail."""
    return User.objects.filter(username__iexact=username).exists()


def administrator_bootstrap_refusal(*, username: str) -> str | None:
    """Why `bootstrap_admin` may not make this first administrator now, or None if it may.

    Any administrator, enabled or not (or a superuser), means the force already has one: the next
    are made in the portal, where an administrator answers for them.
    """
    administrators = User.objects.filter(Q(groups__name=ADMINISTRATOR) | Q(is_superuser=True))
    if administrators.exists():
        names = ", ".join(sorted(set(administrators.values_list("username", flat=True))))
        return f"An administrator already exists ({names}); make further accounts in the portal."
    if username_taken(username):
        return f"The username {username!r} is taken."
    return None


def locked_usernames() -> set[str]:
    """Usernames locked out now, from at least one address, by their own failed sign-ins."""
    return {held["username"] for held in locks_held(Lock.ACCOUNT)}


def account_locked_from(*, username: str) -> list[str]:
    """The addresses this username is locked out from now by its own failed sign-ins."""
    return [held["ip_address"] for held in locks_held(Lock.ACCOUNT).filter(username=username)]


def address_locks_met(*, username: str) -> list[str]:
    """Addresses locked now for every account that this username failed to sign in from lately.

    The audit trail says where it tried: a try refused by a lock leaves no axes record.
    """
    tried_from = (
        security_events(username=username)
        .filter(kind=SecurityEvent.Kind.LOGIN_FAILED, at__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .values("ip_address")
    )
    return [held["ip_address"] for held in locks_held(Lock.ADDRESS).filter(ip_address__in=tried_from)]


def accounts_to_reset(*, email: str) -> list[User]:
    """The accounts a reset link for this address goes to: active members of staff holding it
    (in any case) with a password. Machine accounts have no password to reset."""
    if not email:
        return []
    holders = User.objects.filter(email__iexact=email, is_active=True).filter(
        Q(groups__name__in=PORTAL_ROLES) | Q(is_superuser=True)
    )
    return [user for user in holders.distinct() if user.has_usable_password()]


def reset_requests_from(*, address: str | None) -> int:
    """Reset links asked for from this network address in the last hour, whatever came of them."""
    return _reset_events().filter(ip_address=address).count()


def reset_links_sent_to(*, username: str) -> int:
    """Reset links mailed for this account in the last hour."""
    return _reset_events().filter(username=username, detail__outcome=RESET_LINK_SENT).count()


def _reset_events() -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET, at__gte=timezone.now() - HOUR)
