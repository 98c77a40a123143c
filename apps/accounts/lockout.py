"""Sign-in lockout: an account from one address, and an address across accounts, each with its own limit.

django-axes records the failures and refuses locked sign-ins; this module says what is counted
together (AXES_LOCKOUT_PARAMETERS points here) and gives each lock its own limit, which axes
cannot: it compares the largest of the counts with one AXES_FAILURE_LIMIT.

- Lock.ACCOUNT: one username from one address, after AXES_FAILURE_LIMIT failures. Someone at
  another address cannot lock the account's owner out.
- Lock.ADDRESS: every username from one address, after LOGIN_ADDRESS_FAILURE_LIMIT failures,
  so trying many usernames (password spraying) from one address is held to that many guesses.

The address is REMOTE_ADDR (AXES_CLIENT_IP_CALLABLE is audit's client_ip): a forwarded header
is the client's to forge.
"""

from datetime import datetime
from enum import StrEnum
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class Lock(StrEnum):
    """What a lockout holds back; the value is what the audit trail records."""

    ACCOUNT = "account"
    ADDRESS = "address"


FIELDS = {Lock.ACCOUNT: ("username", "ip_address"), Lock.ADDRESS: ("ip_address",)}


def lockout_parameters(request=None, credentials=None) -> list[list[str]]:
    """AXES_LOCKOUT_PARAMETERS: the fields each lock counts failures by, in the order of Lock."""
    return [list(FIELDS[lock]) for lock in Lock]


def failure_limit(lock: Lock) -> int:
    return settings.AXES_FAILURE_LIMIT if lock is Lock.ACCOUNT else settings.LOGIN_ADDRESS_FAILURE_LIMIT


def locks_held(lock: Lock) -> QuerySet:
    """The locks of one kind in force now: dicts of that lock's fields and its failures."""
    fields = FIELDS[lock]
    return (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .values(*fields)
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=failure_limit(lock))
        .order_by(*fields)
    )


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each lock, noting on the request which lock holds."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes locks when this number reaches AXES_FAILURE_LIMIT. Each lock's count is shifted by
        # the difference between that and its own limit, so the number reaches it exactly when
        # some lock's count reaches that lock's limit.
        counts = {lock: _failures(attempts) for lock, attempts in self._attempts(request, credentials)}
        request.axes_lock = next((lock for lock in Lock if counts[lock] >= failure_limit(lock)), None)
        return settings.AXES_FAILURE_LIMIT + max(counts[lock] - failure_limit(lock) for lock in Lock)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        # A try refused by a lock already in force is not counted (AXES_RESET_COOL_OFF_ON_FAILURE_
        # DURING_LOCKOUT is off) and not signalled again: user_locked_out means a lock has begun.
        if request is not None and getattr(request, "axes_locked_out", False):
            request.axes_credentials = credentials
            return
        super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # On success, only this account's failures from this address are cleared. Axes would clear
        # the address's count too, and a sprayer holding one working account could reset it.
        [(_, own_failures), _] = self._attempts(request, credentials)
        deleted, _ = own_failures.delete()
        return deleted

    def lock_ends(self, request, credentials=None) -> datetime | None:
        """When the lock noted on the request ends (tries while it holds do not extend it)."""
        lock = getattr(request, "axes_lock", None)
        if lock is None:
            return None
        attempts = dict(self._attempts(request, credentials))[lock]
        # A lock holds while the failures inside the cool-off reach its limit. An attempt row
        # leaves the cool-off whole, its latest failure's cool-off after, oldest row first: the
        # lock ends with the row that brings the newest rows' failures up to the limit.
        total = 0
        for failures, latest in attempts.order_by("-attempt_time").values_list(
            "failures_since_start", "attempt_time"
        ):
            total += failures
            if total >= failure_limit(lock):
                return latest + settings.AXES_COOLOFF_TIME
        return None

    def _attempts(self, request, credentials) -> list[tuple[Lock, QuerySet]]:
        return list(zip(Lock, self.get_user_attempts(request, credentials), strict=True))


def lockout_response(request: HttpRequest, original_response, credentials: dict | None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page saying which lock holds, until when, and what to do."""
    ends = LockoutHandler().lock_ends(request, credentials)
    context = {
        "lock": getattr(request, "axes_lock", None),
        "username": (credentials or {}).get("username", ""),
        "address": request.axes_ip_address,  # type: ignore[attr-defined]  # set by axes' middleware
        "ends": ends,
        "minutes": max(1, ceil((ends - timezone.now()).total_seconds() / 60)) if ends else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
