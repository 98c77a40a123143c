"""Recognising the plates in one picture: detect, crop, read the lines, fit plate formats."""

from dataclasses import dataclass

import numpy as np

from .detector import Box, detect_plates
from .formats import Fitted, fit
from .ocr import PlateText, crop_plate, read_lines

CANDIDATES = 3


@dataclass
class PlateRead:
    """A plate found in a picture: where, what it says, and the runner-up readings."""

    box: Box
    lines: list[PlateText]
    readings: list[Fitted]

    @property
    def vrm(self) -> str:
        return self.readings[0].vrm if self.readings else ""

    @property
    def confidence(self) -> float:
        return self.readings[0].confidence if self.readings else 0.0

    def as_json(self) -> dict:
        return {
            "vrm": self.vrm,
            "confidence": round(self.confidence, 3),
            "box": self.box.as_list(),
            "candidates": candidates_json(self.readings),
        }


def recognise_picture(frame: np.ndarray, *, countries: tuple[str, ...], size: int = 640) -> list[PlateRead]:
    """Every plate found in a BGR picture, with its reading (empty if none could be read)."""
    plates = []
    for box in detect_plates(frame, size=size):
        lines = read_lines(crop_plate(frame, box))
        plates.append(PlateRead(box=box, lines=lines, readings=fit(lines, countries)))
    return plates


def candidates_json(readings: list[Fitted]) -> list[dict]:
    """The runners-up, leaving out mere parts of the winner (the same line read shorter)."""
    best = readings[0].vrm if readings else ""
    others = [r for r in readings[1:] if r.vrm not in best]
    return [{"vrm": r.vrm, "confidence": round(r.confidence, 3)} for r in others[:CANDIDATES]]
