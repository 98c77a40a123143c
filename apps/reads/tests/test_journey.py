"""A journey's legs (apps/reads/journey.py), worked out by hand.

London (51.5074, -0.1278) to Manchester (53.4808, -2.2426), by the haversine formula on a sphere of
radius 6371.0088 km: Δφ = 1.9734° = 0.034443 rad, Δλ = -2.1148° = -0.036911 rad;
a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) = 0.00029655 + 0.62238 * 0.59457 * 0.00034057 = 0.00042258;
c = 2 asin(√a) = 0.041117; d = 6371.0088 * 0.041117 ≈ 262.0 km (the road is about 320 km).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from apps.reads.journey import distance_km, duration, journey, leg

LONDON = (51.5074, -0.1278)
MANCHESTER = (53.4808, -2.2426)
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Seen:
    """A read as a journey needs it."""

    seen_at: datetime
    position: tuple[float, float] | None


def at(minutes: float, position) -> Seen:
    return Seen(NOON + timedelta(minutes=minutes), position)


def test_london_to_manchester_is_262_km_as_the_crow_flies():
    assert distance_km(LONDON, MANCHESTER) == pytest.approx(262.0, abs=0.1)
    assert distance_km(MANCHESTER, LONDON) == distance_km(LONDON, MANCHESTER)
    assert distance_km(LONDON, LONDON) == 0
    # A degree of latitude is 111.2 km anywhere (2π * 6371.0088 / 360).
    assert distance_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.195, abs=0.001)
    assert distance_km(LONDON, None) is None and distance_km(None, MANCHESTER) is None


def test_two_hours_from_london_to_manchester_is_plausible():
    drive = leg(at(0, LONDON), at(120, MANCHESTER))
    assert drive.distance_km == pytest.approx(262.0, abs=0.1)
    assert drive.elapsed_s == 7200 and drive.elapsed == "2 h 00 min"
    assert drive.speed_kmh == pytest.approx(131.0, abs=0.1)  # 262 km / 2 h
    assert not drive.implausible and drive.warning == ""


def test_half_an_hour_from_london_to_manchester_is_a_possible_cloned_plate():
    jump = leg(at(0, LONDON), at(30, MANCHESTER))
    assert jump.speed_kmh == pytest.approx(524.0, abs=0.2)  # 262 km / 0.5 h
    assert jump.implausible
    assert jump.warning == "Possible cloned plate: 262 km in 30 min needs 524 km/h."


def test_the_threshold_is_a_setting(settings):
    settings.JOURNEY_IMPLAUSIBLE_KMH = 600
    assert not leg(at(0, LONDON), at(30, MANCHESTER)).implausible  # 524 km/h
    settings.JOURNEY_IMPLAUSIBLE_KMH = 120
    assert leg(at(0, LONDON), at(120, MANCHESTER)).implausible  # 131 km/h


def test_two_places_at_the_same_moment_is_implausible_without_a_speed():
    jump = leg(at(0, LONDON), at(0, MANCHESTER))
    assert jump.elapsed_s == 0 and jump.speed_kmh is None and jump.implausible
    assert jump.warning == "Possible cloned plate: 262 km apart at the same moment."


def test_short_legs_are_never_flagged_however_fast(settings):
    # 0.556 km north in 5 seconds is 400 km/h: two cameras on one site, or GPS wandering.
    nearby = (LONDON[0] + 0.005, LONDON[1])
    hop = leg(at(0, LONDON), Seen(NOON + timedelta(seconds=5), nearby))
    assert hop.distance_km == pytest.approx(0.556, abs=0.001)
    assert hop.speed_kmh == pytest.approx(400.3, abs=0.1)
    assert not hop.implausible
    settings.JOURNEY_MIN_KM = 0.5
    assert leg(at(0, LONDON), Seen(NOON + timedelta(seconds=5), nearby)).implausible


def test_an_unknown_position_gives_no_distance_or_speed_and_no_flag():
    blind = leg(at(0, LONDON), at(1, None))
    assert (blind.distance_km, blind.speed_kmh, blind.implausible) == (None, None, False)
    assert blind.elapsed_s == 60 and blind.warning == ""


def test_a_journey_is_the_legs_between_consecutive_reads_oldest_first():
    reads = [at(0, LONDON), at(120, MANCHESTER), at(130, LONDON), at(135, None)]
    legs = journey(reads)
    assert [(one.start, one.end) for one in legs] == list(pairwise(reads))
    assert [one.implausible for one in legs] == [False, True, False]
    assert legs[1].warning == "Possible cloned plate: 262 km in 10 min needs 1,572 km/h."
    assert journey(reads[:1]) == [] and journey([]) == []


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "0 s"), (40, "40 s"), (60, "1 min"), (749, "12 min"), (3599, "1 h 00 min"), (7500, "2 h 05 min")],
)
def test_time_between_reads_as_people_say_it(seconds, said):
    assert duration(seconds) == said
