"""Who may reach what. Deny by default, for portal pages and API endpoints alike.

Every portal view declares its policy with `@public`, `@signed_in`, `@requires(...)` or, for an
endpoint a machine polls, `@bearer_token_or(...)`; the middleware refuses any view that declares
none. Every API view declares `required_permissions`; `DeclaredPermission` refuses any view that
declares none.
The Django admin keeps its own checks (staff, verified second factor).

Someone signed in with a password an administrator chose (`password_change_required`) reaches
only the page where they choose their own (`@choosing_password`) and the public pages, in the
portal, the admin site and the API alike, until they have. API tokens are unaffected: only a
holder signed in to the portal is issued one, so no such account holds one.
"""

import hmac
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

PUBLIC = "public"
SIGNED_IN = "signed-in"
CHOOSING_PASSWORD = "choosing-password"  # noqa: S105  (a policy's name, not a password)
STAFF = "staff"
# A bearer token shorter than this is guessable: it opens nothing (and `check --deploy` fails).
BEARER_TOKEN_MIN_LENGTH = 32
CHOOSE_PASSWORD_URL = "accounts:password_change"  # noqa: S105  (a URL name)
log = logging.getLogger(__name__)


def public(view: Callable) -> Callable:
    """Anyone may open this page, signed in or not (sign-in itself, the health check)."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]  # a mark on the function
    return view


def signed_in(view: Callable) -> Callable:
    """Any member of staff who has signed in with both factors."""
    view.access_policy = SIGNED_IN  # type: ignore[attr-defined]  # a mark on the function
    return view


def choosing_password(view: Callable) -> Callable:
    """Like `signed_in`, and open also to someone who must first choose their own password."""
    view.access_policy = CHOOSING_PASSWORD  # type: ignore[attr-defined]  # a mark on the function
    return view


def requires(*permissions: str) -> Callable[[Callable], Callable]:
    """Staff who have signed in with both factors and hold every one of these permissions."""

    def decorate(view: Callable) -> Callable:
        view.access_policy = tuple(permissions)  # type: ignore[attr-defined]  # a mark on the function
        return view

    return decorate


@dataclass(frozen=True)
class BearerTokenOr:
    """The policy `bearer_token_or` declares."""

    token_setting: str
    permissions: tuple[str, ...]


def bearer_token_or(token_setting: str, *permissions: str) -> Callable[[Callable], Callable]:
    """A machine sending `Authorization: Bearer <the token in this setting>` (nobody while the
    setting is empty or too short), or staff signed in with both factors holding every one of
    these permissions. Only for endpoints that carry no read data, like the metrics a monitoring
    server scrapes."""

    def decorate(view: Callable) -> Callable:
        view.access_policy = BearerTokenOr(token_setting, tuple(permissions))  # type: ignore[attr-defined]
        return view

    return decorate


def presents_token(request, token_setting: str) -> bool:
    """Whether the request carries the configured bearer token; an empty setting matches nothing.
    Compared in constant time, so response times say nothing about how much of a guess was right."""
    expected = configured_token(token_setting)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def configured_token(token_setting: str) -> str:
    """The token in this setting, or "" (none) if it is shorter than BEARER_TOKEN_MIN_LENGTH: a
    token short enough to guess is treated as unset, and logged once per process."""
    token = getattr(settings, token_setting, "")
    if not token or len(token) >= BEARER_TOKEN_MIN_LENGTH:
        return token
    if token_setting not in _short_tokens_reported:
        _short_tokens_reported.add(token_setting)
        log.error(
            "%s is shorter than %d characters, so no token opens its endpoint; make one with "
            "`openssl rand -hex 32`",
            token_setting,
            BEARER_TOKEN_MIN_LENGTH,
        )
    return ""


_short_tokens_reported: set[str] = set()


def policy_of(view_func: Callable) -> Any:
    """The policy a view declared, on the function or on its class; None when it declared none."""
    policy = getattr(view_func, "access_policy", None)
    if policy is None and hasattr(view_func, "view_class"):
        policy = getattr(view_func.view_class, "access_policy", None)
    return policy


def is_api_view(view_func: Callable) -> bool:
    # DRF's as_view() (APIView and viewsets alike) marks the view function with `cls`.
    return hasattr(view_func, "cls")


def is_admin_view(request) -> bool:
    match = request.resolver_match
    return match is not None and match.app_name == "admin"


def is_verified_staff(user) -> bool:
    """Signed in, second factor verified this session, and not a machine account."""
    return user.is_authenticated and getattr(user, "is_verified", lambda: False)() and user.has_portal_access


def must_choose_password(user) -> bool:
    """Verified staff still holding a password someone else chose: nothing opens to them but the
    page where they choose their own."""
    return is_verified_staff(user) and user.password_change_required


def may_work(user) -> bool:
    """Verified staff free to use the portal and the API: no password still to choose."""
    return is_verified_staff(user) and not user.password_change_required


class AccessPolicyMiddleware:
    """Applies each portal view's declared policy; a view without one is refused."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_view(view_func):
            return None  # DRF enforces its own, stricter checks (VerifiedSessionAuthentication).
        policy = policy_of(view_func)
        if must_choose_password(request.user) and policy not in {PUBLIC, CHOOSING_PASSWORD}:
            return redirect(CHOOSE_PASSWORD_URL)
        if is_admin_view(request):
            return None  # the admin site enforces its own, stricter checks
        if policy is None:
            raise PermissionDenied("This page declares no access policy.")
        if isinstance(policy, BearerTokenOr):
            if presents_token(request, policy.token_setting):
                return None
            if not is_verified_staff(request.user):
                return _bearer_challenge()  # a scraper is told what to send, not sent to sign in
            policy = policy.permissions
        if policy == PUBLIC:
            return None
        if not is_verified_staff(request.user):
            if request.user.is_authenticated and request.user.is_verified():
                raise PermissionDenied("Machine accounts cannot use the portal.")
            return redirect_to_login(request.get_full_path())
        if policy not in {SIGNED_IN, CHOOSING_PASSWORD} and not request.user.has_perms(policy):
            raise PermissionDenied("Your roles do not allow this page.")
        return None


def _bearer_challenge() -> HttpResponse:
    response = HttpResponse(
        "Send the token: Authorization: Bearer <token>.\n", status=401, content_type="text/plain"
    )
    response["WWW-Authenticate"] = 'Bearer realm="anpr"'
    return response


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session counts for the API only once its second factor is verified and its
    holder has chosen their own password."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not may_work(result[0]):
            return None
        return result


class DeclaredPermission(BasePermission):
    """Deny by default: an API view names the permissions each HTTP method needs.

    `required_permissions` maps a method (or "*") to a tuple of permissions, to SIGNED_IN for
    any authenticated caller, to STAFF for any but a machine account, or to PUBLIC for anyone,
    signed in or not. A method it does not name is refused.
    """

    def has_permission(self, request, view) -> bool:
        declared: dict[str, Iterable[str] | str] = getattr(view, "required_permissions", {})
        needed = declared.get(request.method, declared.get("*"))
        if request.method == "OPTIONS" and needed is None:
            needed = declared.get("GET")
        if needed == PUBLIC:
            return True  # declared open to anyone, like the transparency report
        if needed is None and PUBLIC in declared.values() and request.method not in view.allowed_methods:
            return True  # a method an open view does not serve: DRF answers 405, to anyone
        if not request.user or not request.user.is_authenticated:
            return False
        if needed is None:
            return False
        if needed == SIGNED_IN:
            return True
        if needed == STAFF:
            return request.user.has_portal_access
        return request.user.has_perms(tuple(needed))
