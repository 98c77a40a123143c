"""Recognising the plates in a video: one read per plate passage, from sampled frames.

Frames are sampled at about RECOGNITION_SAMPLE_FPS (every frame is decoded, most are not
examined); plates found are tracked across sampled frames, each track is read on its best few
views and the readings vote. Everything is deterministic, so the same file gives the same
tracks in the same order: a restarted job recognises exactly what the first attempt did.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from django.conf import settings

from apps.core.plates import Candidate

from .detector import Box, detect_plates
from .formats import fit
from .ocr import read_lines
from .tracking import Track, Tracker
from .video import VideoInfo, frames, probe

# A plate unseen for this long has left the picture.
TRACK_GAP_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 1.0
# Mean grey-level change (0-255) between sampled frames that means a cut to another scene.
CUT_DIFFERENCE = 40


@dataclass
class TrackRead:
    """One plate passage: what it said, how sure, when and where it was best seen, and the
    vehicle's colour there (None when it cannot be told)."""

    number: int
    vrm: str
    confidence: float
    candidates: list[Candidate]
    first_frame: int
    last_frame: int
    frame: int
    seconds: float
    box: Box
    plate_jpeg: bytes = field(repr=False)
    overview_jpeg: bytes = field(repr=False)
    colour: str | None = None

    def as_json(self) -> dict:
        return {
            "vrm": self.vrm,
            "confidence": self.confidence,
            "box": self.box.as_list(),
            "candidates": self.candidates,
            "first_frame": self.first_frame,
            "last_frame": self.last_frame,
            "frame": self.frame,
            "seconds": round(self.seconds, 3),
            "colour": self.colour,
        }


@dataclass
class VideoResult:
    info: VideoInfo
    tracks: list[TrackRead]
    frames_examined: int
    timings: dict[str, float]  # seconds spent decoding, detecting, reading


Progress = Callable[[int, int], None]


def recognise_video(
    path: Path, *, countries: tuple[str, ...], on_progress: Progress | None = None
) -> VideoResult:
    """Every confirmed plate passage in the video, in order of first appearance."""
    info = probe(path)
    every = max(1, round(info.fps / settings.RECOGNITION_SAMPLE_FPS))
    tracker = Tracker(max_gap=round(TRACK_GAP_SECONDS * info.fps))
    finished: list[Track] = []
    timings = {"decode": 0.0, "detect": 0.0, "read": 0.0}
    examined, last_report, clock = 0, 0.0, time.perf_counter()
    previous = None
    for index, seconds, frame in frames(path, every=every):
        started = time.perf_counter()
        timings["decode"] += started - clock
        thumbnail = cv2.resize(
            cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), (32, 18), interpolation=cv2.INTER_AREA
        )
        if previous is not None and np.abs(thumbnail.astype(np.int16) - previous).mean() > CUT_DIFFERENCE:
            finished += tracker.ended()  # edited footage: no plate continues across a cut
        previous = thumbnail
        boxes = detect_plates(frame, sizes=(settings.RECOGNITION_VIDEO_SIZE,))
        detected = time.perf_counter()
        timings["detect"] += detected - started
        for track, box in tracker.update(index, boxes):
            if track.wants_reading(box):
                readings = fit(read_lines(frame, box), countries)
                if readings and track.contradicted_by(readings[0]):
                    finished.append(track)  # two vehicles taken for one: start again
                    track = tracker.restart(track, index, box)
                track.add_reading(box, readings, frame, index, seconds)
        finished += tracker.ended(index)
        examined += 1
        clock = time.perf_counter()
        timings["read"] += clock - detected
        if on_progress and clock - last_report >= PROGRESS_EVERY_SECONDS:
            on_progress(index + 1, info.frames)
            last_report = clock
    finished += tracker.ended()
    if on_progress:
        on_progress(info.frames, info.frames)
    reads = [_track_read(track) for track in sorted(finished, key=lambda t: t.number) if track.confirmed]
    reads = _without_fragments([read for read in reads if read.vrm])
    return VideoResult(info=info, tracks=reads, frames_examined=examined, timings=timings)


def _without_fragments(reads: list[TrackRead]) -> list[TrackRead]:
    """Leave out a track that is part of a plate read whole by another track at the same time."""

    def fragment(read: TrackRead) -> bool:
        return any(
            other is not read
            and read.vrm in other.vrm
            and len(read.vrm) < len(other.vrm)
            and read.first_frame <= other.last_frame
            and other.first_frame <= read.last_frame
            for other in reads
        )

    return [read for read in reads if not fragment(read)]


def _track_read(track: Track) -> TrackRead:
    (vrm, confidence), *others = track.vote()
    best = track.best
    assert best is not None  # a track starts from a sighting, its best so far
    return TrackRead(
        number=track.number,
        vrm=vrm,
        confidence=confidence,
        candidates=[{"vrm": v, "confidence": c} for v, c in others[:3]],
        first_frame=track.first_frame,
        last_frame=track.last_frame,
        frame=best.frame,
        seconds=best.seconds,
        box=best.box,
        plate_jpeg=best.plate_jpeg,
        overview_jpeg=best.overview_jpeg,
        colour=best.colour,
    )
