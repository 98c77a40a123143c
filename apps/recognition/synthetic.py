"""Videos made by the project itself: cars with rendered plates driving towards the camera.

Used for the demo (`make run`) and by the tests, so neither needs real footage. Each car
approaches from the distance and grows until it leaves the bottom of the picture; plates
are drawn in the GB style (black characters on white at the front, on yellow at the back).
"""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

PLATE_SIZE = (520, 112)  # a GB plate is 520 x 111 mm


@dataclass(frozen=True)
class Passage:
    vrm: str
    start: float  # seconds into the video
    duration: float = 2.5
    colour: tuple[int, int, int] = (40, 40, 160)  # BGR body colour
    rear: bool = False


def make_video(
    path: Path,
    passages: list[Passage],
    *,
    size=(1280, 720),
    fps: int = 25,
    seconds: float | None = None,
    faststart: bool = False,
):
    """Write an H.264 MP4 of the passages to `path`."""
    width, height = size
    seconds = seconds or max(p.start + p.duration for p in passages) + 0.5
    plates = {p.vrm: render_plate(p.vrm, rear=p.rear) for p in passages}
    # faststart puts the index first, as cameras that stream do: a cut file still opens.
    with av.open(str(path), "w", options={"movflags": "faststart"} if faststart else {}) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        stream.time_base = Fraction(1, fps)
        for index in range(round(seconds * fps)):
            frame = _background(width, height)
            t = index / fps
            on_road = [(t - p.start) / p.duration for p in passages]
            # The farthest car first, so nearer cars hide it rather than the other way round.
            for progress, passage in sorted(zip(on_road, passages, strict=True), key=lambda pair: pair[0]):
                if 0 <= progress <= 1:
                    _draw_car(frame, plates[passage.vrm], passage.colour, progress)
            video_frame = av.VideoFrame.from_ndarray(frame, format="bgr24")
            video_frame.pts = index
            container.mux(stream.encode(video_frame))
        container.mux(stream.encode(None))


def render_plate(vrm: str, *, rear: bool = False) -> np.ndarray:
    """A GB-style plate as BGR pixels: 'AB12CDE' is drawn 'AB12 CDE'."""
    text = f"{vrm[:4]} {vrm[4:]}" if len(vrm) == 7 else vrm
    image = Image.new("RGB", PLATE_SIZE, (255, 204, 0) if rear else (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 44, PLATE_SIZE[1]], fill=(0, 51, 153))
    draw.text((22, 86), "UK", fill=(255, 255, 255), anchor="mm", font=ImageFont.load_default(size=22))
    font = ImageFont.load_default(size=92)
    draw.text(((PLATE_SIZE[0] + 44) / 2, PLATE_SIZE[1] / 2 + 4), text, fill=(0, 0, 0), anchor="mm", font=font)
    draw.rectangle([0, 0, PLATE_SIZE[0] - 1, PLATE_SIZE[1] - 1], outline=(0, 0, 0), width=3)
    return cv2.cvtColor(np.array(image), cv2.COLOR_RGB2BGR)


def _background(width: int, height: int) -> np.ndarray:
    frame = np.full((height, width, 3), (200, 170, 140), np.uint8)  # sky
    horizon = height // 3
    road = np.array(
        [[width * 0.45, horizon], [width * 0.55, horizon], [width, height], [0, height]], np.int32
    )
    frame[horizon:] = (70, 110, 80)  # verges
    cv2.fillPoly(frame, [road], (90, 90, 90))
    return frame


def _draw_car(frame: np.ndarray, plate: np.ndarray, colour, progress: float) -> None:
    height, width = frame.shape[:2]
    scale = 0.12 + 0.9 * progress**1.5  # car width as a share of the frame's
    car_w = int(width * 0.5 * scale)
    car_h = int(car_w * 0.75)
    cx = width // 2 + int(width * 0.06 * scale)
    bottom = int(height / 3 + (height * 0.85) * progress**1.2) + car_h // 3
    top, left = bottom - car_h, cx - car_w // 2
    cv2.rectangle(frame, (left, top + car_h // 3), (left + car_w, bottom), colour, -1)
    cv2.rectangle(frame, (left + car_w // 8, top), (left + car_w * 7 // 8, top + car_h // 3), colour, -1)
    cv2.rectangle(
        frame,
        (left + car_w // 6, top + car_h // 20),
        (left + car_w * 5 // 6, top + car_h // 3),
        (60, 50, 40),
        -1,
    )
    for x in (left + car_w // 12, left + car_w * 9 // 12):
        cv2.rectangle(
            frame, (x, top + car_h // 2), (x + car_w // 6, top + car_h * 5 // 8), (200, 230, 240), -1
        )
    plate_w = int(car_w * 0.36)
    plate_h = max(2, int(plate_w * PLATE_SIZE[1] / PLATE_SIZE[0]))
    scaled = cv2.resize(plate, (plate_w, plate_h), interpolation=cv2.INTER_AREA)
    px, py = cx - plate_w // 2, top + int(car_h * 0.7)
    _paste(frame, scaled, px, py)


def _paste(frame: np.ndarray, image: np.ndarray, x: int, y: int) -> None:
    height, width = frame.shape[:2]
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(width, x + w), min(height, y + h)
    if x1 > x0 and y1 > y0:
        frame[y0:y1, x0:x1] = image[y0 - y : y1 - y, x0 - x : x1 - x]
