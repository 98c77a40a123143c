"""Sign-in events from Django and django-axes, written to the audit trail as they happen."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .models import SecurityEvent
from .services import security_event_record


@receiver(user_logged_in, dispatch_uid="audit.login")
def on_login(sender, request, user, **kwargs) -> None:
    security_event_record(kind=SecurityEvent.Kind.LOGIN, username=user.get_username(), request=request)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_event_record(kind=SecurityEvent.Kind.LOGOUT, username=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    reason = (
        "locked out"
        if getattr(request, "axes_locked_out", False)
        else credentials.get("reason", "wrong username or password")
    )
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        username=credentials.get("username", ""),
        request=request,
        detail={"reason": reason},
    )


@receiver(user_locked_out, dispatch_uid="audit.lockout")
def on_lockout(sender, request, username, ip_address, **kwargs) -> None:
    # Axes signals again on every attempt while locked; the trail wants one row per lockout.
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    latest = (
        SecurityEvent.objects.filter(username=username or "", at__gte=since)
        .exclude(kind=SecurityEvent.Kind.LOGIN_FAILED)
        .first()
    )
    if latest is None or latest.kind != SecurityEvent.Kind.LOCKOUT:
        security_event_record(kind=SecurityEvent.Kind.LOCKOUT, username=username or "", request=request)
