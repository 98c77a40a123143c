from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are made and passwords set in the portal only (apps/accounts/services.py,
    passwords.py): there a new holder must choose their own password, a change ends the account's
    tokens and is recorded. The admin site's own forms would do none of that."""

    # The stubs allow UserAdmin.fieldsets to be None; Django's is a tuple.
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Staff", {"fields": ("staff_number",)}))  # type: ignore[misc]
    list_display = ("username", "first_name", "last_name", "staff_number", "is_active")

    def has_add_permission(self, request):
        return False

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Passwords are set in the portal: the holder's own page, or a reset link.")
