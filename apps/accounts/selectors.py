"""Reads of accounts."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.models import SecurityEvent
from apps.audit.selectors import security_events

from .lockout import Lock, locks_held
from .models import User


def users_for_administration() -> QuerySet[User]:
    return User.objects.prefetch_related("groups", "totpdevice_set").order_by("username")


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
