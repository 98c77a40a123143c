"""Vehicles travelling with another (a convoy search): those read by the same cameras as it within
a few seconds of it, at several different cameras.

The query is driven by the vehicle's own sightings: for each one, the reads at that camera within
±window_s, which the (camera, seen_at, vrm) key finds in the one or two day partitions the moment
falls in; the period is never scanned. Both sides come from querysets the selector scoped to the
user's access window (apps/reads/selectors.py `convoy_search`), so a read outside it is neither
counted nor shown, and this module queries nothing else.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from psycopg.errors import QueryCanceled

from apps.cameras.models import Camera

from .models import Read

# The vehicle's newest sightings looked from: a vehicle read more often in the period is answered
# from its newest ones, and says so, rather than taking minutes.
MAX_SIGHTINGS = 2_000
# Companions shown, strongest first.
CONVOY_LIMIT = 100
# How long the comparison may take before it is refused as too broad.
TIME_ALLOWED_MS = 20_000


TOO_COSTLY = "Too many reads around this vehicle to compare in time: narrow the period or the seconds."


class ConvoyTooCostly(ValidationError):
    """Too many reads around the vehicle to compare within TIME_ALLOWED_MS; says how to narrow it."""


@dataclass(frozen=True)
class Pairing:
    """One sighting of the vehicle and a companion's read at the same camera close to it."""

    camera_id: int
    sighting_id: int
    sighting_at: datetime
    read_id: int
    seen_at: datetime

    @property
    def gap_s(self) -> float:
        return abs((self.seen_at - self.sighting_at).total_seconds())


@dataclass(frozen=True)
class Companion:
    """A vehicle seen with the one searched for: its plate and every pairing, in time order."""

    vrm: str
    pairings: tuple[Pairing, ...]

    @property
    def camera_ids(self) -> frozenset[int]:
        return frozenset(pairing.camera_id for pairing in self.pairings)

    @property
    def closeness_s(self) -> float:
        """How close it kept: the mean, over the cameras shared, of the closest gap at each."""
        closest: dict[int, float] = {}
        for pairing in self.pairings:
            closest[pairing.camera_id] = min(closest.get(pairing.camera_id, pairing.gap_s), pairing.gap_s)
        return sum(closest.values()) / len(closest)


@dataclass(frozen=True)
class Convoy:
    """The strongest companions (at most CONVOY_LIMIT), how many there were in all, and how many
    of the vehicle's sightings were looked from."""

    companions: list[Companion]
    found: int
    sightings: int
    sightings_capped: bool


