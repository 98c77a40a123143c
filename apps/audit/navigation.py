"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
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
        "Sign-in audit",
        "audit:security_events",
        ("audit.view_securityevent",),
        "Sign-ins, failed attempts, lockouts, sign-outs and account changes.",
    ),
)
