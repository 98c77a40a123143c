"""Reads for tests: stored through the real ingest path, and images made with Pillow."""

import base64
import io
from datetime import datetime, timedelta

from django.utils import timezone
from PIL import Image

from apps.reads.services import ReadInput, reads_ingest

PURPOSE = {"purpose": "vehicle-crime", "reference": "INC-2026-0042"}


def image_bytes(size=(120, 40), colour=(250, 210, 0), image_format="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def store_reads(camera, *specs, source="upload") -> None:
    """store_reads(camera, ("AB12CDE", age), ...) with age a timedelta before now."""
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(camera=camera.code, vrm=vrm, seen_at=now - age, confidence=0.9) for vrm, age in specs
        ],
        source=source,
    )


def ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)
