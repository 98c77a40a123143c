"""A case folder's evidential export: one ZIP file holding the reads the exporter may see now, as
CSV (reads.csv) and JSON (reads.json), their plate patches and overview images (images/), the audit
records that led to each read (audit.json), the searches filed in it with what each asked and found
(searches.json), and the sealed manifest (package_seal.py) that says who
exported it, when and under what purpose.

The export is recorded (kind EVIDENCE, under the folder's purpose and reference) before any read
is read for it, and the file is built whole in a temporary file before a byte of it is sent, so a
package that would be too large is refused rather than cut short. A read the exporter may not see
now (outside their access window, or past retention) is left out, and the manifest counts it.
"""

import csv
import io
import json
import re
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.disclosure import camera_as_disclosed, where_read_was_taken
from apps.core.purposes import purpose_label
from apps.core.spreadsheets import safe_row
from apps.core.times import iso_local
from apps.core.users import User
from apps.reads.evidence import IMAGES, image_digest, open_image
from apps.reads.models import Read
from apps.reads.selectors import read_trail

from .models import Case
from .package_seal import PackageWriter
from .selectors import FiledRead, FiledSearch, case_opened

CSV_HEADER = [
    "Read",
    "Seen at",
    "Plate",
    "Plate as read",
    "Confidence",
    "Camera",
    "Area",
    "Direction",
    "Lane",
    "Source",
    "Plate patch",
    "Overview image",
    "Filed by",
    "Filed at",
    "Note",
]


@dataclass(frozen=True)
class EvidentialPackage:
    """A package written and sealed, ready to send: the open temporary file (read from its start;
    it is deleted once closed) and its name."""

    file: IO[bytes]
    name: str


def case_export(user: User, case: Case, *, via: str = "portal") -> EvidentialPackage:
    """The folder exported as evidence by `user`, who may open it. Raises SearchThrottled and
    SearchNotRecorded as any opening of reads, and PackageTooLarge."""
    opened = case_opened(user, case, kind=SearchAudit.Kind.EVIDENCE, via=via)
    opened.audit.refresh_from_db(fields=["at"])  # the moment as the trail holds it: the database's clock
    target = tempfile.TemporaryFile()  # noqa: SIM115  # sent, then closed, by the response
    try:
        with PackageWriter(
            target, max_bytes=settings.CASE_EXPORT_MAX_BYTES, moment=opened.audit.at
        ) as writer:
            shown = opened.shown
            files = {filed.read.pk: _add_images(writer, filed.read) for filed in shown if filed.read}
            writer.add("reads.csv", _reads_csv(user, shown, files))
            writer.add("reads.json", _json([_read_record(user, filed, files) for filed in shown]))
            writer.add("audit.json", _json(_audit_records(shown, opened.audit)))
            writer.add("searches.json", _json([_search_record(filed) for filed in opened.searches]))
            withheld = len(opened.filed) - len(shown)
            writer.seal(_facts(user, case, opened.audit, shown=len(shown), withheld=withheld))
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return EvidentialPackage(file=target, name=package_name(case, opened.audit))


def package_name(case: Case, audit: SearchAudit) -> str:
    """What the file holds and when it was made: case-CR-1234-26-2026-12-04T1005.zip."""
    reference = re.sub(r"[^A-Za-z0-9]+", "-", case.reference).strip("-") or "no-reference"
    return f"case-{reference}-{timezone.localtime(audit.at):%Y-%m-%dT%H%M}.zip"


def _add_images(writer: PackageWriter, read: Read) -> dict[str, str]:
    """The read's images added as images/<read>-<kind>.<ext>; returns each kind's file name."""
    added = {}
    for kind, field in IMAGES.items():
        stored = getattr(read, field)
        if not stored:
            continue
        name = f"images/{read.id}-{kind}.{stored.rsplit('.', 1)[-1]}"
        try:
            with open_image(stored) as image:
                writer.add_from(name, image, compress=False)
        except FileNotFoundError:
            continue  # named by the read but gone from storage: reads.json says so (no file)
        added[kind] = name
    return added


