"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Users and roles",
        "accounts:user_list",
        ("accounts.view_user",),
        "Create accounts, assign roles, reset second factors and unlock accounts.",
    ),
)
