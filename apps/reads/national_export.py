"""The national export's files: one CSV file and a manifest per day per force, and a supplement
for that day's reads received after it was written.

Format "anpr-national-export", version 2 (documented in docs/national-export.md):
`<FORCE>-<YYYY-MM-DD>-v2.csv` (supplements `…-v2-s<N>.csv`), UTF-8, comma-separated, "\\n" line
ends, a header row, one row per read ordered by time then id; and `<stem>.manifest.json` with
the format, version, force, day, supplement, row count, byte count and SHA-256 of the CSV.
Files are written under a temporary name and renamed, so a reader never sees half a file.
Which files are due, and when they go, is apps/reads/national_export_runs.py.
"""

import csv
import hashlib
import io
import json
import os
import tempfile
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings

from apps.core.spreadsheets import safe_row

from .evidence import image_digest
from .selectors import reads_for_national_export

# Version 2: the evidence images by the SHA-256 of their bytes, not by where they are stored.
FORMAT, VERSION = "anpr-national-export", 2
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
    "plate_image_sha256": "plate_image",
    "overview_image_sha256": "overview_image",
}
COLUMNS = tuple(FIELDS)


class ExportNotDelivered(OSError):
    """The national endpoint did not accept the file; the task retries."""


def export_directory() -> Path:
    return Path(settings.NATIONAL_EXPORT_DIR)


def file_paths(name: str) -> tuple[Path, Path]:
    """A data file's path and its manifest's."""
    data_path = export_directory() / name
    return data_path, data_path.with_name(data_path.stem + ".manifest.json")


def write_file(day: date, supplement: int, received: tuple[datetime | None, datetime]) -> dict:
    """Write the file of a day's reads received in [from, before), and its manifest."""
    export_directory().mkdir(parents=True, exist_ok=True)
    stem = f"{settings.FORCE_CODE}-{day.isoformat()}-v{VERSION}" + (f"-s{supplement}" if supplement else "")
    data_path, manifest_path = file_paths(f"{stem}.csv")
    digest, size, rows = _write_csv(data_path, day, received)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "force": settings.FORCE_CODE,
        "day": day.isoformat(),
        "supplement": supplement,
        "file": data_path.name,
        "rows": rows,
        "bytes": size,
        "sha256": digest,
        "columns": list(COLUMNS),
    }
    _replace(manifest_path, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return manifest


def deliver(name: str) -> None:
    """PUT a data file, then its manifest, to the national endpoint."""
    _deliver(*file_paths(name))


def _write_csv(path: Path, day: date, received: tuple[datetime | None, datetime]) -> tuple[str, int, int]:
    digest, size, rows = hashlib.sha256(), 0, 0
    descriptor, temporary = _temporary_beside(path)
    with os.fdopen(descriptor, "wb") as stream:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in reads_for_national_export(day, tuple(FIELDS.values()), received):
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
        image_digest(plate),
        image_digest(overview),
    ]


def _flush(buffer: io.StringIO, stream, digest) -> int:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    stream.write(data)
    digest.update(data)
    return len(data)


def _replace(path: Path, content: bytes) -> None:
    descriptor, temporary = _temporary_beside(path)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content)
    os.replace(temporary, path)


def _temporary_beside(path: Path) -> tuple[int, Path]:
    # A new file of an unpredictable name (mkstemp: O_EXCL): whoever may write the directory
    # (the receiver leaves its acknowledgements there) cannot plant a link for it to follow.
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    return descriptor, Path(name)


def _deliver(*paths: Path) -> None:
    if not settings.NATIONAL_EXPORT_URL.startswith(("https://", "http://")):
        raise ExportNotDelivered("NATIONAL_EXPORT_URL must be an http(s) URL.")
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # the file written, not a link
        with os.fdopen(descriptor, "rb") as stream:
            data = stream.read()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            f"{settings.NATIONAL_EXPORT_URL.rstrip('/')}/{path.name}",
            data=data,
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
