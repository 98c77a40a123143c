"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Misuse flags",
        "misuse:flags",
        ("audit.view_searchaudit",),
        "Patterns in the audit trail worth a look: repeated plates, sprees, refusals, scope, hours.",
    ),
)
