"""Back-loading reads from a CSV file (a camera's or another system's own store).

Columns: camera, vrm, seen_at (ISO 8601), confidence, and optionally read_id, direction, lane,
latitude, longitude. Rows follow the same rules as the camera API.

- An upload in the portal (at most READ_BACK_LOAD_MAX_ROWS rows) is stored all or nothing.
- A file given to `manage.py load_reads` may hold millions of rows. It is checked whole first and
  nothing is stored if any row is wrong; then it is stored in chunks, each its own transaction,
  so a load that is stopped part way is finished by running it again: rows already stored are
  recognised (same camera, plate and moment) and counted as duplicates.
"""

import csv
import io
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from .batches import parse_batch, well_formed
from .models import Read
from .services import BatchErrors, BatchRejected, ReadInput, reads_ingest

REQUIRED = ("camera", "vrm", "seen_at", "confidence")
OPTIONAL = ("read_id", "direction", "lane", "latitude", "longitude")
CHUNK_ROWS = 20_000  # rows per transaction in a file load: large enough that each costs little


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
    items: list[dict[str, str]] = []
    for item in csv_items(io.StringIO(text)):
        if len(items) >= settings.READ_BACK_LOAD_MAX_ROWS:
            raise BackLoadRejected(f"More than {settings.READ_BACK_LOAD_MAX_ROWS:,} rows; split the file.")
        items.append(item)
    if not items:
        raise BackLoadRejected("The file has a header but no reads.")
    return parse_batch(items, source=Read.Source.UPLOAD)


def csv_items(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """Each row of a CSV of reads as an ingest item; BackLoadRejected if the header lacks a column."""
    rows = csv.DictReader(lines)
    header = [name.strip() for name in rows.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BackLoadRejected(f"The header row lacks: {', '.join(missing)}.")
    # Column positions, once: a dict per row is what the batch parser takes.
    known = REQUIRED + OPTIONAL
    wanted = [(raw, raw.strip()) for raw in rows.fieldnames or [] if raw and raw.strip() in known]
    for row in rows:
        item = {}
        for raw, name in wanted:
            value = (row.get(raw) or "").strip()
            if value or name in REQUIRED:
                item[name] = value
        yield item


@dataclass(frozen=True)
class FileLoaded:
    rows: int
    stored: int
    duplicates: int


class FileFaults(Exception):
    """Rows of the file are wrong and nothing was stored: `faults` lists (line, field, message) for
    the first of them, `rows` counts every faulty row."""

    def __init__(self, faults: list[tuple[int, str, str]], rows: int) -> None:
        super().__init__(f"{rows} row(s) to fix; nothing was stored")
        self.faults, self.rows = faults, rows


def load_file(
    path: Path,
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] = lambda rows: None,
    listed: int = 50,
) -> FileLoaded:
    """Check the whole file, then store it chunk by chunk; FileFaults (nothing stored) if any row
    is wrong, BackLoadRejected if the file cannot be read at all."""
    rows, faults, faulty = 0, list[tuple[int, str, str]](), 0
    for first_line, items in _chunks(path, chunk_rows):
        rows += len(items)
        try:
            parse_batch(items, source=Read.Source.UPLOAD)
        except BatchRejected as rejected:
            faulty += len(rejected.errors)
            faults += _lines(rejected.errors, first_line)[: listed - len(faults)]
    if faulty:
        raise FileFaults(faults, faulty)
    if not rows:
        raise BackLoadRejected("The file has a header but no reads.")
    stored = duplicates = done = 0
    for reads in _ahead(lambda: _checked_chunks(path, chunk_rows)):
        result = reads_ingest(items=reads, source=Read.Source.UPLOAD)
        stored, duplicates, done = stored + result.stored, duplicates + result.duplicates, done + len(reads)
        progress(done)
    return FileLoaded(rows=rows, stored=stored, duplicates=duplicates)


def _chunks(path: Path, size: int) -> Iterator[tuple[int, list[dict[str, str]]]]:
    """(line of the chunk's first row, its items); a row's line assumes no newline inside a field."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            chunk: list[dict[str, str]] = []
            first = 2
            for item in csv_items(lines):
                chunk.append(item)
                if len(chunk) == size:
                    yield first, chunk
                    first, chunk = first + size, []
            if chunk:
                yield first, chunk
    except UnicodeDecodeError:
        raise BackLoadRejected("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    except csv.Error as error:
        raise BackLoadRejected(f"The file is not well-formed CSV: {error}.") from None


def _checked_chunks(path: Path, size: int) -> Iterator[list[ReadInput]]:
    # Checked whole before; reads_ingest checks each chunk against the database again as it stores.
    for _, items in _chunks(path, size):
        reads, errors = well_formed(items)
        if errors:
            raise BackLoadRejected("The file changed while it was loaded; run the load again.")
        yield [read for _, read in reads]


def _lines(errors: BatchErrors, first_line: int) -> list[tuple[int, str, str]]:
    return [
        (first_line + index, name, " ".join(str(message) for message in messages))
        for index, fields in errors.items()
        for name, messages in fields.items()
    ]


def _ahead[T](make: Callable[[], Iterator[T]], depth: int = 2) -> Iterator[T]:
    """The items of make() produced by a thread of their own, up to `depth` ahead of the consumer:
    the next chunk is parsed and checked while the database stores this one."""
    handed: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def produce() -> None:
        try:
            for item in make():
                handed.put(item)
            handed.put(done)
        except BaseException as error:  # noqa: BLE001 (raised again in the consumer)
            handed.put(error)
        finally:
            connection.close()  # the thread's own connection (camera lookups)

    threading.Thread(target=produce, daemon=True).start()
    while (item := handed.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
