"""Back-loading reads from a CSV file (a camera's or another system's own store).

Columns: camera, vrm, seen_at (ISO 8601), confidence, and optionally read_id, direction, lane,
latitude, longitude, colour. Rows follow the same rules as the camera API.

- An upload in the portal (at most READ_BACK_LOAD_MAX_ROWS rows) is stored all or nothing.
- A file given to `manage.py load_reads` may hold millions of rows. It is checked whole first and
  nothing is stored if any row is wrong; then it is stored in chunks, each its own transaction,
  so a load that is stopped part way is finished by running it again: rows already stored are
  recognised (same camera, plate and moment) and counted as duplicates.
"""

import csv
import hashlib
import io
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .batches import parse_batch, well_formed
from .models import Read
from .services import BatchErrors, BatchRejected, ReadInput, reads_ingest

REQUIRED = ("camera", "vrm", "seen_at", "confidence")
OPTIONAL = ("read_id", "direction", "lane", "latitude", "longitude", "colour")
CHUNK_ROWS = 20_000  # rows per transaction in a file load: large enough that each costs little


class BackLoadRejected(ValueError):
    """The file as a whole cannot be read; the message says why."""


def read_csv_upload(upload) -> list[ReadInput]:
    """Checked reads from an uploaded CSV, or BackLoadRejected / BatchRejected, whose faults are
    keyed by the line each row ends on."""
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
    lines: list[int] = []
    try:
        for line, item in csv_items(io.StringIO(text)):
            if len(items) >= settings.READ_BACK_LOAD_MAX_ROWS:
                raise BackLoadRejected(
                    f"More than {settings.READ_BACK_LOAD_MAX_ROWS:,} rows; split the file."
                )
            items.append(item)
            lines.append(line)
    except csv.Error as error:
        raise BackLoadRejected(f"The file is not well-formed CSV: {error}.") from None
    if not items:
        raise BackLoadRejected("The file has a header but no reads.")
    try:
        return parse_batch(items, source=Read.Source.UPLOAD)
    except BatchRejected as rejected:
        raise BatchRejected({lines[index]: fields for index, fields in rejected.errors.items()}) from None


