"""Ingest: the one way reads enter the store (camera API, CSV back-load, video recognition).

A batch is checked whole first; if any item is wrong, nothing is stored and every fault is
reported by item and field. A read already stored (same client read id, or same camera,
plate and moment) is counted as a duplicate, not stored again.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from apps.cameras.models import Camera
from apps.core.plates import VRM_MAX_LENGTH, Candidate, normalise_vrm
from apps.core.times import shown

from .evidence import CheckedImage, store_image
from .hooks import StoredRead, on_reads_stored
from .models import Read
from .partitions import ensure_partitions
from .signals import reads_ingested

# Every fault of a batch: by item index, then by field, its messages.
BatchErrors = dict[int, dict[str, list[str]]]


@dataclass
class ReadInput:
    """One read as received, already well-formed (types, ranges, images decoded and checked)."""

    camera: str
    vrm: str
    seen_at: datetime
    confidence: float
    read_id: UUID | None = None
    plate_image: CheckedImage | None = None
    overview_image: CheckedImage | None = None
    direction: str = ""
    lane: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    candidates: list[Candidate] = field(default_factory=list)
    # One of apps/core/colours.py, or None: sent by the camera, or estimated by video recognition.
    colour: str | None = None


@dataclass(frozen=True)
class IngestResult:
    stored: int
    duplicates: int
    # What on_reads_stored raised (hotlists' alerts): the hook's to know what they are, not ingest's.
    alerts: list[object]


class BatchRejected(Exception):
    """Some items are wrong; `errors` maps item index to {field: [messages]}."""

    def __init__(self, errors: BatchErrors) -> None:
        super().__init__(f"{len(errors)} item(s) rejected")
        self.errors = errors


def batch_check(items: list[ReadInput], *, source: str, now: datetime | None = None) -> BatchErrors:
    """The faults in a batch that only the database can reveal, by item index and field."""
    rules = CaptureRules(source=source, now=now or timezone.now())
    cameras = {c.code: c for c in Camera.objects.filter(code__in={item.camera for item in items})}
    errors: BatchErrors = defaultdict(dict)
    for index, item in enumerate(items):
        faults = rules.faults(
            cameras.get(item.camera),
            code=item.camera,
            seen_at=item.seen_at,
            latitude=item.latitude,
            longitude=item.longitude,
        )
        for name, message in faults.items():
            errors[index][name] = [message]
        vrm = normalise_vrm(item.vrm)
        if not vrm:
            errors[index]["vrm"] = ["The plate has no letters or digits."]
        elif len(vrm) > VRM_MAX_LENGTH:
            errors[index]["vrm"] = [f"Longer than {VRM_MAX_LENGTH} characters."]
    return dict(errors)


def capture_faults(
    camera: Camera | None,
    *,
    code: str,
    seen_at: datetime,
    latitude: float | None,
    longitude: float | None,
    source: str,
    now: datetime,
) -> dict[str, str]:
    """What stops a capture from being stored, by field ("camera", "latitude", "seen_at"): an
    unknown camera, or one that may not capture for this source; a vehicle-mounted camera's read
    without its position; a moment in the future, or older than the source may send. The one
    statement of these rules: every batch is held to them, and video recognition checks an
    upload's camera and recording time by them before it starts (`camera` is the one named
    `code`, None when there is none)."""
    return CaptureRules(source=source, now=now).faults(
        camera, code=code, seen_at=seen_at, latitude=latitude, longitude=longitude
    )


class CaptureRules:
    """capture_faults' rules for one source at one moment, worked out once for a whole batch."""

    def __init__(self, *, source: str, now: datetime) -> None:
        self.source = source
        self.latest = now + settings.READ_CLOCK_SKEW
        self.oldest, self.too_old = _oldest_accepted(source, now)

    def faults(
        self,
        camera: Camera | None,
        *,
        code: str,
        seen_at: datetime,
        latitude: float | None,
        longitude: float | None,
    ) -> dict[str, str]:
        faults: dict[str, str] = {}
        if camera is None:
            faults["camera"] = f"Unknown camera {code!r}."
        elif not _accepts_reads(camera, self.source):
            faults["camera"] = _refused(camera)
        elif camera.kind == Camera.Kind.MOBILE and (latitude is None or longitude is None):
            faults["latitude"] = "A vehicle-mounted camera's reads need latitude and longitude."
        if seen_at > self.latest:
            faults["seen_at"] = f"{shown(seen_at)} is in the future."
        elif seen_at < self.oldest:
            faults["seen_at"] = self.too_old
        return faults


def reads_ingest(*, items: list[ReadInput], source: str) -> IngestResult:
    """Store a checked batch in one statement; all or nothing."""
    errors = batch_check(items, source=source)
    if errors:
        raise BatchRejected(errors)
    if not items:
        return IngestResult(stored=0, duplicates=0, alerts=[])
    ensure_partitions({item.seen_at.astimezone(UTC).date() for item in items})
    cameras = dict(Camera.objects.filter(code__in={i.camera for i in items}).values_list("code", "id"))
    rows = [_row(item, cameras[item.camera], source) for item in items]
    with transaction.atomic():
        already = _stored_read_ids(items)
        rows = [row for row in rows if row.read_uuid is None or row.read_uuid not in already]
        stored = _insert(rows)
        # Checked in the same transaction: a read is stored with its alerts or not at all.
        alerts = on_reads_stored.raise_for(stored)
        transaction.on_commit(lambda: on_reads_stored.after_commit(alerts))
        # send_robust: the batch is stored whatever a listener (the metrics) makes of the news.
        transaction.on_commit(
            lambda: reads_ingested.send_robust(sender=Read, source=source, stored=len(stored), alerts=alerts)
        )
    return IngestResult(stored=len(stored), duplicates=len(items) - len(stored), alerts=alerts)


