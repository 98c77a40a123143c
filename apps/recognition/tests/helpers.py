"""Generated test footage: cars with rendered plates (the project's own, no real video)."""

from functools import cache
from pathlib import Path

from apps.recognition.synthetic import Passage, make_video

PASSAGES = (Passage("AB12CDE", 0.0), Passage("XY65ZKT", 1.6, colour=(30, 120, 30), rear=True))


@cache
def short_video(directory: Path) -> Path:
    """Two cars, one after the other, 4.6 s of 854x480 at 25 fps."""
    path = directory / "two-cars.mp4"
    make_video(path, list(PASSAGES), size=(854, 480))
    return path
