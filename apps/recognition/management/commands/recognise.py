"""manage.py recognise FILE... [--json]: the recognition pipeline on pictures or videos, no database."""

import json
from pathlib import Path

import cv2
import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.recognition.footage import recognise_video
from apps.recognition.pictures import recognise_picture
from apps.recognition.video import VideoRejected

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


class Command(BaseCommand):
    help = "Read the plates in pictures or videos, as the video worker does (nothing is stored)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="One JSON object per file per line.")
        parser.add_argument(
            "--countries",
            default=",".join(settings.RECOGNITION_COUNTRIES),
            help="Expected plate formats, most common first: GB, EU, US (default: %(default)s).",
        )

    def handle(self, *args, files, json: bool, countries: str, **options):
        expected = tuple(c.strip().upper() for c in countries.split(",") if c.strip())
        failed = 0
        for path in files:
            try:
                result = {"file": str(path), "plates": self._plates(path, expected)}
            except (OSError, VideoRejected, CommandError) as error:
                failed += 1
                result = {"file": str(path), "error": str(error)}
            self.stdout.write(_as_json(result) if json else _as_text(result))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read.")

    def _plates(self, path: Path, countries: tuple[str, ...]) -> list[dict]:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.suffix.lower() in PICTURE_SUFFIXES:
            picture = cv2.imdecode(np.fromfile(path, np.uint8), cv2.IMREAD_COLOR)
            if picture is None:
                raise CommandError(f"{path} is not a picture that can be read.")
            return [plate.as_json() for plate in recognise_picture(picture, countries=countries) if plate.vrm]
        return [track.as_json() for track in recognise_video(path, countries=countries).tracks]


def _as_json(result: dict) -> str:
    return json.dumps(result)


def _as_text(result: dict) -> str:
    if "error" in result:
        return f"{result['file']}: {result['error']}"
    plates = ", ".join(f"{p['vrm']} ({p['confidence']:.2f})" for p in result["plates"]) or "no plates"
    return f"{result['file']}: {plates}"
