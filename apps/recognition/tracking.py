"""Following each plate from frame to frame, and voting on what it says.

A plate seen in one processed frame is matched to the track whose last box overlaps it most,
or, for a vehicle moving fast between sampled frames, whose last box is nearest. A track ends
when its plate has not been seen for a while. Each track is read on several of its frames
(its first few, then whenever the plate is seen larger than before) and the readings vote,
character by character, weighted by how sure each was.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

import cv2
import numpy as np

from .colour import frame_colour
from .detector import Box
from .formats import Fitted
from .voting import vote

MATCH_IOU = 0.2
MATCH_DISTANCE = 2.0  # box widths between centres
SIZE_CHANGE = 1.6  # a plate grows or shrinks by less than this between sampled frames
READINGS_FIRST = 4  # read every sighting until a track has this many readings,
READINGS_MAX = 12  # then only a larger view of the plate, up to this many
LARGER = 1.2
# A plate must be read on this many sampled frames: one glimpse is too often a sticker or sign.
READINGS_NEEDED = 2
# A sure reading this unlike what a track has read so far belongs to another vehicle.
CONTRADICTION_CONFIDENCE, CONTRADICTION_SIMILARITY = 0.8, 0.5


@dataclass
class Best:
    """The sighting that best shows the plate: its evidence images and time, and the vehicle's
    colour in that frame (None when it cannot be told)."""

    score: float
    frame: int
    seconds: float
    box: Box
    plate_jpeg: bytes
    overview_jpeg: bytes
    colour: str | None


@dataclass
class Track:
    number: int
    first_frame: int
    last_frame: int
    last_box: Box
    readings: list[Fitted] = field(default_factory=list)
    largest_read: float = 0.0
    best: Best | None = None

    def wants_reading(self, box: Box) -> bool:
        if len(self.readings) < READINGS_FIRST:
            return True
        return len(self.readings) < READINGS_MAX and box.w * box.h > LARGER * self.largest_read

    def add_reading(self, box: Box, readings: list[Fitted], frame: np.ndarray, index: int, seconds: float):
        self.largest_read = max(self.largest_read, box.w * box.h)
        if not readings:
            return
        top = readings[0]
        self.readings.append(top)
        score = top.confidence * box.score
        if self.best is None or score > self.best.score:
            self.best = Best(
                score,
                index,
                seconds,
                box,
                _jpeg(_cut(frame, box)),
                _jpeg(_overview(frame)),
                frame_colour(frame, box),
            )

    def contradicted_by(self, reading: Fitted) -> bool:
        if len(self.readings) < 2 or reading.confidence < CONTRADICTION_CONFIDENCE:
            return False
        voted = self.vote()[0][0]
        return SequenceMatcher(None, voted, reading.vrm).ratio() < CONTRADICTION_SIMILARITY

    def vote(self) -> list[tuple[str, float]]:
        """Readings by weight, best first, the first voted character by character."""
        return vote(self.readings)

    @property
    def confirmed(self) -> bool:
        return len(self.readings) >= READINGS_NEEDED


class Tracker:
    """Tracks of the plates in a video, fed one processed frame at a time."""

    def __init__(self, *, max_gap: int) -> None:
        self.max_gap = max_gap
        self.live: list[Track] = []
        self.count = 0

    def update(self, index: int, boxes: list[Box]) -> list[tuple[Track, Box]]:
        """Each box paired with its track (a new track for a plate not seen before)."""
        matched = _match(boxes, self.live)
        pairs = []
        for number, box in enumerate(boxes):
            track = matched.get(number)
            if track is None:
                self.count += 1
                track = Track(self.count, index, index, box)
                self.live.append(track)
            track.last_frame, track.last_box = index, box
            pairs.append((track, box))
        return pairs

    def restart(self, track: Track, index: int, box: Box) -> Track:
        """End a track that turned out to hold two vehicles; the second continues as a new one."""
        self.count += 1
        fresh = Track(self.count, index, index, box)
        self.live[self.live.index(track)] = fresh
        return fresh

    def ended(self, index: int | None = None) -> list[Track]:
        """Tracks not seen for longer than the gap allows (all of them at the end of the video)."""
        done = [t for t in self.live if index is None or index - t.last_frame > self.max_gap]
        self.live = [t for t in self.live if t not in done]
        return done


def _match(boxes: list[Box], tracks: list[Track]) -> dict[int, Track]:
    """Boxes to tracks, closest pairs first: overlap, then (for fast movers) centre distance."""
    options = []
    for number, box in enumerate(boxes):
        for track in tracks:
            if not 1 / SIZE_CHANGE < box.w / track.last_box.w < SIZE_CHANGE:
                continue  # another vehicle, nearer or farther away
            iou = box.iou(track.last_box)
            distance = _distance(box, track.last_box) / max(box.w, track.last_box.w)
            if iou > MATCH_IOU:
                options.append((0, -iou, number, track))
            elif distance < MATCH_DISTANCE:
                options.append((1, distance, number, track))
    matched: dict[int, Track] = {}
    for _, _, number, track in sorted(options, key=lambda option: option[:3]):
        if number not in matched and track not in matched.values():
            matched[number] = track
    return matched


def _distance(a: Box, b: Box) -> float:
    (ax, ay), (bx, by) = a.centre, b.centre
    return ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5


def _cut(frame: np.ndarray, box: Box) -> np.ndarray:
    x, y, w, h = box.as_list()
    return frame[y : y + h, x : x + w]


def _overview(frame: np.ndarray, width: int = 1280) -> np.ndarray:
    if frame.shape[1] <= width:
        return frame
    return cv2.resize(
        frame, (width, round(frame.shape[0] * width / frame.shape[1])), interpolation=cv2.INTER_AREA
    )


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return data.tobytes() if ok else b""
