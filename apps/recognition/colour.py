"""A vehicle's body colour from the pixels around its plate: no model, a few thousand pixels.

The plate is fixed to the body, so the body is what surrounds it: the bumper or panel either
side of the plate, and the boot lid or bonnet above it. Below the plate lie the lower bumper,
the road and shadow, so that is left alone. Distances are measured in plate units, the square
root of the plate's area: a European plate (520 x 111 mm) and an American one (305 x 152 mm)
differ in shape but hardly in area (24 and 22 cm), so one unit serves both.

Each sampled pixel is put in one colour of apps/core/colours.py by its hue, saturation and
brightness, and the colours vote. Brightness is judged against the plate's own white (its
brightest pixels), which stands in the same light as the body: a white van in shade is as bright
as its plate, a silver car in sun is not. Black pixels count for less, because a body of any
colour holds black ones (grille, plastic bumper, shadow, rear window); a colour must win at
least MIN_SHARE of the vote.

Nothing is guessed when it cannot be told: a picture without colour (an infrared camera's), a
plate too dark to serve as white, a region mostly off the picture, or no colour winning enough
of the vote gives None. Deterministic and fast (about a millisecond for a 1280-pixel frame): it
runs on every tracked plate's best view.

The thresholds below were set by hand on 90 photographs labelled by eye; on 60 others, labelled
after they were fixed, it named the labelled colour for 37% and gave none for 28% (README,
Vehicle colour; benchmarks/colour.py measures it). A colour is a hint, never evidence.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image

from apps.core.colours import VehicleColour

from .detector import Box

# Where the body is sampled, in plate units from the plate's edges.
BESIDE = 0.25, 1.75  # from this far beyond each side of the plate to this far
BESIDE_SPAN = 0.25  # above and below the plate's own height
ABOVE = 0.35, 2.25  # from this far above the plate's top to this far
SAMPLES = 48  # at most this many pixels across and down each region
MIN_PIXELS = 60
MIN_INSIDE = 0.5  # of the regions' area that must lie in the picture

# A pixel's colour. Chroma and brightness on 0-1; brightness relative to the plate's white.
CHROMA_MIN = 0.10  # less, and a pixel is white, grey or black
SATURATION_MIN = 0.25
WHITE_MIN = 0.85
BLACK_MAX = 0.3
DARK_MAX = 0.12  # absolute: too dark for any hue to be trusted
BROWN_MAX = 0.55  # an orange or yellow hue this dark is brown
BLACK_WEIGHT = 0.6
MIN_SHARE = 0.4
# Where each hue ends, in degrees: red, orange, yellow, green, blue, (purple), then red again.
# Green reaches past cyan (180): teal and petrol bodies were labelled green more often than blue.
HUES = (15, 40, 70, 190, 260, 330)

# The picture as a whole: less chroma than this anywhere, and it was taken without colour.
MONOCHROME_MAX = 0.06
PLATE_WHITE_MIN = 0.25  # a plate darker than this gives no reference white (night, no light)
# A plate turned from the light, or in the bumper's shadow, reads darker than the body around it:
# below this its white is not trusted to scale the body's brightness.
PLATE_WHITE_FLOOR = 0.6


@dataclass(frozen=True)
class ColourEstimate:
    """A vehicle colour and the share of the vote it won (0-1)."""

    colour: VehicleColour
    confidence: float


def vehicle_colour(
    image: np.ndarray | Image.Image, plate: tuple[float, float, float, float]
) -> ColourEstimate | None:
    """The colour of the vehicle whose plate is at `plate` (x, y, width, height in pixels) in an
    RGB picture, or None when it cannot be told."""
    pixels = np.asarray(image.convert("RGB")) if isinstance(image, Image.Image) else image
    x, y, w, h = plate
    if w < 2 or h < 2 or _monochrome(pixels):
        return None
    white = _plate_white(pixels, x, y, w, h)
    if white < PLATE_WHITE_MIN:
        return None
    sampled, inside = _body_pixels(pixels, x, y, w, h)
    if inside < MIN_INSIDE or len(sampled) < MIN_PIXELS:
        return None
    votes = _votes(sampled, max(white, PLATE_WHITE_FLOOR))
    colour = max(votes, key=lambda c: votes[c])
    total = sum(votes.values())
    if not total or votes[colour] / total < MIN_SHARE:
        return None
    return ColourEstimate(colour, round(votes[colour] / total, 3))


def frame_colour(frame: np.ndarray, box: Box) -> str | None:
    """The colour a read stores for the plate the detector found at `box` in a BGR frame (as
    OpenCV decodes pictures and video): a colour of the list, or None."""
    estimate = vehicle_colour(frame[:, :, ::-1], (box.x, box.y, box.w, box.h))
    return estimate.colour.value if estimate else None


def _monochrome(pixels: np.ndarray) -> bool:
    step = max(1, max(pixels.shape[:2]) // 64)
    grid = pixels[::step, ::step].reshape(-1, 3).astype(np.int16)
    return bool((grid.max(axis=1) - grid.min(axis=1)).max() < MONOCHROME_MAX * 255)


def _plate_white(pixels: np.ndarray, x: float, y: float, w: float, h: float) -> float:
    """The brightness of the plate's brightest tenth: the white the body is judged against."""
    plate = _cut(pixels, x, y, x + w, y + h)
    if plate is None:
        return 0.0
    return float(np.percentile(plate.max(axis=1), 90)) / 255


