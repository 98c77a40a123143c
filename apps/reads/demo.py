"""Demo reads: about 20,000 reads over the last two years, denser lately, some with plate images,
most with a vehicle colour (as a camera that sends one would), so the colour filter can be tried.

A handful of 'vehicles of interest' recur across cameras so searches and vehicle histories
have something to show. Loaded once; re-running leaves them as they are.
"""

import io
import random
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from apps.cameras.demo import CAMERAS
from apps.core.colours import VehicleColour

from .evidence import check_image
from .selectors import reads_held_from
from .services import ReadInput, reads_ingest

RECURRING = ["AB12CDE", "KX19ZTP", "LR68WNN", "YD21OKM", "FN70HHT", "PK15RRS", "GV64EEA", "WM23JJU"]
TOTAL = 20_000
BATCH = 1000
WITH_IMAGES = 300  # the most recent reads carry a rendered plate patch
# Roughly how often each colour is seen on the road; a third of reads have none (unknown).
UNKNOWN_COLOUR = 1 / 3
COLOURS = {
    VehicleColour.SILVER: 18,
    VehicleColour.WHITE: 13,
    VehicleColour.BLACK: 13,
    VehicleColour.BLUE: 9,
    VehicleColour.RED: 7,
    VehicleColour.GREEN: 2,
    VehicleColour.BROWN: 2,
    VehicleColour.YELLOW: 1,
    VehicleColour.ORANGE: 1,
}


def seed(*, out) -> None:
    codes = [c[0] for c in CAMERAS if c[8] != "proposed"]
    if reads_held_from(codes):
        out.write("Demo reads: already loaded")
        return
    rng = random.Random(20261123)
    now = timezone.now()
    fixed = [c for c in CAMERAS if c[8] != "proposed" and c[7] == "fixed"]
    van = next(c for c in CAMERAS if c[7] == "mobile")
    reads = []
    for _ in range(TOTAL):
        # Ages skewed towards the present: half the reads in the last ~90 days.
        age = timedelta(days=min(728.5, rng.expovariate(1 / 130)), seconds=rng.randrange(86_400))
        vrm = rng.choice(RECURRING) if rng.random() < 0.04 else _random_plate(rng)
        camera = van if rng.random() < 0.08 else rng.choice(fixed)
        position: dict[str, Any] = {}
        if camera is van:
            position = {
                "latitude": 52.63 + rng.uniform(-0.05, 0.05),
                "longitude": -1.13 + rng.uniform(-0.07, 0.07),
            }
        reads.append(
            ReadInput(
                camera=camera[0],
                vrm=vrm,
                seen_at=now - age,
                confidence=round(rng.uniform(0.72, 0.995), 3),
                direction=camera[3],
                lane=rng.choice([1, 2]),
                **position,
            )
        )
    # Generators of their own, so the reads themselves stay as they were before colours were
    # added; each plate keeps its colour wherever it is read.
    unknown = random.Random(21)
    for read in reads:
        if unknown.random() >= UNKNOWN_COLOUR:
            (colour,) = random.Random(read.vrm).choices(list(COLOURS), weights=list(COLOURS.values()))
            read.colour = colour.value
    reads.sort(key=lambda read: read.seen_at, reverse=True)
    for read in reads[:WITH_IMAGES]:
        read.plate_image = check_image(_plate_patch(read.vrm))
    stored = 0
    for start in range(0, len(reads), BATCH):
        stored += reads_ingest(items=reads[start : start + BATCH], source="upload").stored
    out.write(f"Demo reads: {stored:,} over the last two years (try plate {RECURRING[0]} or pattern KX1*)")


def _random_plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    return (
        rng.choice(letters)
        + rng.choice(letters)
        + f"{rng.randrange(1, 100):02d}"
        + "".join(rng.choice(letters) for _ in range(3))
    )


def _plate_patch(vrm: str) -> bytes:
    image = Image.new("RGB", (220, 50), (255, 210, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 219, 49), outline=(20, 20, 20), width=3)
    text = f"{vrm[:4]} {vrm[4:]}"
    font = ImageFont.load_default(size=34)
    width = draw.textlength(text, font=font)
    draw.text(((220 - width) / 2, 5), text, fill=(10, 10, 10), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
