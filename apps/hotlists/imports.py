"""Hotlist CSV files: every row checked before anything is applied.

Columns: vrm, reason, action, and optionally foreign (yes for a foreign or diplomatic plate),
markers (separated by ;), information, expires_at (ISO 8601). A file with any bad row is
refused whole, with every bad row and why. The file is read as a stream, a row at a time, and
refused once it passes HOTLIST_IMPORT_MAX_ROWS: only the checked rows are held, never the
file's text.
"""

import csv
import io

from django.conf import settings
from rest_framework.exceptions import ValidationError

from .serializers import EntryInputSerializer
from .services import EntryRow

REQUIRED = ("vrm", "reason", "action")
OPTIONAL = ("foreign", "markers", "information", "expires_at")


class ImportRejected(Exception):
    """The file cannot be applied. `problems` lists (row, column, message); row 0 is the file."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


MAX_PROBLEMS = 500
STOPPED = f"Checking stopped after {MAX_PROBLEMS} problems; mend those and import again."


def checked_rows(upload) -> list[EntryRow]:
    """The file's rows, validated, or ImportRejected listing every problem."""
    if upload is None:
        raise ImportRejected([(0, "file", "Choose a CSV file.")])
    if upload.size > settings.HOTLIST_IMPORT_MAX_BYTES:
        raise ImportRejected([(0, "file", f"Larger than {settings.HOTLIST_IMPORT_MAX_BYTES:,} bytes.")])
    upload.seek(0)
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        return _checked(reader)
    except UnicodeDecodeError:
        raise ImportRejected([(0, "file", "Not UTF-8 text; save it as CSV (UTF-8).")]) from None
    except csv.Error as error:
        raise ImportRejected([(reader.line_num + 1, "file", f"Not CSV that can be read: {error}.")]) from None
    finally:
        text.detach()  # the upload stays open: Django closes it with the request


def _checked(reader: csv.DictReader) -> list[EntryRow]:
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRejected([(1, name, "Missing column.") for name in missing])
    rows: list[EntryRow] = []
    problems: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    serializer = EntryInputSerializer()
    most = settings.HOTLIST_IMPORT_MAX_ROWS
    for number, raw in enumerate(reader, start=2):
        if number - 1 > most:
            raise ImportRejected(
                [
                    (
                        0,
                        "file",
                        f"More than {most:,} entries, the most one import takes (HOTLIST_IMPORT_MAX_ROWS).",
                    )
                ]
            )
        item = {
            k.strip(): (v or "").strip() for k, v in raw.items() if k and k.strip() in REQUIRED + OPTIONAL
        }
        item = {k: v for k, v in item.items() if v != "" or k in REQUIRED}
        try:
            row = serializer.run_validation(item)
        except ValidationError as invalid:
            assert isinstance(invalid.detail, dict)  # a serializer's errors are by field
            problems += [
                (number, field, " ".join(map(str, messages))) for field, messages in invalid.detail.items()
            ]
        else:
            if row["vrm"] in seen:
                problems.append((number, "vrm", f"{row['vrm']} is already on row {seen[row['vrm']]}."))
            else:
                seen[row["vrm"]] = number
                rows.append(row)
        if len(problems) >= MAX_PROBLEMS:  # enough to mend the file by; not a million of them
            raise ImportRejected([*problems, (0, "file", STOPPED)])
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected([(0, "file", "The file has a header but no entries.")])
    return rows
