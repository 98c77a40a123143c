"""Reading the text on a plate: PaddleOCR's PP-OCRv6 text detection, then recognition.

Text detection inside the plate crop finds each line of text; the recogniser reads each line.
Keeping lines apart matters: plates also carry country bands, state names, dealer frames and
slogans, and the registration is the tallest line. The recogniser's alphabet is the whole of
Chinese and English; its output is folded onto the plate alphabet (A-Z, 0-9; everything else
counts as a gap), and each character keeps its full distribution so that plate formats and
voting across frames can weigh alternatives instead of trusting the first guess.
"""

import math
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from . import runtime
from .detector import Box

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TEXT_THRESHOLD, TEXT_BOX_MIN_SCORE, UNCLIP_RATIO = 0.3, 0.5, 1.6
LINE_HEIGHT, LINE_MIN_WIDTH = 48, 320
# Lines much lower than the tallest are state names, slogans and frames, not the registration.
LINE_MIN_RELATIVE_HEIGHT = 0.6
# The text detector's regions stop short of a line's first and last strokes (the F of FE5 R2D,
# the A of UH1 N2A): each line is cut this many line heights longer at both ends.
LINE_END_PAD = 0.3
MEAN, STD = np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225], np.float32)


@dataclass
class PlateText:
    """A line read from a plate: per character, a distribution over ALPHABET."""

    probs: np.ndarray  # (characters, len(ALPHABET)), each row sums to 1
    height: float  # the line's height in pixels

    @property
    def text(self) -> str:
        return "".join(ALPHABET[i] for i in self.probs.argmax(axis=1))

    @property
    def confidence(self) -> float:
        return float(np.exp(np.log(self.probs.max(axis=1)).mean())) if len(self.probs) else 0.0


@dataclass(frozen=True)
class View:
    """How a plate is cut from the frame and how closely its text is looked for."""

    margin: tuple[float, float] = (0.06, 0.12)  # around the box, as fractions of its width, height
    text_min_side: int = 160  # the crop's shorter side as the text detector sees it


def read_lines(frame: np.ndarray, box: Box, view: View = View()) -> list[PlateText]:
    """The plausible registration lines of the plate in this box, tallest first."""
    lines = line_images(frame, box, view)
    texts = [text for text in _recognise(lines or [_crop(frame, box, (0.0, 0.0))]) if len(text.probs)]
    if not texts:
        return []
    tallest = max(text.height for text in texts)
    texts = [text for text in texts if text.height >= LINE_MIN_RELATIVE_HEIGHT * tallest]
    return sorted(texts, key=lambda text: -text.height)


def line_images(frame: np.ndarray, box: Box, view: View = View()) -> list[np.ndarray]:
    """Each line of text found around the plate in this box, cut out and straightened."""
    return _text_lines(_crop(frame, box, view.margin), view.text_min_side)


def _crop(frame: np.ndarray, box: Box, margin: tuple[float, float]) -> np.ndarray:
    """The plate and a margin around it, as the text detector needs to see the edges."""
    height, width = frame.shape[:2]
    pad_x, pad_y = box.w * margin[0], box.h * margin[1]
    left, top = max(0, int(box.x - pad_x)), max(0, int(box.y - pad_y))
    right, bottom = (
        min(width, math.ceil(box.x + box.w + pad_x)),
        min(height, math.ceil(box.y + box.h + pad_y)),
    )
    return frame[top:bottom, left:right]