def travelling_with(
    sightings: QuerySet[Read], visible: QuerySet[Read], *, vrm: str, window_s: int, min_cameras: int
) -> Convoy:
    """The vehicles among `visible` read within `window_s` seconds of one of `sightings` (the
    vehicle `vrm`'s own reads, newest first) at the same camera, at `min_cameras` or more
    different cameras: ranked by cameras shared, then by closeness in time, then by plate."""
    taken = list(sightings.values_list("id", "camera_id", "seen_at")[: MAX_SIGHTINGS + 1])
    used = taken[:MAX_SIGHTINGS]
    if not used:
        return Convoy(companions=[], found=0, sightings=0, sightings_capped=False)
    window = timedelta(seconds=window_s)
    # The companions' reads at the sighting's camera and moment: `sighting` is the lateral row.
    # OFFSET 0 keeps the subquery one index lookup per sighting, pruned to its day at run time:
    # flattened into a join, the planner merged all 90 days' reads instead (5.7 s against 63 ms
    # for 2,000 sightings over 10M reads).
    nearby = (
        visible.exclude(vrm=vrm)
        .filter(
            camera_id=RawSQL("sighting.camera_id", ()),
            seen_at__gte=RawSQL("sighting.seen_at - %s", (window,)),
            seen_at__lte=RawSQL("sighting.seen_at + %s", (window,)),
        )
        .values_list("id", "seen_at", "vrm")
    )
    nearby_sql, nearby_params = nearby.query.sql_with_params()
    ids, cameras, moments = (list(column) for column in zip(*used, strict=True))
    with connection.cursor() as cursor:
        # A plate seen often on a busy road, over the widest window, could keep the database busy
        # for minutes: the search is refused instead, saying how to narrow it.
        cursor.execute("SET LOCAL statement_timeout = %s", [TIME_ALLOWED_MS])
        try:
            cursor.execute(
                f"""
                WITH pairs AS MATERIALIZED (
                    SELECT sighting.camera_id, sighting.id AS sighting_id, sighting.seen_at AS sighting_at,
                           nearby.read_id, nearby.seen_at, nearby.vrm
                    FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[])
                         AS sighting(id, camera_id, seen_at)
                    CROSS JOIN LATERAL ({nearby_sql} OFFSET 0) AS nearby(read_id, seen_at, vrm)
                ),
                closest AS (
                    SELECT vrm, camera_id, min(abs(extract(epoch FROM seen_at - sighting_at))) AS gap
                    FROM pairs GROUP BY vrm, camera_id
                ),
                ranked AS (
                    SELECT vrm, count(*) OVER () AS found FROM closest
                    GROUP BY vrm HAVING count(*) >= %s
                    ORDER BY count(*) DESC, avg(gap), vrm LIMIT %s
                )
                SELECT ranked.found, pairs.vrm, camera_id, sighting_id, sighting_at, read_id, seen_at
                FROM pairs JOIN ranked USING (vrm)
                ORDER BY pairs.vrm, seen_at
                """,  # noqa: S608 (the SQL Django wrote for the scoped queryset, its values as parameters)
                [ids, cameras, moments, *nearby_params, min_cameras, CONVOY_LIMIT],
            )
        except OperationalError as failure:
            if isinstance(failure.__cause__, QueryCanceled):
                raise ConvoyTooCostly({"criteria": [TOO_COSTLY]}) from failure
            raise
        rows = cursor.fetchall()
        cursor.execute("SET LOCAL statement_timeout = DEFAULT")
    # Only the strongest CONVOY_LIMIT come back, ranked by the database as below; `found` counts all.
    found = rows[0][0] if rows else 0
    pairings: dict[str, list[Pairing]] = defaultdict(list)
    for _found, vrm_seen, *pairing in rows:
        pairings[vrm_seen].append(Pairing(*pairing))
    companions = [Companion(vrm=plate, pairings=tuple(seen)) for plate, seen in pairings.items()]
    companions.sort(key=lambda c: (-len(c.camera_ids), c.closeness_s, c.vrm))
    return Convoy(
        companions=companions, found=found, sightings=len(used), sightings_capped=len(taken) > MAX_SIGHTINGS
    )


def described(companions: list[Companion]) -> list[dict]:
    """The companions as the API answers and the portal shows them: each camera by its code and
    area (its position follows apps/cameras/disclosure.py, never shown here), times as stored."""
    ids = {pairing.camera_id for companion in companions for pairing in companion.pairings}
    cameras = {camera.pk: camera for camera in Camera.objects.filter(pk__in=ids).only("code", "area")}
    return [
        {
            "vrm": companion.vrm,
            "camera_count": len(companion.camera_ids),
            "cameras": sorted(cameras[camera_id].code for camera_id in companion.camera_ids),
            "closeness_s": round(companion.closeness_s, 1),
            "sightings": [
                {
                    "camera": cameras[pairing.camera_id].code,
                    "area": cameras[pairing.camera_id].area,
                    "seen_at": pairing.seen_at,
                    "vehicle_seen_at": pairing.sighting_at,
                    "gap_s": round(pairing.gap_s, 1),
                    "read_id": pairing.read_id,
                    "vehicle_read_id": pairing.sighting_id,
                }
                for pairing in companion.pairings
            ],
        }
        for companion in companions
    ]
