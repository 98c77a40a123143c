"""The role groups exist with their exact names and get exactly the permissions roles.py grants."""

import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import ROLE_PERMISSIONS, ROLES, sync_role_permissions

pytestmark = pytest.mark.django_db


def granted(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_six_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "officer",
        "supervisor",
        "planner",
        "auditor",
        "administrator",
        "camera",
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_exactly_what_roles_py_grants(role):
    assert granted(role) == set(ROLE_PERMISSIONS[role])


def test_sync_removes_a_permission_granted_by_hand():
    from django.contrib.auth.models import Permission

    officer = Group.objects.get(name="officer")
    officer.permissions.add(Permission.objects.get(codename="view_securityevent"))
    sync_role_permissions()
    assert "audit.view_securityevent" not in granted("officer")


def test_sync_recreates_a_deleted_role():
    Group.objects.filter(name="auditor").delete()
    sync_role_permissions()
    assert granted("auditor") == set(ROLE_PERMISSIONS["auditor"])


def test_no_guardian_anonymous_account_is_created():
    from apps.accounts.models import User

    assert not User.objects.filter(username="AnonymousUser").exists()
