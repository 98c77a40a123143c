"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Search reads",
        "reads:search",
        ("reads.view_read",),
        "Find reads by plate or pattern, time, camera and area, within your access window.",
    ),
    Section(
        "Vehicle history",
        "reads:history",
        ("reads.view_read",),
        "Every read of one plate you may see, as a timeline and on the map.",
    ),
    Section(
        "Convoy",
        "reads:convoy",
        ("reads.view_read",),
        "Vehicles travelling with one: seen at the same cameras, close in time.",
    ),
    Section(
        "At the scenes",
        "reads:scenes",
        ("reads.view_read",),
        "Vehicles seen at several places, each at its own time: two to five scenes.",
    ),
    Section(
        "Back-load reads",
        "reads:back_load",
        ("reads.add_read",),
        "Upload a CSV of reads from a camera's own store.",
    ),
)
