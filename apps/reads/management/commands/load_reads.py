"""manage.py load_reads FILE: back-load a large CSV of reads (see apps/reads/back_load.py)."""

import signal
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit.jobs import recorded_run
from apps.reads.back_load import (
    CHUNK_ROWS,
    BackLoadRejected,
    FileFaults,
    LoadProgress,
    LoadStopped,
    load_file,
)


class Command(BaseCommand):
    help = (
        "Back-load reads from a CSV file (camera, vrm, seen_at, confidence; optionally read_id, "
        "direction, lane, latitude, longitude). The whole file is checked first and nothing is "
        "stored if a row is wrong; a load stopped part way is finished by running it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--chunk", type=int, default=CHUNK_ROWS, help="rows per transaction")

    def handle(self, *args, file: Path, chunk: int, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        # Stopped by the service manager: recorded like a failure, with what was stored so far.
        signal.signal(signal.SIGTERM, _stop)
        started, progress = time.perf_counter(), LoadProgress()
        with recorded_run("load-reads") as details:
            details |= {"file": file.name, "by": "manage.py load_reads"}
            try:
                load_file(file, chunk_rows=chunk, progress=progress)
            except FileFaults as faults:
                details["faulty_rows"] = faults.rows
                for line, name, message in faults.faults:
                    self.stderr.write(f"line {line}, {name}: {message}")
                raise CommandError(f"{faults.rows:,} row(s) to fix; nothing was stored.") from None
            except BackLoadRejected as rejected:
                raise CommandError(str(rejected)) from None
            except LoadStopped as stopped:
                raise CommandError(
                    f"Stopped after {progress.rows:,} rows ({progress.stored:,} stored): {stopped}"
                ) from None
            finally:
                details |= {
                    "sha256": progress.sha256,
                    "rows": progress.rows,
                    "stored": progress.stored,
                    "duplicates": progress.duplicates,
                }
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{progress.rows:,} rows: {progress.stored:,} stored, {progress.duplicates:,} already held "
            f"({seconds:.1f} s, {progress.rows / seconds:,.0f} rows/s)"
        )


def _stop(signum, frame):
    raise SystemExit("stopped by SIGTERM")
