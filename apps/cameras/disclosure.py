"""The one rule for camera locations: exact positions only for holders of view_camera_location.

Pages, the API and exports all ask here; everyone else sees a camera's code and area only.
"""

LOCATION_PERMISSION = "cameras.view_camera_location"
LOCATION_FIELDS = ("name", "latitude", "longitude", "road", "direction")
# Where else a camera's position is held, by model ("app_label.model"): the change log withholds
# these fields' values from those without the permission, as the pages do.
POSITION_FIELDS = {
    "cameras.camera": LOCATION_FIELDS,
    "assessments.assessment": ("latitude", "longitude"),
    "recognition.videojob": ("latitude", "longitude"),
}


def may_see_locations(user) -> bool:
    return user.has_perm(LOCATION_PERMISSION)


def camera_as_disclosed(camera, user) -> dict:
    """The camera's details this user may see."""
    shown = {"code": camera.code, "kind": camera.kind, "status": camera.status, "area": camera.area}
    if may_see_locations(user):
        shown |= {field: getattr(camera, field) for field in LOCATION_FIELDS}
    return shown
