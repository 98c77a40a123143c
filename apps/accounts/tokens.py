"""API tokens: issued, authenticated, listed and revoked. Every issue and end is audited.

django-rest-knox keeps only a hash of each token. A staff member's token is issued to them
once they have signed in with both factors (their own account page) and lasts a working day
(STAFF_TOKEN_LIFETIME); a machine account's token (camera, gateway) is issued by an
administrator, in the portal or with `manage.py create_api_token`, and lasts
MACHINE_TOKEN_LIFETIME. The token itself is shown once, when issued.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.signals import token_expired

from apps.audit.models import SecurityEvent
from apps.audit.services import security_event_record

from .models import ApiToken, User

# A token's last use is written at most this often, not on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`; records when each token was last used."""

    def validate_user(self, auth_token: ApiToken):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    actor: User | None,
    label: str = "",
    lifetime: timedelta | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its secret, which is never stored or shown again."""
    if lifetime is None:
        lifetime = (
            settings.STAFF_TOKEN_LIFETIME if user.has_portal_access else settings.MACHINE_TOKEN_LIFETIME
        )
    issuer = actor.get_username() if actor else "system"
    token, secret = ApiToken.objects.create(user=user, expiry=lifetime, label=label[:100], issued_by=issuer)
    _record(token, "issued", issuer, request, expires=token.expiry.isoformat())
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request: HttpRequest | None = None) -> None:
    """End a token now."""
    _record(token, "revoked", actor.get_username(), request)
    token.delete()


def api_tokens_revoke_all(
    *, user: User, actor: User | None, reason: str, request: HttpRequest | None = None
) -> int:
    """End every token of the account (disabled, roles changed, second factor reset)."""
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        _record(token, "revoked", actor.get_username() if actor else "system", request, reason=reason)
        token.delete()
    return len(tokens)


def tokens_of(user: User):
    """The account's tokens still in force, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())


@receiver(token_expired, dispatch_uid="accounts.token_expired")
def on_token_expired(sender, username: str, source: str, **kwargs) -> None:
    # knox removes an expired token when its holder next calls; the trail notes the end.
    security_event_record(
        kind=SecurityEvent.Kind.API_TOKEN, username=username, actor="system", detail={"action": "expired"}
    )


def _record(token: ApiToken, action: str, actor: str, request: HttpRequest | None, **detail) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.API_TOKEN,
        username=token.user.get_username(),
        actor=actor,
        request=request,
        detail={"action": action, "token": token.token_key[:12], "label": token.label, **detail},
    )
