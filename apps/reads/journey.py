"""A vehicle's journey: its reads, oldest first, as legs from each read to the next, with the
distance between where they were made, the time between them and the speed that needs. A leg
faster than JOURNEY_IMPLAUSIBLE_KMH is implausible: the plate was seen at two places too far apart
for the time, most often because two vehicles carry it (a cloned plate), sometimes a misread.

Pure: given reads (anything with `seen_at` and `position`, as Read has) it queries nothing, so
the figures come only from the reads its caller was given. Vehicle history (portal and
/api/v1/reads/journey/) shows the legs of the reads a search returned; on ingest the hotlists app
checks a hotlisted plate's read against its previous one (apps/hotlists/cloned_plates.py).

Distances are great-circle (haversine) between positions, never the road between them, which is
longer: the speed shown is the least the vehicle would have needed, so a flagged leg is, if
anything, less plausible still. Positions are never shown here, only distances.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from math import asin, cos, radians, sin, sqrt
from typing import Protocol

from django.conf import settings

# The mean radius of the Earth (IUGG); the error of treating it as a sphere is under 0.5%.
EARTH_RADIUS_KM = 6371.0088


class Sighting(Protocol):
    """A read as a journey needs it: when, and where (None when neither it nor its camera has a
    position)."""

    @property
    def seen_at(self) -> datetime: ...

    @property
    def position(self) -> tuple[float, float] | None: ...


# Unbounded here, bounded by the functions that make legs: mypy checks a bound on a model class
# before django-stubs has typed the model's fields, and would refuse Read.
@dataclass(frozen=True)
class Leg[S]:
    """From one read to the next: the distance (None when either position is unknown), the time
    between, the speed needed (None when the distance is unknown or no time passed) and whether
    that is more than a vehicle could do."""

    start: S
    end: S
    distance_km: float | None
    elapsed_s: float
    speed_kmh: float | None
    implausible: bool

    @property
    def elapsed(self) -> str:
        """The time between, as people say it (duration)."""
        return duration(self.elapsed_s)

    @property
    def warning(self) -> str:
        """What an implausible leg means (implausible_in_words); empty for any other."""
        if not self.implausible or self.distance_km is None:
            return ""
        return implausible_in_words(self.distance_km, self.elapsed_s, self.speed_kmh)


def journey[S: Sighting](reads: Sequence[S]) -> list[Leg[S]]:
    """The legs between consecutive reads, given oldest first."""
    return [leg(start, end) for start, end in pairwise(reads)]


def leg[S: Sighting](start: S, end: S) -> Leg[S]:
    """The leg from `start` to `end` (`end` seen no earlier)."""
    elapsed_s = (end.seen_at - start.seen_at).total_seconds()
    distance = distance_km(start.position, end.position)
    speed = distance / (elapsed_s / 3600) if distance is not None and elapsed_s > 0 else None
    # Two cameras on one site, or a vehicle-mounted camera's GPS wandering, put a few hundred
    # metres between reads moments apart: speeds over legs shorter than JOURNEY_MIN_KM mean
    # nothing, so they are never flagged.
    far = distance is not None and distance >= settings.JOURNEY_MIN_KM
    too_fast = speed is None or speed > settings.JOURNEY_IMPLAUSIBLE_KMH
    return Leg(
        start=start,
        end=end,
        distance_km=distance,
        elapsed_s=elapsed_s,
        speed_kmh=speed,
        implausible=far and too_fast,
    )


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """The great-circle distance between two (latitude, longitude) in degrees; None if either is
    unknown."""
    if a is None or b is None:
        return None
    (lat1, lon1), (lat2, lon2) = (map(radians, point) for point in (a, b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def implausible_in_words(distance_km: float, elapsed_s: float, speed_kmh: float | None) -> str:
    """An implausible leg's warning, in the figures that show it: "Possible cloned plate: 262 km
    in 10 min needs 1,572 km/h." Pages and the API all say it so."""
    distance = f"{distance_km:,.0f} km"
    if speed_kmh is None:
        return f"Possible cloned plate: {distance} apart at the same moment."
    return f"Possible cloned plate: {distance} in {duration(elapsed_s)} needs {speed_kmh:,.0f} km/h."


def duration(seconds: float) -> str:
    """A leg's time as people say it: "40 s", "12 min", "2 h 05 min"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    whole = round(seconds / 60)
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"