def _body_pixels(pixels: np.ndarray, x: float, y: float, w: float, h: float) -> tuple[np.ndarray, float]:
    """Sampled pixels (n x 3, 0-1) of the regions beside and above the plate, and the share of
    those regions' area inside the picture."""
    unit = (w * h) ** 0.5
    top, bottom = y - BESIDE_SPAN * unit, y + h + BESIDE_SPAN * unit
    regions = [
        (x - BESIDE[1] * unit, top, x - BESIDE[0] * unit, bottom),
        (x + w + BESIDE[0] * unit, top, x + w + BESIDE[1] * unit, bottom),
        (x, y - ABOVE[1] * unit, x + w, y - ABOVE[0] * unit),
    ]
    wanted = sum((right - left) * (lower - upper) for left, upper, right, lower in regions)
    height, width = pixels.shape[:2]
    found = sum(
        max(0.0, min(right, width) - max(left, 0)) * max(0.0, min(lower, height) - max(upper, 0))
        for left, upper, right, lower in regions
    )
    cuts = [cut for region in regions if (cut := _cut(pixels, *region)) is not None]
    sampled = np.concatenate(cuts) if cuts else np.empty((0, 3))
    return sampled.astype(np.float32) / 255, found / wanted


def _cut(pixels: np.ndarray, left: float, upper: float, right: float, lower: float) -> np.ndarray | None:
    """The region's pixels inside the picture, at most SAMPLES across and down, as n x 3."""
    height, width = pixels.shape[:2]
    x0, y0 = max(0, round(left)), max(0, round(upper))
    x1, y1 = min(width, round(right)), min(height, round(lower))
    if x1 <= x0 or y1 <= y0:
        return None
    step_x, step_y = -(-(x1 - x0) // SAMPLES), -(-(y1 - y0) // SAMPLES)
    return pixels[y0:y1:step_y, x0:x1:step_x, :3].reshape(-1, 3)


def _votes(rgb: np.ndarray, white: float) -> dict[VehicleColour, float]:
    value = rgb.max(axis=1)
    chroma = value - rgb.min(axis=1)
    saturation = np.divide(chroma, value, out=np.zeros_like(value), where=value > 0)
    relative = value / white
    hue = _hue(rgb, value, chroma)
    coloured = (chroma >= CHROMA_MIN) & (saturation >= SATURATION_MIN) & (value > DARK_MAX)
    bright = relative >= BROWN_MAX
    kinds = {
        VehicleColour.BLACK: ~coloured & (relative < BLACK_MAX),
        VehicleColour.SILVER: ~coloured & (relative >= BLACK_MAX) & (relative < WHITE_MIN),
        VehicleColour.WHITE: ~coloured & (relative >= WHITE_MIN),
        VehicleColour.RED: coloured & ((hue < HUES[0]) | (hue >= HUES[5])),
        VehicleColour.BROWN: coloured & (hue >= HUES[0]) & (hue < HUES[2]) & ~bright,
        VehicleColour.ORANGE: coloured & (hue >= HUES[0]) & (hue < HUES[1]) & bright,
        VehicleColour.YELLOW: coloured & (hue >= HUES[1]) & (hue < HUES[2]) & bright,
        VehicleColour.GREEN: coloured & (hue >= HUES[2]) & (hue < HUES[3]),
        VehicleColour.BLUE: coloured & (hue >= HUES[3]) & (hue < HUES[4]),
        # From HUES[4] to HUES[5], purple and pink, is no colour of the list: it votes for none.
    }
    votes = {colour: float(np.count_nonzero(mask)) for colour, mask in kinds.items()}
    votes[VehicleColour.BLACK] *= BLACK_WEIGHT
    return votes


def _hue(rgb: np.ndarray, value: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """Hue in degrees (0-360) of each pixel; 0 where it has no chroma."""
    red, green, blue = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    safe = np.where(chroma > 0, chroma, 1)
    hue = np.where(
        value == red,
        ((green - blue) / safe) % 6,
        np.where(value == green, (blue - red) / safe + 2, (red - green) / safe + 4),
    )
    return np.where(chroma > 0, hue * 60, 0)
