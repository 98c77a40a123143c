"""Recognising the plates in one picture: detect, read each plate from a few cuts, vote.

A still is a single look at each plate. Reading it from slightly different cuts (a tighter
margin, text looked for at a larger scale) and voting does for a still what several frames do
for a track in video: one cut's stray character is outvoted by the others.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings

from .colour import frame_colour
from .detector import Box, detect_plates
from .formats import fit
from .ocr import View, read_lines
from .voting import vote

CANDIDATES = 3
TIGHT = (0.03, 0.06)
VIEWS = (View(), View(margin=TIGHT), View(text_min_side=256), View(margin=TIGHT, text_min_side=256))


@dataclass
class PlateRead:
    """A plate found in a picture: where, its readings, best first, with confidence, and the
    vehicle's colour (None when it cannot be told)."""

    box: Box
    readings: list[tuple[str, float]]
    colour: str | None = None

    @property
    def vrm(self) -> str:
        return self.readings[0][0] if self.readings else ""

    @property
    def confidence(self) -> float:
        return self.readings[0][1] if self.readings else 0.0

    def as_json(self) -> dict:
        others = [(vrm, c) for vrm, c in self.readings[1:] if vrm not in self.vrm]  # not mere parts
        return {
            "vrm": self.vrm,
            "confidence": round(self.confidence, 3),
            "box": self.box.as_list(),
            "candidates": [{"vrm": vrm, "confidence": c} for vrm, c in others[:CANDIDATES]],
            "colour": self.colour,
        }


def recognise_picture(frame: np.ndarray, *, countries: tuple[str, ...]) -> list[PlateRead]:
    """Every plate found in a BGR picture, with its reading (empty if none could be read)."""
    plates = []
    for box in detect_plates(frame, sizes=tuple(settings.RECOGNITION_PICTURE_SIZES)):
        readings = [fitted[0] for view in VIEWS if (fitted := fit(read_lines(frame, box, view), countries))]
        plates.append(PlateRead(box=box, readings=vote(readings), colour=frame_colour(frame, box)))
    return plates
