"""Places drawn on a map, for "who passed here then" searches: a circle or a polygon.

A read is in a place when where it was taken is: its own position when it has one (a
vehicle-mounted camera sends one with each read), else its camera's (`Read.position`). One
definition of inside serves both the cameras (which fixed cameras stand in the place) and the
reads (which positioned reads were taken in it), as database expressions over any pair of
latitude and longitude fields.

Circles are measured on the sphere (haversine). Polygons are tested on the plane of latitude and
longitude (PostgreSQL's own polygon type): exact enough for the streets and districts a search is
bounded to, and for which a polygon's edges are drawn by hand anyway.
"""

import math
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_M = 6_371_000
MAX_RADIUS_M = 20_000
MAX_SPAN_M = 40_000  # a polygon's bounding box, corner to corner
MAX_CORNERS = 50


class NotAPlace(ValueError):
    """The text describes no place a search may look in; the message says why."""


@dataclass(frozen=True)
class Box:
    """The rectangle of latitude and longitude around a place: a cheap test before the exact one."""

    south: float
    west: float
    north: float
    east: float

    def q(self, latitude: str, longitude: str) -> Q:
        return Q(
            **{f"{latitude}__range": (self.south, self.north), f"{longitude}__range": (self.west, self.east)}
        )


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius_m: float

    def __str__(self) -> str:
        return f"{self.latitude:.6f},{self.longitude:.6f},{self.radius_m:g}"

    @property
    def box(self) -> Box:
        rise = math.degrees(self.radius_m / EARTH_RADIUS_M)
        run = rise / max(math.cos(math.radians(self.latitude)), 0.01)
        return Box(self.latitude - rise, self.longitude - run, self.latitude + rise, self.longitude + run)

    def q(self, latitude: str, longitude: str) -> Q:
        """Whether the point in these fields lies inside, as a filter."""
        half_lat = Radians(F(latitude)) - math.radians(self.latitude)
        half_lon = Radians(F(longitude)) - math.radians(self.longitude)
        chord = Power(Sin(half_lat / 2), 2) + math.cos(math.radians(self.latitude)) * Cos(
            Radians(F(latitude))
        ) * Power(Sin(half_lon / 2), 2)
        # Rounding can take the chord a hair past 1 only near antipodes, which the box excludes.
        distance = ExpressionWrapper(2 * EARTH_RADIUS_M * ASin(Sqrt(chord)), output_field=FloatField())
        inside = Q(**{f"{latitude}__isnull": False}) & self.box.q(latitude, longitude)
        return inside & Q(_LessOrEqual(distance, Value(float(self.radius_m))))


@dataclass(frozen=True)
class Polygon:
    corners: tuple[tuple[float, float], ...]  # (latitude, longitude), in order around it

    def __str__(self) -> str:
        return ";".join(f"{lat:.6f},{lon:.6f}" for lat, lon in self.corners)

    @property
    def box(self) -> Box:
        lats = [lat for lat, _ in self.corners]
        lons = [lon for _, lon in self.corners]
        return Box(min(lats), min(lons), max(lats), max(lons))

    def q(self, latitude: str, longitude: str) -> Q:
        # PostgreSQL's polygon holds (x, y) points: longitude first.
        shape = RawSQL("%s::polygon", ("(" + ",".join(f"({lon},{lat})" for lat, lon in self.corners) + ")",))
        point = Func(F(longitude), F(latitude), function="point")
        contains = Func(
            shape, point, template="(%(expressions)s)", arg_joiner=" @> ", output_field=BooleanField()
        )
        return Q(**{f"{latitude}__isnull": False}) & self.box.q(latitude, longitude) & Q(contains)


class _LessOrEqual(Func):
    template = "(%(expressions)s)"
    arg_joiner = " <= "
    output_field = BooleanField()


Place = Circle | Polygon


def place_q(place: Place, cameras_inside: list[int]) -> Q:
    """Reads taken in `place`: placed by their own position, else at their camera (one of
    `cameras_inside`, the cameras standing in it: `place.q` over the camera registry)."""
    return Q(latitude__isnull=True, camera_id__in=cameras_inside) | place.q("latitude", "longitude")


def circle_from_text(text: str) -> Circle:
    """'latitude,longitude,radius in metres', as the map fills it in: '51.5074,-0.1278,1000'."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3:
        raise NotAPlace(
            "Give the centre's latitude and longitude and the radius in metres: 51.5074,-0.1278,1000."
        )
    latitude, longitude, radius = (_number(part) for part in parts)
    _check_point(latitude, longitude)
    if not 1 <= radius <= MAX_RADIUS_M:
        raise NotAPlace(f"Give a radius from 1 to {MAX_RADIUS_M:,} metres.")
    return Circle(latitude, longitude, radius)


def polygon_from_text(text: str) -> Polygon:
    """Corners 'latitude,longitude' separated by ';', in order around the shape (3 to 50)."""
    corners = tuple(
        (_number(lat), _number(lon))
        for lat, lon in (_pair(corner) for corner in text.split(";") if corner.strip())
    )
    if not 3 <= len(corners) <= MAX_CORNERS:
        raise NotAPlace(f"Give 3 to {MAX_CORNERS} corners, each latitude,longitude, separated by ';'.")
    for latitude, longitude in corners:
        _check_point(latitude, longitude)
    box = Polygon(corners).box
    if _metres((box.south, box.west), (box.north, box.east)) > MAX_SPAN_M:
        raise NotAPlace(f"Draw a place at most {MAX_SPAN_M // 1000} km across.")
    return Polygon(corners)


def _pair(corner: str) -> tuple[str, str]:
    parts = corner.split(",")
    if len(parts) != 2:
        raise NotAPlace(f"{corner.strip()!r} is not a corner: give latitude,longitude.")
    return parts[0], parts[1]


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise NotAPlace(f"{text.strip()!r} is not a number.") from None
    if not math.isfinite(value):
        raise NotAPlace(f"{text.strip()!r} is not a number.")
    return value


def _check_point(latitude: float, longitude: float) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise NotAPlace("Latitude runs from -90 to 90 and longitude from -180 to 180.")


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, point)) for point in (a, b))
    chord = (
        math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(chord)))
