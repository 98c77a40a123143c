"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Case folders",
        "cases:list",
        ("cases.view_case", "reads.view_read"),
        "Reads gathered for an investigation, shared with named colleagues, exported as evidence.",
    ),
)