def _text_lines(crop: np.ndarray, min_side: int) -> list[np.ndarray]:
    """Each line of text in the crop, cut out and straightened."""
    height, width = crop.shape[:2]
    if height < 4 or width < 4:
        return []
    scale = max(1.0, min_side / min(height, width))
    new_h = max(32, round(height * scale / 32) * 32)
    new_w = max(32, round(width * scale / 32) * 32)
    image = cv2.resize(crop, (new_w, new_h)).astype(np.float32) / 255.0
    tensor = ((image - MEAN) / STD).transpose(2, 0, 1)[None]
    session = runtime.session(runtime.TEXT_DETECTOR)
    (probability,) = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(tensor)})
    probability = probability[0, 0]
    mask = (probability > TEXT_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    rects = []
    for contour in contours:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if min(w, h) < 3:
            continue
        region = np.zeros_like(mask)
        cv2.fillPoly(region, [contour], 1)
        if probability[region.astype(bool)].mean() < TEXT_BOX_MIN_SCORE:
            continue
        grow = w * h * UNCLIP_RATIO / (2 * (w + h))  # the DB model's shrunk text region, regrown
        rect = (
            (cx * width / new_w, cy * height / new_h),
            ((w + 2 * grow) * width / new_w, (h + 2 * grow) * height / new_h),
            angle,
        )
        rects.append(rect)
    lines = []
    for row in _rows(rects):
        line = _straighten(crop, row[0]) if len(row) == 1 else _union(crop, row)
        if line is not None:
            lines.append(line)
    return lines


def _rows(rects: list) -> list[list]:
    """Text boxes side by side on one line of the plate (a gap, a hyphen, an emblem between)."""
    rows: list[list] = []
    for rect in sorted(rects, key=lambda r: r[0][0]):
        (_, cy), height = rect[0], min(rect[1])
        for row in rows:
            (_, row_cy), row_height = row[-1][0], min(row[-1][1])
            if abs(cy - row_cy) < 0.5 * row_height and 0.6 < height / row_height < 1.6:
                row.append(rect)
                break
        else:
            rows.append([rect])
    return rows


def _union(image: np.ndarray, row: list) -> np.ndarray | None:
    points = np.concatenate([cv2.boxPoints(rect) for rect in row])
    return _straighten(image, cv2.minAreaRect(points))


def _straighten(image: np.ndarray, rect) -> np.ndarray | None:
    points = cv2.boxPoints(rect)
    points = points[np.argsort(points[:, 0])]
    left, right = points[:2], points[2:]
    top_left, bottom_left = left[np.argsort(left[:, 1])]
    top_right, bottom_right = right[np.argsort(right[:, 1])]
    height = max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))
    along = top_right - top_left
    along *= LINE_END_PAD * height / max(float(np.linalg.norm(along)), 1e-6)
    top_left, bottom_left = top_left - along, bottom_left - along
    top_right, bottom_right = top_right + along, bottom_right + along
    width = int(max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left)))
    height = int(height)
    if width < 4 or height < 4 or height > 1.5 * width:  # vertical text is not a registration
        return None
    source = np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def _recognise(lines: list[np.ndarray]) -> list[PlateText]:
    widest = max(line.shape[1] / line.shape[0] for line in lines)
    batch_width = max(LINE_MIN_WIDTH, math.ceil(LINE_HEIGHT * widest))
    batch = np.zeros((len(lines), 3, LINE_HEIGHT, batch_width), np.float32)
    for index, line in enumerate(lines):
        width = min(batch_width, math.ceil(LINE_HEIGHT * line.shape[1] / line.shape[0]))
        resized = cv2.resize(line, (width, LINE_HEIGHT)).astype(np.float32)
        batch[index, :, :, :width] = (resized / 255.0 - 0.5).transpose(2, 0, 1) / 0.5
    session = runtime.session(runtime.TEXT_RECOGNISER)
    (output,) = session.run(None, {session.get_inputs()[0].name: batch})
    folded = output @ _fold_onto_plate_alphabet()
    return [_decode(steps, float(line.shape[0])) for steps, line in zip(folded, lines, strict=True)]


def _decode(steps: np.ndarray, height: float) -> PlateText:
    """Greedy CTC: one character per run of equal best classes, with its sharpest distribution."""
    best = steps.argmax(axis=1)
    rows: list[np.ndarray] = []
    previous = 0
    for t, cls in enumerate(best):
        if cls != 0:
            if cls != previous:
                rows.append(steps[t, 1:])
            elif steps[t, cls] > rows[-1][cls - 1]:
                rows[-1] = steps[t, 1:]
        previous = cls
    probs = np.array(rows, np.float32).reshape(-1, len(ALPHABET))
    probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-9)
    return PlateText(probs=probs, height=height)


@cache
def _fold_onto_plate_alphabet() -> np.ndarray:
    """A matrix taking the recogniser's classes to (gap, A-Z, 0-9): case folded, the rest gaps."""
    session = runtime.session(runtime.TEXT_RECOGNISER)
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    classes = ["<blank>", *characters, " "]
    fold = np.zeros((len(classes), 1 + len(ALPHABET)), np.float32)
    for index, character in enumerate(classes):
        upper = character.upper() if index else ""
        fold[index, 1 + ALPHABET.index(upper) if len(upper) == 1 and upper in ALPHABET else 0] = 1
    return fold
