"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Alerts",
        "hotlists:alerts",
        ("hotlists.view_alert",),
        "Live hotlist hits: what was seen, where, and what to do.",
    ),
    Section(
        "Hotlists",
        "hotlists:list",
        ("hotlists.view_hotlist",),
        "Vehicles of interest: lists, entries and imports.",
    ),
)
