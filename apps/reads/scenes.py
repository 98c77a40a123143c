"""At the scenes: the vehicles seen at two to five places, each within its own stretch of time
(a place and a time: a scene), in all of them or in at least some number of them.

Each scene is a search without a plate (cameras, an area, or a place drawn on the map, and at
most a day), so each is bounded as any such search is. The plates of each scene are found
first and compared; only the vehicles seen at enough scenes have their sightings fetched. The
reads come from querysets the selector scoped to the user's access window
(apps/reads/selectors.py `scenes_search`), so a read outside it is neither counted nor shown.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
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
    # Which plates were at enough scenes, counted and cut in the database: a busy scene's plates
    # never all come back to be compared here.
    parts: list[str] = []
    params: list[Any] = []
    for number, scene in enumerate(scenes, start=1):
        sql, scene_params = scene.order_by().values_list("vrm", flat=True).distinct().query.sql_with_params()
        parts.append(f"SELECT {number} AS scene, plates.vrm FROM ({sql}) AS plates(vrm)")  # noqa: S608
        params += scene_params
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT vrm, count(*) OVER () FROM ({" UNION ALL ".join(parts)}) AS seen
            GROUP BY vrm HAVING count(*) >= %s
            ORDER BY count(*) DESC, vrm LIMIT %s
            """,  # noqa: S608 (the SQL Django wrote for each scoped scene, its values as parameters)
            [*params, at_least, SCENES_LIMIT],
        )
        rows = cursor.fetchall()
    shown = [vrm for vrm, _found in rows]
    found = rows[0][1] if rows else 0
    sightings: dict[str, list[Sighting]] = {vrm: [] for vrm in shown}
    for number, scene in enumerate(scenes, start=1):
        for vrm, read_id, seen_at, camera_id in scene.filter(vrm__in=shown).values_list(
            "vrm", "id", "seen_at", "camera_id"
        ):
            sightings[vrm].append(Sighting(number, read_id, seen_at, camera_id))
    vehicles = [Vehicle(vrm, tuple(sorted(sightings[vrm], key=lambda s: s.seen_at))) for vrm in shown]
    return vehicles, found


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
