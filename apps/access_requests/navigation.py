"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
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
        "Extended access report",
        "access_requests:report",
        ("access_requests.report_accessrequest",),
        "Searches made under access requests, per user and per request.",
    ),
)