def _oldest_accepted(source: str, now: datetime) -> tuple[datetime, str]:
    # A camera's own feed sends what it read lately (a few days' backlog after an outage); older
    # reads are back-loaded by an administrator, so a stolen camera token cannot forge a past.
    if source == Read.Source.CAMERA:
        days = settings.READ_FEED_MAX_AGE_DAYS
        return now - timedelta(days=days), (
            f"Older than {days} days: a camera's feed sends recent reads; "
            "an administrator back-loads older ones."
        )
    days = settings.READ_RETENTION_DAYS
    return now - timedelta(days=days), f"Older than the retention period ({days} days)."


def _accepts_reads(camera: Camera, source: str) -> bool:
    # Live cameras send reads; back-loaded files and video may also carry reads from cameras
    # since suspended or decommissioned. A proposed camera was never approved to capture.
    if camera.status == Camera.Status.LIVE:
        return True
    return source != Read.Source.CAMERA and camera.status != Camera.Status.PROPOSED


def _refused(camera: Camera) -> str:
    if camera.status == Camera.Status.PROPOSED:
        return f"Camera {camera.code} is proposed; it was never approved to capture."
    return f"Camera {camera.code} is {camera.status}; it may not submit reads."


class ReadRow(NamedTuple):
    """One read as INSERT stores it, its fields in INSERT's column order."""

    seen_at: datetime
    camera_id: int
    vrm: str
    vrm_as_read: str
    confidence: float
    candidates: list[Candidate]
    plate_image: str
    overview_image: str
    direction: str
    lane: int | None
    source: str
    latitude: float | None
    longitude: float | None
    read_uuid: UUID | None
    colour: str | None


def _row(item: ReadInput, camera_id: int, source: str) -> ReadRow:
    return ReadRow(
        seen_at=item.seen_at,
        camera_id=camera_id,
        vrm=normalise_vrm(item.vrm),
        vrm_as_read=item.vrm[:32],
        confidence=item.confidence,
        candidates=[{"vrm": normalise_vrm(c["vrm"]), "confidence": c["confidence"]} for c in item.candidates],
        plate_image=store_image(item.plate_image) if item.plate_image else "",
        overview_image=store_image(item.overview_image) if item.overview_image else "",
        direction=item.direction,
        lane=item.lane,
        source=source,
        latitude=item.latitude,
        longitude=item.longitude,
        read_uuid=item.read_id,
        colour=item.colour,
    )


def _stored_read_ids(items: list[ReadInput]) -> set[UUID | None]:
    # Client read ids are looked up near the batch's own times, so only a few partitions are read.
    ids = [item.read_id for item in items if item.read_id]
    if not ids:
        return set()
    times = [item.seen_at for item in items]
    return set(
        Read.objects.filter(
            read_uuid__in=ids,
            seen_at__gte=min(times) - timedelta(days=1),
            seen_at__lte=max(times) + timedelta(days=1),
        ).values_list("read_uuid", flat=True)
    )


COLUMNS = ", ".join(ReadRow._fields)
# A batch is copied into a table of this session's own, then moved in one statement that skips
# what is already held. COPY costs a tenth of binding the batch as parameters, whose client-side
# quoting took longer than the insert itself.
INCOMING = f"""
CREATE TEMPORARY TABLE IF NOT EXISTS pg_temp.reads_incoming ON COMMIT DELETE ROWS AS
SELECT 0 AS position, {COLUMNS} FROM reads_read WITH NO DATA
"""  # noqa: S608 (names from code)
COPY = f"COPY pg_temp.reads_incoming (position, {COLUMNS}) FROM STDIN (FORMAT BINARY)"
# The position in the batch, then ReadRow's fields in order.
COPY_TYPES = ["int4", "timestamptz", "int8", "varchar", "varchar", "float4", "jsonb", "varchar"]
COPY_TYPES += ["varchar", "varchar", "int2", "varchar", "float8", "float8", "uuid", "varchar"]
# Moved, not copied: a second batch in the same transaction finds the table empty. In time order,
# so that a large batch (a back-load) updates each day partition's index pages together; of two
# items with the same camera, plate and moment the batch's first is the one stored.
INSERT = f"""
WITH batch AS (DELETE FROM pg_temp.reads_incoming RETURNING *)
INSERT INTO reads_read ({COLUMNS}) SELECT {COLUMNS} FROM batch ORDER BY seen_at, position
ON CONFLICT DO NOTHING
RETURNING id, seen_at, camera_id, vrm, plate_image, latitude, longitude
"""  # noqa: S608 (names from code)
CANDIDATES = ReadRow._fields.index("candidates")


def _insert(rows: list[ReadRow]) -> list[StoredRead]:
    """Copy the batch in and insert it in one statement; returns the reads actually stored."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(INCOMING)
        with cursor.copy(COPY) as copy:
            copy.set_types(COPY_TYPES)
            for position, row in enumerate(rows):
                copy.write_row((position, *row[:CANDIDATES], Jsonb(row.candidates), *row[CANDIDATES + 1 :]))
        cursor.execute(INSERT)
        return [StoredRead(*row) for row in cursor.fetchall()]
