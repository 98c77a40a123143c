"""The portal's sections: the navigation and each role's home page, assembled from the sections
each app declares in its own `navigation.py` (SECTIONS of apps.core.navigation.Section).

The portal decides only the order (MENU_ORDER, by URL name); a section it does not name yet
follows the named ones, in app order. A user sees only the sections whose permissions they hold.
"""

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import reverse

from apps.accounts.access import may_work
from apps.core.navigation import Section

MENU_ORDER = (
    "hotlists:alerts",
    "reads:search",
    "reads:history",
    "reads:convoy",
    "reads:scenes",
    "cases:list",
    "recognition:list",
    "access_requests:mine",
    "access_requests:queue",
    "hotlists:list",
    "cameras:list",
    "assessments:list",
    "assessments:reviews",
    "cameras:map",
    "reads:back_load",
    "audit:jobs",
    "audit:searches",
    "audit:change_log",
    "misuse:flags",
    "access_requests:report",
    "audit:security_events",
    "accounts:user_list",
    "cameras:accounts",
)


@cache
def all_sections() -> tuple[Section, ...]:
    """Every app's declared sections, in menu order."""
    declared = [
        section
        for config in apps.get_app_configs()
        if config.name.startswith("apps.")
        and config.name != __package__
        and find_spec(f"{config.name}.navigation")
        for section in import_module(f"{config.name}.navigation").SECTIONS
    ]
    place = {url_name: index for index, url_name in enumerate(MENU_ORDER)}
    return tuple(sorted(declared, key=lambda s: place.get(s.url_name, len(MENU_ORDER))))


def sections_for(user) -> list[dict]:
    """The sections this user may open, with their URLs, in menu order."""
    if not may_work(user):
        return []
    return [
        {"label": s.label, "url": reverse(s.url_name), "summary": s.summary, "url_name": s.url_name}
        for s in all_sections()
        if user.has_perms(s.permissions)
    ]


def navigation(request) -> dict:
    """Template context processor: the current user's sections, and whether to show the menu."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_sections": [], "portal_chrome": False}
    return {"nav_sections": sections_for(user), "portal_chrome": may_work(user)}
