"""Back-loading reads from a CSV file (a camera's or another system's own store).

Columns: camera, vrm, seen_at (ISO 8601), confidence, and optionally read_id, direction, lane,
latitude, longitude. Rows follow the same rules as the camera API and are stored all or nothing.
"""

import csv
import io

from django.conf import settings

from .batches import parse_batch
from .models import Read
from .services import ReadInput

REQUIRED = ("camera", "vrm", "seen_at", "confidence")
OPTIONAL = ("read_id", "direction", "lane", "latitude", "longitude")


class BackLoadRejected(ValueError):
    """The file as a whole cannot be read; the message says why."""


def read_csv_upload(upload) -> list[ReadInput]:
    """Checked reads from an uploaded CSV, or BackLoadRejected / BatchRejected (row faults)."""
    if upload is None:
        raise BackLoadRejected("Choose a CSV file to upload.")
    if upload.size > settings.READ_BACK_LOAD_MAX_BYTES:
        raise BackLoadRejected(
            f"The file is larger than {settings.READ_BACK_LOAD_MAX_BYTES:,} bytes; split it."
        )
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BackLoadRejected("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    rows = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in rows.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BackLoadRejected(f"The header row lacks: {', '.join(missing)}.")
    items: list[dict[str, str]] = []
    for row in rows:
        if len(items) >= settings.READ_BACK_LOAD_MAX_ROWS:
            raise BackLoadRejected(f"More than {settings.READ_BACK_LOAD_MAX_ROWS:,} rows; split the file.")
        item = {
            key.strip(): (value or "").strip()
            for key, value in row.items()
            if key and key.strip() in REQUIRED + OPTIONAL
        }
        items.append({key: value for key, value in item.items() if value != "" or key in REQUIRED})
    if not items:
        raise BackLoadRejected("The file has a header but no reads.")
    return parse_batch(items, source=Read.Source.UPLOAD)
