"""Every change to accounts: keyword-only, atomic, and written to the audit trail."""

from base64 import b32encode

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import SecurityEvent
from apps.audit.services import security_event_record

from .models import User
from .roles import ADMINISTRATOR, ROLES
from .selectors import administrator_bootstrap_refusal
from .tokens import api_tokens_revoke_all


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: list[str],
    actor: User | None,
    password_change_required: bool,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    staff_number: str = "",
    request: HttpRequest | None = None,
) -> tuple[User, str | None]:
    """Create an account with its roles; staff also get a TOTP secret, returned once (base32).

    `password_change_required`: the password is someone else's choice (an administrator's), so
    its holder must choose their own at the first sign-in (apps/accounts/access.py).
    """
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        staff_number=staff_number,
        password_change_required=password_change_required,
    )
    user.groups.set(_role_groups(roles))
    secret = second_factor_issue(user=user) if user.has_portal_access else None
    _record(user, actor, request, action="created", roles=sorted(roles))
    return user, secret


@transaction.atomic
def administrator_bootstrap(
    *, username: str, password: str, operator: str, operator_reported: dict[str, str | int | None]
) -> tuple[User, str]:
    """Make the force's first administrator, from the server (`manage.py bootstrap_admin`), with a
    confirmed TOTP device; return the account and its secret (base32), shown once.

    Refused (ValidationError) once any administrator exists or the username is taken. `operator`
    is who ran it on the server, for the audit trail: no one is signed in to answer for it.
    `operator_reported` is what the server said of them (user name, uid, SUDO_USER, host),
    recorded as such: names from the environment are whatever the one who ran it set.
    """
    # Locking the role's group makes a second bootstrap wait for the first and then be refused.
    try:
        Group.objects.select_for_update().get(name=ADMINISTRATOR)
    except Group.DoesNotExist as missing:
        raise ValidationError("No administrator role yet: run `manage.py migrate` first.") from missing
    refusal = administrator_bootstrap_refusal(username=username)
    if refusal:
        raise ValidationError(refusal)
    # Typed on the server, perhaps by someone other than its holder, and seen by whoever stood by.
    user, secret = user_create(
        username=username, password=password, roles=[ADMINISTRATOR], actor=None, password_change_required=True
    )
    security_event_record(
        kind=SecurityEvent.Kind.ADMIN_BOOTSTRAP,
        username=username,
        actor=operator,
        detail={
            "action": "first administrator created",
            "via": "manage.py bootstrap_admin",
            "roles": [ADMINISTRATOR],
            "operator_reported_by_server_not_authoritative": operator_reported,
        },
    )
    assert secret is not None  # an administrator has portal access, so a TOTP secret
    return user, secret


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str], actor: User, request: HttpRequest | None = None) -> None:
    """Replace the account's roles; open sessions and API tokens end, so new rights apply from the
    next sign-in or token."""
    before = user.role_names
    user.groups.set(_role_groups(roles))
    sessions_end(user=user)
    api_tokens_revoke_all(user=user, actor=actor, reason="roles changed", request=request)
    _record(user, actor, request, action="roles changed", before=before, after=sorted(roles))


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User, request: HttpRequest | None = None) -> None:
    """Enable or disable an account; disabling also ends its open sessions and API tokens."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end(user=user)
        api_tokens_revoke_all(user=user, actor=actor, reason="account disabled", request=request)
    _record(user, actor, request, action="enabled" if active else "disabled")


@transaction.atomic
def user_reset_second_factor(*, user: User, actor: User, request: HttpRequest | None = None) -> str:
    """Replace the account's TOTP secret (its sessions and tokens end); the new one is returned
    once (base32)."""
    secret = second_factor_issue(user=user)
    sessions_end(user=user)
    api_tokens_revoke_all(user=user, actor=actor, reason="second factor reset", request=request)
    _record(user, actor, request, action="second factor reset")
    return secret


@transaction.atomic
def user_unlock(*, user: User, actor: User, request: HttpRequest | None = None) -> None:
    """Clear the account's failed sign-ins from every address, which ends its account locks."""
    removed = axes_reset(username=user.username)
    _record(user, actor, request, action="unlocked", failed_attempts_cleared=removed)


@transaction.atomic
def address_unlock(*, address: str, user: User, actor: User, request: HttpRequest | None = None) -> None:
    """End an address lock met by this account: every account's failed sign-ins from the address go.

    Whoever set it off there may try again, so it is a choice apart from unlocking the account.
    """
    removed = axes_reset(ip=address)
    _record(user, actor, request, action="address unlocked", address=address, failed_attempts_cleared=removed)


def second_factor_issue(*, user: User) -> str:
    """Give the account a fresh, confirmed TOTP device (replacing any) and return its secret."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return b32encode(device.bin_key).decode()


def sessions_end(*, user: User, keep: str | None = None) -> None:
    """End the account's open sessions (signing it out everywhere), but the one keyed `keep`."""
    # Sessions are signed blobs, so find this user's by decoding the live ones.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def _role_groups(roles: list[str]) -> list[Group]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    return list(Group.objects.filter(name__in=roles))


def _record(
    user: User, actor: User | None, request: HttpRequest | None, *, action: str, **detail: object
) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGE,
        username=user.username,
        actor=actor.username if actor else "system",
        request=request,
        detail={"action": action, **detail},
    )


def sessions_clear_expired() -> None:
    """Remove sessions past their expiry (the idle timeout) from the database."""
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
