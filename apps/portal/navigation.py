"""The portal's sections: one list that builds both the navigation and each role's home page.

Each later app adds its sections here; a user sees only the sections whose permissions they hold.
"""

from dataclasses import dataclass

from django.urls import reverse

from apps.accounts.access import is_verified_staff


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    permissions: tuple[str, ...]
    summary: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "Alerts",
        "hotlists:alerts",
        ("hotlists.view_alert",),
        "Live hotlist hits: what was seen, where, and what to do.",
    ),
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
        "Video recognition",
        "recognition:list",
        ("recognition.add_videojob",),
        "Upload dash-cam, fixed-camera or phone footage; every plate found becomes a read.",
    ),
    Section(
        "Access requests",
        "access_requests:mine",
        ("access_requests.add_accessrequest",),
        "Ask to search reads older than the standard window for an investigation.",
    ),
    Section(
        "Requests to decide",
        "access_requests:queue",
        ("access_requests.decide_accessrequest",),
        "Approve, narrow, refuse or revoke extended access.",
    ),
    Section(
        "Hotlists",
        "hotlists:list",
        ("hotlists.view_hotlist",),
        "Vehicles of interest: lists, entries and imports.",
    ),
    Section(
        "Cameras",
        "cameras:list",
        ("cameras.view_camera",),
        "The camera registry: codes, areas and status.",
    ),
    Section(
        "Assessments",
        "assessments:list",
        ("assessments.view_assessment",),
        "Deployment and privacy impact assessments: drafts, decisions, and the cameras they put live.",
    ),
    Section(
        "Camera reviews",
        "assessments:reviews",
        ("assessments.add_review",),
        "Live cameras whose yearly review is due or overdue.",
    ),
    Section(
        "Camera map",
        "cameras:map",
        ("cameras.view_camera_location",),
        "Where cameras are. Restricted: camera locations are not to be disclosed.",
    ),
    Section(
        "Back-load reads",
        "reads:back_load",
        ("reads.add_read",),
        "Upload a CSV of reads from a camera's own store.",
    ),
    Section(
        "Retention and jobs",
        "audit:jobs",
        ("audit.view_jobrun",),
        "Scheduled jobs (retention, national export, expiry, reminders): last run, outcome, next run.",
    ),
    Section(
        "Search audit",
        "audit:searches",
        ("audit.view_searchaudit",),
        "Every search, export and opened read: who, why, under which reference, and how many results.",
    ),
    Section(
        "Change log",
        "audit:change_log",
        ("audit.view_searchaudit", "auditlog.view_logentry"),
        "Who changed which record, when, and from what to what: cameras, hotlists, accounts, assessments.",
    ),
    Section(
        "Misuse flags",
        "misuse:flags",
        ("audit.view_searchaudit",),
        "Patterns in the audit trail worth a look: repeated plates, sprees, refusals, scope, hours.",
    ),
    Section(
        "Extended access report",
        "access_requests:report",
        ("access_requests.report_accessrequest",),
        "Searches made under access requests, per user and per request.",
    ),
    Section(
        "Sign-in audit",
        "audit:security_events",
        ("audit.view_securityevent",),
        "Sign-ins, failed attempts, lockouts, sign-outs and account changes.",
    ),
    Section(
        "Users and roles",
        "accounts:user_list",
        ("accounts.view_user",),
        "Create accounts, assign roles, reset second factors and unlock accounts.",
    ),
    Section(
        "Camera accounts",
        "cameras:accounts",
        ("accounts.view_user", "cameras.view_camera"),
        "Machine accounts of cameras and gateways, the cameras each may post for, and their tokens.",
    ),
)


def sections_for(user) -> list[dict]:
    """The sections this user may open, with their URLs, in menu order."""
    if not is_verified_staff(user):
        return []
    return [
        {"label": s.label, "url": reverse(s.url_name), "summary": s.summary, "url_name": s.url_name}
        for s in SECTIONS
        if user.has_perms(s.permissions)
    ]


def navigation(request) -> dict:
    """Template context processor: the current user's sections, and whether to show the menu."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_sections": [], "portal_chrome": False}
    return {"nav_sections": sections_for(user), "portal_chrome": is_verified_staff(user)}
