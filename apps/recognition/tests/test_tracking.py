"""Following plates across frames: one track per vehicle, even when two are on screen."""

from apps.recognition.detector import Box
from apps.recognition.tracking import Tracker


def test_each_plate_keeps_its_track_as_it_moves_and_grows():
    tracker = Tracker(max_gap=10)
    near, far = Box(600, 600, 150, 34, 0.8), Box(630, 300, 60, 14, 0.7)
    (first, _), (second, _) = tracker.update(0, [near, far])
    moved = [Box(640, 310, 66, 15, 0.7), Box(590, 650, 165, 37, 0.8)]  # order swapped too
    pairs = tracker.update(3, moved)
    assert [track.number for track, _ in pairs] == [second.number, first.number]


def test_a_plate_gone_longer_than_the_gap_ends_its_track():
    tracker = Tracker(max_gap=10)
    tracker.update(0, [Box(100, 100, 100, 25, 0.9)])
    assert tracker.ended(5) == []
    assert [t.number for t in tracker.ended(11)] == [1]
    ((track, _),) = tracker.update(12, [Box(100, 100, 100, 25, 0.9)])
    assert track.number == 2


def test_a_much_smaller_plate_nearby_is_another_vehicle():
    tracker = Tracker(max_gap=10)
    tracker.update(0, [Box(600, 650, 160, 36, 0.9)])
    ((track, _),) = tracker.update(3, [Box(630, 450, 70, 16, 0.9)])
    assert track.number == 2
