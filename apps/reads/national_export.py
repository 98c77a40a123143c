"""The daily export to the national data centre: one CSV file per day per force, and a manifest.

Format "anpr-national-export", version 1 (documented in docs/national-export.md):
`<FORCE>-<YYYY-MM-DD>-v1.csv`, UTF-8, comma-separated, "\\n" line ends, a header row, one row
per read of that UTC day ordered by time then id; and `<FORCE>-<YYYY-MM-DD>-v1.manifest.json`
with the format, version, force, day, row count, byte count and SHA-256 of the CSV. Nothing in
either file depends on when it was made, so exporting a day again gives the same bytes. Files
are written under a temporary name and renamed, so a reader never sees half a file.
"""

import csv
import hashlib
import io
import json
import os
import urllib.request
from datetime import UTC, date
from pathlib import Path

from django.conf import settings

from apps.core.spreadsheets import safe_row

from .selectors import reads_for_national_export

FORMAT, VERSION = "anpr-national-export", 1
# Each column of the file and the read field it holds, in file order.
FIELDS = {
    "read_id": "id",
    "vrm": "vrm",
    "seen_at": "seen_at",
    "camera": "camera__code",
    "confidence": "confidence",
    "direction": "direction",
    "lane": "lane",
    "latitude": "latitude",
    "longitude": "longitude",
    "source": "source",
    "plate_image": "plate_image",
    "overview_image": "overview_image",
}
COLUMNS = tuple(FIELDS)


class ExportNotDelivered(OSError):
    """The national endpoint did not accept the file; the task retries."""


def export_day(day: date) -> dict:
    """Write (or rewrite) a day's file and manifest; deliver them when an endpoint is set."""
    directory = Path(settings.NATIONAL_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{settings.FORCE_CODE}-{day.isoformat()}-v{VERSION}"
    data_path = directory / f"{stem}.csv"
    digest, size, rows = _write_csv(data_path, day)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "force": settings.FORCE_CODE,
        "day": day.isoformat(),
        "file": data_path.name,
        "rows": rows,
        "bytes": size,
        "sha256": digest,
        "columns": list(COLUMNS),
    }
    manifest_path = directory / f"{stem}.manifest.json"
    _replace(manifest_path, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    if settings.NATIONAL_EXPORT_URL:
        _deliver(data_path, manifest_path)
    return manifest


def _write_csv(path: Path, day: date) -> tuple[str, int, int]:
    temporary = path.with_suffix(".csv.part")
    digest, size, rows = hashlib.sha256(), 0, 0
    with temporary.open("wb") as stream:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in reads_for_national_export(day, tuple(FIELDS.values())):
            writer.writerow(safe_row(_cells(row)))
            rows += 1
            if rows % 10_000 == 0:
                size += _flush(buffer, stream, digest)
        size += _flush(buffer, stream, digest)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
    return digest.hexdigest(), size, rows


def _cells(row: tuple) -> list:
    (
        read_id,
        vrm,
        seen_at,
        camera,
        confidence,
        direction,
        lane,
        latitude,
        longitude,
        source,
        plate,
        overview,
    ) = row
    return [
        read_id,
        vrm,
        seen_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        camera,
        f"{confidence:.4f}",
        direction,
        "" if lane is None else lane,
        "" if latitude is None else f"{latitude:.6f}",
        "" if longitude is None else f"{longitude:.6f}",
        source,
        plate,
        overview,
    ]


def _flush(buffer: io.StringIO, stream, digest) -> int:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    stream.write(data)
    digest.update(data)
    return len(data)


def _replace(path: Path, content: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _deliver(*paths: Path) -> None:
    if not settings.NATIONAL_EXPORT_URL.startswith(("https://", "http://")):
        raise ExportNotDelivered("NATIONAL_EXPORT_URL must be an http(s) URL.")
    for path in paths:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            f"{settings.NATIONAL_EXPORT_URL.rstrip('/')}/{path.name}",
            data=path.read_bytes(),
            method="PUT",
            headers={
                "Authorization": f"Bearer {settings.NATIONAL_EXPORT_TOKEN}",
                "Content-Type": _type(path),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (checked above)
                if response.status >= 300:
                    raise ExportNotDelivered(f"{path.name}: the endpoint answered {response.status}")
        except OSError as error:  # URLError and HTTPError are OSErrors
            raise ExportNotDelivered(f"{path.name} not delivered: {error}") from error


def _type(path: Path) -> str:
    return "application/json" if path.suffix == ".json" else "text/csv"
