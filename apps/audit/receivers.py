"""Sign-in events from Django and django-axes, written to the audit trail as they happen."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

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
    # Sent once, as a lock begins; the lockout handler (AXES_HANDLER) notes on the request which
    # lock it is: "account" (this username from this address) or "address" (every username).
    security_event_record(
        kind=SecurityEvent.Kind.LOCKOUT,
        username=username or "",
        request=request,
        detail={"lock": str(getattr(request, "axes_lock", "") or "")},
    )