def csv_items(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row of a CSV of reads as an ingest item, with the line it ends on; BackLoadRejected if
    the header lacks a column."""
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
        yield rows.line_num, item


@dataclass
class LoadProgress:
    """How far a load has got: rows stored or found already held so far, and the file's SHA-256
    once it has been read whole."""

    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    sha256: str = ""


class FileFaults(Exception):
    """Rows of the file are wrong and nothing was stored: `faults` lists (line, field, message) for
    the first of them, `rows` counts every faulty row."""

    def __init__(self, faults: list[tuple[int, str, str]], rows: int) -> None:
        super().__init__(f"{rows} row(s) to fix; nothing was stored")
        self.faults, self.rows = faults, rows


class LoadStopped(Exception):
    """Storing stopped part way: the file changed after it was checked, or a row no longer passes
    (one that reached the end of the retention period meanwhile). What was stored stays, and a
    second run after the fix stores the rest."""


def load_file(path: Path, *, chunk_rows: int = CHUNK_ROWS, progress: LoadProgress, listed: int = 50) -> None:
    """Check the whole file, then store it chunk by chunk, counting in `progress`. FileFaults
    (nothing stored) if any row is wrong; BackLoadRejected if the file cannot be read at all;
    LoadStopped if storing had to stop."""
    checked: list[str] = []  # the file's digest as far as each chunk, to store only what was checked
    faults: list[tuple[int, str, str]] = []
    rows = faulty = 0
    whole = hashlib.sha256()
    for chunk in _chunks(path, chunk_rows, whole):
        checked.append(chunk.digest)
        rows += len(chunk.items)
        try:
            parse_batch(chunk.items, source=Read.Source.UPLOAD)
        except BatchRejected as rejected:
            faulty += len(rejected.errors)
            faults += _lines(rejected.errors, chunk.lines)[: listed - len(faults)]
    if faulty:
        raise FileFaults(faults, faulty)
    if not rows:
        raise BackLoadRejected("The file has a header but no reads.")
    progress.sha256 = whole.hexdigest()
    count = 0
    reading = _ahead(lambda: _chunks(path, chunk_rows, hashlib.sha256(), well_formed_only=True))
    for count, chunk in enumerate(reading, start=1):
        if count > len(checked) or chunk.digest != checked[count - 1]:
            raise LoadStopped("The file changed after it was checked; nothing of the change was stored.")
        try:
            result = reads_ingest(items=chunk.reads, source=Read.Source.UPLOAD)
        except BatchRejected as rejected:
            (line, name, message), *_ = _lines(rejected.errors, chunk.lines)
            raise LoadStopped(f"line {line}, {name}: {message} (a row that passed the check)") from None
        progress.rows += len(chunk.reads)
        progress.stored += result.stored
        progress.duplicates += result.duplicates
    if count != len(checked):
        raise LoadStopped("The file changed after it was checked: it ended early.")


@dataclass
class _Chunk:
    items: list[dict[str, str]]
    lines: list[int]  # the line each item ends on
    digest: str  # SHA-256 of the file's bytes read so far
    reads: list[ReadInput] = field(default_factory=list)


def _chunks(path: Path, size: int, digest, *, well_formed_only: bool = False) -> Iterator[_Chunk]:
    """The file's items in chunks of `size`; `digest` takes in every byte read, the whole file's
    once the chunks are all read."""
    try:
        with path.open("rb") as raw:
            text = io.TextIOWrapper(io.BufferedReader(_Hashed(raw, digest)), encoding="utf-8-sig", newline="")
            chunk = _Chunk([], [], "")
            for line, item in csv_items(text):
                chunk.items.append(item)
                chunk.lines.append(line)
                if len(chunk.items) == size:
                    yield _finished(chunk, digest, well_formed_only)
                    chunk = _Chunk([], [], "")
            text.read()  # to the end, so that `digest` is the whole file's
            if chunk.items:
                yield _finished(chunk, digest, well_formed_only)
    except UnicodeDecodeError:
        raise BackLoadRejected("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    except csv.Error as error:
        raise BackLoadRejected(f"The file is not well-formed CSV: {error}.") from None


def _finished(chunk: _Chunk, digest, well_formed_only: bool) -> _Chunk:
    chunk.digest = digest.hexdigest()
    if well_formed_only:
        # Checked whole before; reads_ingest checks each chunk against the database as it stores.
        reads, errors = well_formed(chunk.items)
        if errors:
            raise LoadStopped("The file changed after it was checked; nothing of the change was stored.")
        chunk.reads = [read for _, read in reads]
    return chunk


class _Hashed(io.RawIOBase):
    """A binary file that adds what is read from it to a digest."""

    def __init__(self, raw, digest) -> None:
        self.raw, self.digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        return count


def _lines(errors: BatchErrors, lines: list[int]) -> list[tuple[int, str, str]]:
    return [
        (lines[index], name, " ".join(str(message) for message in messages))
        for index, fields in errors.items()
        for name, messages in fields.items()
    ]


def _ahead[T](make: Callable[[], Iterator[T]], depth: int = 2) -> Iterator[T]:
    """The items of make() produced by a thread of their own, up to `depth` ahead of the consumer:
    the next chunk is parsed while the database stores this one. When the consumer stops early,
    the thread stops too."""
    handed: queue.Queue = queue.Queue(maxsize=depth)
    stop, done = threading.Event(), object()

    def hand(item: object) -> None:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in make():
                if stop.is_set():
                    return
                hand(item)
            hand(done)
        except BaseException as error:  # noqa: BLE001 (raised again in the consumer)
            hand(error)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while (item := handed.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
