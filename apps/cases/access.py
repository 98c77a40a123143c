"""Who may open a case folder: the one place it is decided.

Its owner and the colleagues it is shared with, each holding the object permission `open_case` on
it (django-guardian), and only while they may search reads: a folder's contents are reads. No role
opens every folder, and neither does a superuser: a folder is shared by name or not at all.
"""

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from apps.core.users import User

from .models import OPEN, Case

OPEN_PERMISSION = f"cases.{OPEN}"
HOLDS_FOLDERS = ("cases.view_case", "reads.view_read")


def may_hold_folders(user: User) -> bool:
    """Whether this person may keep case folders, or be named on another's."""
    return user.is_active and user.has_perms(HOLDS_FOLDERS)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The folders this person may open: their own, and those shared with them by name."""
    if not may_hold_folders(user):
        return Case.objects.none()
    return get_objects_for_user(
        user, OPEN_PERMISSION, klass=Case, accept_global_perms=False, with_superuser=False
    ).select_related("owner")
