"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
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
)