def _reads_csv(user: User, shown: list[FiledRead], files: dict[Any, dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_HEADER, "Latitude", "Longitude"])
    for filed in shown:
        read, item = filed.read, filed.item
        assert read is not None  # shown: the exporter may see it
        row = [
            read.id,
            iso_local(read.seen_at),
            read.vrm,
            read.vrm_as_read,
            f"{read.confidence:.3f}",
            read.camera.code,
            read.camera.area,
            read.direction,
            read.lane if read.lane is not None else "",
            read.source,
            files[read.pk].get("plate", ""),
            files[read.pk].get("overview", ""),
            item.added_by.get_username(),
            iso_local(item.added_at),
            item.note,
            *(where_read_was_taken(read) or (None, None)),
        ]
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode()


def _read_record(user: User, filed: FiledRead, files: dict[Any, dict[str, str]]) -> dict[str, object]:
    read, item = filed.read, filed.item
    assert read is not None
    record: dict[str, object] = {
        "read": read.id,
        "seen_at": read.seen_at.isoformat(),
        "received_at": read.received_at.isoformat(),
        "vrm": read.vrm,
        "vrm_as_read": read.vrm_as_read,
        "confidence": read.confidence,
        "candidates": read.candidates,
        "camera": camera_as_disclosed(read.camera, user),
        "direction": read.direction,
        "lane": read.lane,
        "source": read.source,
        # Each image's SHA-256 as received from the camera (its storage name): the file's hash in
        # the manifest must match it, which shows the picture is the one the camera sent.
        "images": {
            kind: {"file": files[read.pk].get(kind), "sha256_as_received": image_digest(getattr(read, field))}
            for kind, field in IMAGES.items()
            if getattr(read, field)
        },
        "filed": {
            "by": item.added_by.get_username(),
            "at": item.added_at.isoformat(),
            "note": item.note,
            "search": item.search_audit_id,
            "access_request": item.access_request_id,
        },
    }
    record["latitude"], record["longitude"] = where_read_was_taken(read) or (None, None)
    return record


def _search_record(filed: FiledSearch) -> dict[str, object]:
    """A filed search as its folder's members see it: what it asked and found (not its purpose's
    free text), who filed it and when; `search` is null once past audit retention."""
    search = filed.search
    return {
        "search": filed.filed.search_audit_id,
        "filed": {
            "by": filed.filed.added_by.get_username(),
            "at": filed.filed.added_at.isoformat(),
            "note": filed.filed.note,
        },
        "criteria": None
        if search is None
        else {
            "kind": search.kind,
            "at": search.at.isoformat(),
            "username": search.username,
            "purpose": search.purpose,
            "reference": search.reference,
            "vrm": search.vrm,
            "filters": search.filters,
            "result_count": search.result_count,
            "result_count_capped": search.result_count_capped,
        },
    }


def _audit_records(shown: list[FiledRead], export: SearchAudit) -> dict[str, object]:
    """This export's own record, and for each read the records that led to it: the search that
    found it and each opening of it under that search (read_trail)."""
    return {
        "export": _audit_row(export),
        "reads": [
            {
                "read": filed.item.read_id,
                "trail": [
                    _audit_row(row)
                    for row in read_trail(read_id=filed.item.read_id, search_id=filed.item.search_audit_id)
                ],
            }
            for filed in shown
        ],
    }


def _audit_row(row: SearchAudit) -> dict[str, object]:
    return {
        "id": row.pk,
        "at": row.at.isoformat(),
        "kind": row.kind,
        "username": row.username,
        "purpose": row.purpose,
        "purpose_detail": row.purpose_detail,
        "reference": row.reference,
        "vrm": row.vrm,
        "filters": row.filters,
        "result_count": row.result_count,
        "access_request": row.access_request_id,
        "via": row.via,
    }


def _facts(user: User, case: Case, audit: SearchAudit, *, shown: int, withheld: int) -> dict[str, object]:
    return {
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "title": case.title,
            "owner": case.owner.username,
        },
        "purpose": case.purpose,
        "purpose_label": purpose_label(case.purpose),
        "purpose_detail": case.purpose_detail or None,
        "exported_by": user.get_username(),
        "exported_at": audit.at.isoformat(),
        "audit_record": audit.pk,
        "reads": shown,
        # Filed, but outside the exporter's access window now or past retention: left out.
        "reads_withheld": withheld,
    }


def _json(value: object) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()
