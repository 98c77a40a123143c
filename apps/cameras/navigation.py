"""The portal sections this app offers; the portal places them in its menu (apps/portal/navigation.py)."""

from apps.core.navigation import Section

SECTIONS = (
    Section(
        "Cameras",
        "cameras:list",
        ("cameras.view_camera",),
        "The camera registry: codes, areas and status.",
    ),
    Section(
        "Camera map",
        "cameras:map",
        ("cameras.view_camera_location",),
        "Where cameras are. Restricted: camera locations are not to be disclosed.",
    ),
    Section(
        "Camera accounts",
        "cameras:accounts",
        ("accounts.view_user", "cameras.view_camera"),
        "Machine accounts of cameras and gateways, the cameras each may post for, and their tokens.",
    ),
)
