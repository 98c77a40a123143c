"""Reads of accounts."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import User


def users_for_administration() -> QuerySet[User]:
    return User.objects.prefetch_related("groups", "totpdevice_set").order_by("username")


def locked_usernames() -> set[str]:
    """Usernames locked out now by repeated failed sign-ins."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )
