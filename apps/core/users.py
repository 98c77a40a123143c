"""The user services and selectors act for: one type for every app's `user` and `actor`.

`User` is the project's user model (AUTH_USER_MODEL, `accounts.User`), named without importing
the accounts app, which sits above core. django-stubs gives that model a placeholder, `_User`,
which its mypy plugin resolves to AUTH_USER_MODEL; the same placeholder types `request.user`
(Django's and DRF's) as `User | AnonymousUser`. `acting_user` turns the one into the other.

A `type` statement is evaluated lazily, so the placeholder, which exists only in the stubs, is
never looked up when the program runs.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

type User = _User


def acting_user(user: User | AnonymousUser) -> User:
    """`request.user` as the user a view acts for. Only a signed-in user reaches a view that is
    not public, and every API view (apps/accounts/access.py): an anonymous one here is refused,
    never handed to a service."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
