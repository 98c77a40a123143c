"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Video recognition",
        "recognition:list",
        ("recognition.add_videojob",),
        "Upload dash-cam, fixed-camera or phone footage; every plate found becomes a read.",
    ),
)
