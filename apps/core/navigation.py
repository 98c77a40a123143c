"""A portal section, as each app declares its own in its `navigation.py` (SECTIONS); the portal
(apps/portal/navigation.py) assembles them into the menu and each role's home page."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One entry of the menu and the home page, shown to users holding every one of `permissions`."""

    label: str
    url_name: str
    permissions: tuple[str, ...]
    summary: str
