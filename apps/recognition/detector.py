"""Finding plates in a picture: the YOLO plate detector, run as ultralytics runs it.

The frame is letterboxed only to a multiple of 32 (ultralytics' "rect" letterbox), which the
dynamic-shape export accepts; this reproduces ultralytics' boxes exactly and is faster than a
square 640x640 input. The model outputs, per anchor, a box centre and size and a score.
A still can be looked at in several sizes: small, distant plates that a 640 px letterbox
shrinks below what the model sees are found at 960, and one suppression keeps the best box.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from . import runtime

SCORE_MIN = 0.25
NMS_IOU = 0.7
STRIDE = 32


@dataclass(frozen=True)
class Box:
    """A plate's box in frame pixels (top-left corner and size) and the detector's score."""

    x: float
    y: float
    w: float
    h: float
    score: float

    def iou(self, other: "Box") -> float:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right = min(self.x + self.w, other.x + other.w)
        bottom = min(self.y + self.h, other.y + other.h)
        overlap = max(0.0, right - left) * max(0.0, bottom - top)
        union = self.w * self.h + other.w * other.h - overlap
        return overlap / union if union > 0 else 0.0

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def as_list(self) -> list[int]:
        return [round(self.x), round(self.y), round(self.w), round(self.h)]


def detect_plates(frame: np.ndarray, *, sizes: tuple[int, ...] = (640,)) -> list[Box]:
    """Plate boxes in a BGR frame, best first; `sizes` are the letterboxes' longer sides."""
    boxes = [box for size in sizes for box in _detect(frame, size)]
    return _suppress_overlaps(sorted(boxes, key=lambda box: -box.score))


def _detect(frame: np.ndarray, size: int) -> list[Box]:
    tensor, scale, (pad_x, pad_y) = _letterbox(frame, size)
    (output,) = runtime.session(runtime.PLATE_DETECTOR).run(None, {"images": tensor})
    predictions = output[0].T  # anchors x (cx, cy, w, h, score)
    predictions = predictions[predictions[:, 4] >= SCORE_MIN]
    if not len(predictions):
        return []
    cx, cy, w, h, score = predictions.T
    x = (cx - w / 2 - pad_x) / scale
    y = (cy - h / 2 - pad_y) / scale
    w, h = w / scale, h / scale
    height, width = frame.shape[:2]
    boxes = []
    for i in range(len(score)):
        left, top = max(0.0, float(x[i])), max(0.0, float(y[i]))
        right, bottom = min(float(width), float(x[i] + w[i])), min(float(height), float(y[i] + h[i]))
        if right > left and bottom > top:
            boxes.append(Box(left, top, right - left, bottom - top, float(score[i])))
    return boxes


def _suppress_overlaps(boxes: list[Box]) -> list[Box]:
    """Non-maximum suppression of boxes sorted best first, after clipping to the frame (a plate
    cut by the edge is one plate)."""
    kept: list[Box] = []
    for box in boxes:
        if all(box.iou(other) <= NMS_IOU for other in kept):
            kept.append(box)
    return kept


def _letterbox(frame: np.ndarray, size: int) -> tuple[np.ndarray, float, tuple[float, float]]:
    height, width = frame.shape[:2]
    scale = min(size / height, size / width)
    new_w, new_h = round(width * scale), round(height * scale)
    pad_w, pad_h = (size - new_w) % STRIDE / 2, (size - new_h) % STRIDE / 2
    if (new_w, new_h) != (width, height):
        frame = cv2.resize(frame, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    top, bottom = round(pad_h - 0.1), round(pad_h + 0.1)
    left, right = round(pad_w - 0.1), round(pad_w + 0.1)
    frame = cv2.copyMakeBorder(frame, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))
    tensor = frame[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
    return np.ascontiguousarray(tensor), scale, (left, top)
