from django.contrib import admin

from .models import SearchAudit, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only and the database refuses changes anyway."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "actor", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "actor"]


@admin.register(SearchAudit)
class SearchAuditAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "reference", "vrm", "result_count"]
    list_filter = ["kind", "via"]
    search_fields = ["username", "reference", "vrm"]
