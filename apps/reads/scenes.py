"""At the scenes: the vehicles seen at two to five places, each within its own stretch of time
(a place and a time: a scene), in all of them or in at least some number of them.

Each scene is a search without a plate (cameras, an area, or a place drawn on the map, and at
most a day), so each is bounded as any such search is. The plates of each scene are found
first and compared; only the vehicles seen at enough scenes have their sightings fetched. The
reads come from querysets the selector scoped to the user's access window
(apps/reads/selectors.py `scenes_search`), so a read outside it is neither counted nor shown.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from apps.cameras.models import Camera

from .models import Read

MIN_SCENES, MAX_SCENES = 2, 5
SCENES_LIMIT = 100  # vehicles shown, those at the most scenes first


@dataclass(frozen=True)
class Sighting:
    scene: int  # its place in the order the scenes were given, from 1
    read_id: int
    seen_at: datetime
    camera_id: int


@dataclass(frozen=True)
class Vehicle:
    vrm: str
    sightings: tuple[Sighting, ...]  # in time order

    @property
    def scenes(self) -> list[int]:
        return sorted({sighting.scene for sighting in self.sightings})


def at_least_from(given: object, scenes: int) -> int:
    """How many of the scenes a vehicle must be seen at: all unless given; ValueError says why not."""
    if given in (None, ""):
        return scenes
    if isinstance(given, bool) or not str(given).isdigit():
        raise ValueError("Give a whole number of scenes.")
    most = max(scenes, MIN_SCENES)
    if not MIN_SCENES <= int(str(given)) <= most:
        raise ValueError(f"Give from {MIN_SCENES} to {most}: the number of scenes.")
    return int(str(given))


def seen_at_scenes(scenes: list[QuerySet[Read]], *, at_least: int) -> tuple[list[Vehicle], int]:
    """The vehicles with reads in `at_least` of `scenes` (each already filtered to its place and
    time), most scenes first, then by plate: at most SCENES_LIMIT, and how many there were."""
    plates = [set(scene.order_by().values_list("vrm", flat=True).distinct()) for scene in scenes]
    counted = Counter(vrm for found in plates for vrm in found)
    wanted = sorted(
        (vrm for vrm, count in counted.items() if count >= at_least), key=lambda v: (-counted[v], v)
    )
    shown = wanted[:SCENES_LIMIT]
    sightings: dict[str, list[Sighting]] = {vrm: [] for vrm in shown}
    for number, scene in enumerate(scenes, start=1):
        for vrm, read_id, seen_at, camera_id in scene.filter(vrm__in=shown).values_list(
            "vrm", "id", "seen_at", "camera_id"
        ):
            sightings[vrm].append(Sighting(number, read_id, seen_at, camera_id))
    vehicles = [Vehicle(vrm, tuple(sorted(sightings[vrm], key=lambda s: s.seen_at))) for vrm in shown]
    return vehicles, len(wanted)


def described(vehicles: list[Vehicle]) -> list[dict]:
    """The vehicles as the API answers and the portal shows them: cameras by code and area."""
    ids = {sighting.camera_id for vehicle in vehicles for sighting in vehicle.sightings}
    cameras = {camera.pk: camera for camera in Camera.objects.filter(pk__in=ids).only("code", "area")}
    return [
        {
            "vrm": vehicle.vrm,
            "scene_count": len(vehicle.scenes),
            "scenes": vehicle.scenes,
            "sightings": [
                {
                    "scene": sighting.scene,
                    "camera": cameras[sighting.camera_id].code,
                    "area": cameras[sighting.camera_id].area,
                    "seen_at": sighting.seen_at,
                    "read_id": sighting.read_id,
                }
                for sighting in vehicle.sightings
            ],
        }
        for vehicle in vehicles
    ]
