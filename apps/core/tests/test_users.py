"""`acting_user`: the user a view hands to services, never an anonymous one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from apps.core.users import acting_user


def test_a_signed_in_user_is_the_user_acted_for():
    officer = get_user_model()(username="officer")
    assert acting_user(officer) is officer


def test_an_anonymous_user_is_refused():
    with pytest.raises(PermissionDenied):
        acting_user(AnonymousUser())
