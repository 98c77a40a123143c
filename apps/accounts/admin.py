from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # The stubs allow UserAdmin.fieldsets to be None; Django's is a tuple.
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Staff", {"fields": ("staff_number",)}))  # type: ignore[misc]
    list_display = ("username", "first_name", "last_name", "staff_number", "is_active")
