"""manage.py load_reads FILE: back-load a large CSV of reads (see apps/reads/back_load.py)."""

import hashlib
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit.jobs import recorded_run
from apps.reads.back_load import CHUNK_ROWS, BackLoadRejected, FileFaults, load_file


class Command(BaseCommand):
    help = (
        "Back-load reads from a CSV file (camera, vrm, seen_at, confidence; optionally read_id, "
        "direction, lane, latitude, longitude). The whole file is checked first and nothing is "
        "stored if a row is wrong; a load stopped part way is finished by running it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--chunk", type=int, default=CHUNK_ROWS, help="rows per transaction")

    def handle(self, *args, file: Path, chunk: int, verbosity: int, **options):
        self.verbosity = verbosity
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        started = time.perf_counter()
        with recorded_run("load-reads") as details:
            details |= {"file": file.name, "sha256": _sha256(file), "by": "manage.py load_reads"}
            try:
                loaded = load_file(file, chunk_rows=chunk, progress=self._progress)
            except FileFaults as faults:
                details["faulty_rows"] = faults.rows
                for line, name, message in faults.faults:
                    self.stderr.write(f"line {line}, {name}: {message}")
                raise CommandError(f"{faults.rows:,} row(s) to fix; nothing was stored.") from None
            except BackLoadRejected as rejected:
                raise CommandError(str(rejected)) from None
            details |= {"rows": loaded.rows, "stored": loaded.stored, "duplicates": loaded.duplicates}
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{loaded.rows:,} rows: {loaded.stored:,} stored, {loaded.duplicates:,} already held "
            f"({seconds:.1f} s, {loaded.rows / seconds:,.0f} rows/s)"
        )

    def _progress(self, rows: int) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"{rows:,} rows stored or found held")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
