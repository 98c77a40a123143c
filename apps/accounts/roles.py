"""The roles (groups) and what each may do: the one place that grants permissions to roles.

Permissions are named "app_label.codename". A permission of an app that is not installed
yet is skipped, so each later app only has to add its names here.
"""

from django.contrib.auth.models import Group, Permission

OFFICER = "officer"
SUPERVISOR = "supervisor"
PLANNER = "planner"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"
CAMERA = "camera"

ROLES = (OFFICER, SUPERVISOR, PLANNER, AUDITOR, ADMINISTRATOR, CAMERA)
PORTAL_ROLES = (OFFICER, SUPERVISOR, PLANNER, AUDITOR, ADMINISTRATOR)

SEARCH_READS = frozenset({"reads.view_read", "reads.export_read", "cameras.view_camera"})
ON_PATROL = frozenset({"hotlists.view_hotlist", "hotlists.view_alert", "hotlists.change_alert"})
REQUEST_ACCESS = frozenset({"access_requests.add_accessrequest", "access_requests.view_accessrequest"})
CASE_FOLDERS = frozenset({"cases.view_case", "cases.add_case"})
RECOGNISE_VIDEO = frozenset({"recognition.add_videojob", "recognition.view_videojob"})
ASSESS_CAMERAS = frozenset(
    {"assessments.view_assessment", "assessments.add_assessment", "assessments.add_review"}
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    OFFICER: SEARCH_READS | ON_PATROL | REQUEST_ACCESS | RECOGNISE_VIDEO | CASE_FOLDERS,
    SUPERVISOR: SEARCH_READS
    | CASE_FOLDERS
    | ON_PATROL
    | REQUEST_ACCESS
    | RECOGNISE_VIDEO
    | {
        "access_requests.decide_accessrequest",
        "assessments.view_assessment",
        "assessments.approve_assessment",
    },
    PLANNER: ASSESS_CAMERAS | {"cameras.view_camera", "cameras.view_camera_location"},
    AUDITOR: frozenset(
        {
            "audit.view_securityevent",
            "audit.view_searchaudit",
            "access_requests.view_accessrequest",
            "access_requests.report_accessrequest",
            "auditlog.view_logentry",
            "cameras.view_camera",
            "assessments.view_assessment",
            "audit.view_jobrun",
        }
    ),
    ADMINISTRATOR: frozenset(
        {
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "cameras.view_camera",
            "cameras.view_camera_location",
            "cameras.add_camera",
            "cameras.change_camera",
            "reads.add_read",
            "hotlists.view_hotlist",
            "hotlists.add_hotlist",
            "hotlists.change_hotlist",
            "audit.view_jobrun",
            "observability.view_metrics",
        }
    ),
    # Machine accounts: submit reads, nothing else.
    CAMERA: frozenset({"reads.add_read"}),
}


def sync_role_permissions() -> None:
    """Create any missing role group and give each exactly the permissions granted above."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_existing_permissions(ROLE_PERMISSIONS[role]))


def sync_on_migrate(**kwargs) -> None:
    sync_role_permissions()


def _existing_permissions(names: frozenset[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    return [
        permission
        for permission in Permission.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
