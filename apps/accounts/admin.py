from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Staff", {"fields": ("staff_number",)}))
    list_display = ("username", "first_name", "last_name", "staff_number", "is_active")
