"""The one rule for locations: where cameras stand, and where a read was taken.

The registry is not disclosed: which cameras there are and where each stands (its name, road,
direction and exact position) only to holders of view_camera_location (planners,
administrators); everyone else sees a camera's code, kind, status and area. Camera pages, the
registry map, assessments and the change log all ask here.

A read is another matter. One that a user reached through an audited path (a search, vehicle
history, an export, an opened read, an opened alert) was recorded against a purpose and a
reference before it left, and a read without the place it was taken is of little use to the
officer who needed it. So every read reached carries where it was taken (where_read_was_taken),
while its camera is still shown only as camera_as_disclosed allows.
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
    """Whether the registry's locations are disclosed to this user."""
    return user.has_perm(LOCATION_PERMISSION)


def camera_as_disclosed(camera, user) -> dict:
    """The camera's details this user may see."""
    shown = {"code": camera.code, "kind": camera.kind, "status": camera.status, "area": camera.area}
    if may_see_locations(user):
        shown |= {field: getattr(camera, field) for field in LOCATION_FIELDS}
    return shown


def where_read_was_taken(read) -> tuple[float, float] | None:
    """Where this read was taken (its own position from a vehicle-mounted camera, else its
    camera's: Read.position), for whoever reached it: asked only of a read that came through the
    read store's audited selectors, whose record of that look is what lets the place go with it.
    A fixed camera's position can be learned this way, one audited read at a time; the registry
    (every camera, named, on its road) cannot. None when the place is not known."""
    return read.position
