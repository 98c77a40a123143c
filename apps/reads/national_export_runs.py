"""Which national export files are due, and when they go.

Each run (daily, and `manage.py national_export`) writes, for each day due, the reads received
since that day's last file: the day's own file the first time, a supplement after (late camera
uploads, video back-loads). Each file covers reads received in [from, before), so none is sent
twice and none is missed: `before` is a moment by which every read received earlier has been
committed (`settled_before`). Days the job missed (the server was down) are caught up, for up to
NATIONAL_EXPORT_CATCH_UP_DAYS. A file goes once the national data centre has it (the endpoint
accepted it, or the receiver left `<file>.ack` beside it), or after NATIONAL_EXPORT_KEEP_DAYS,
and never outlives READ_RETENTION_DAYS.
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import NationalExportFile
from .national_export import deliver, file_paths, write_file
from .selectors import reads_received_late


def run_national_export(today: date | None = None, *, record: dict | None = None) -> dict:
    """Write what is due, deliver what is undelivered, remove what may go. Each step is entered
    in `record` (the job's) as it is done, so a run that fails on delivery says what it wrote."""
    record = {} if record is None else record
    today = today or timezone.now().astimezone(UTC).date()
    before = settled_before()
    record["written"] = [name for day in days_due(today) if (name := export_day(day, before=before))]
    # Removal first: a file past its keeping period or its reads' retention is never sent.
    record["removed"] = export_files_remove_expired(today)
    record["delivered"] = deliver_files()
    record["removed"] += export_files_remove_expired(today)
    return record


def export_day(day: date, *, before: datetime | None = None) -> str | None:
    """Write a day's own file, or a supplement of what it received since: the file's name, or
    None when nothing new arrived."""
    with transaction.atomic():
        return _export_day(day, before or settled_before())


def _export_day(day: date, before: datetime) -> str | None:
    with connection.cursor() as cursor:  # one run at a time: the daily job, or an operator's
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('national-export'))")
    last = NationalExportFile.objects.filter(day=day).order_by("-supplement").first()
    received = (last.received_before if last else None, before)
    if last and not reads_received_late(day, received):
        return None
    supplement = last.supplement + 1 if last else 0
    manifest = write_file(day, supplement, received)
    NationalExportFile.objects.create(
        day=day,
        supplement=supplement,
        name=manifest["file"],
        received_from=received[0],
        received_before=before,
        rows=manifest["rows"],
        sha256=manifest["sha256"],
    )
    return manifest["file"]


def days_due(today: date) -> list[date]:
    """Each day of the catch-up period (the NATIONAL_EXPORT_CATCH_UP_DAYS before today), oldest
    first, from the first day ever recorded: before that (a deployment from before files were
    recorded) only yesterday, so an upgrade does not send the past month again."""
    yesterday = today - timedelta(days=1)
    first = NationalExportFile.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return [yesterday]
    start = max(first, today - timedelta(days=settings.NATIONAL_EXPORT_CATCH_UP_DAYS))
    return [start + timedelta(days=n) for n in range((yesterday - start).days + 1)]


def settled_before() -> datetime:
    """A moment by which every read received earlier is committed and visible: now, or the start
    of the oldest transaction still open in this database, if earlier (a read's received_at is
    the start of the transaction that wrote it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def deliver_files() -> list[str]:
    """Deliver what is not yet delivered: to the endpoint when one is set (a refusal raises, and
    the job is retried), else record as delivered each file the receiver acknowledged."""
    delivered = []
    for export in NationalExportFile.objects.filter(delivered_at=None, removed_at=None):
        data_path, _ = file_paths(export.name)
        if settings.NATIONAL_EXPORT_URL:
            deliver(export.name)
        elif not data_path.with_name(data_path.name + ".ack").exists():
            continue
        export.delivered_at = timezone.now()
        export.save(update_fields=["delivered_at"])
        delivered.append(export.name)
    return delivered


def export_files_remove_expired(today: date | None = None) -> list[str]:
    """Remove files delivered, kept NATIONAL_EXPORT_KEEP_DAYS, or of a day past read retention."""
    today = today or timezone.now().astimezone(UTC).date()
    now = timezone.now()
    removed = []
    for export in NationalExportFile.objects.filter(removed_at=None):
        kept_too_long = export.created_at < now - timedelta(days=settings.NATIONAL_EXPORT_KEEP_DAYS)
        past_retention = export.day < today - timedelta(days=settings.READ_RETENTION_DAYS)
        if export.delivered_at or kept_too_long or past_retention:
            data_path, manifest_path = file_paths(export.name)
            for path in (data_path, manifest_path, data_path.with_name(data_path.name + ".ack")):
                path.unlink(missing_ok=True)
            export.removed_at = now
            export.save(update_fields=["removed_at"])
            removed.append(export.name)
    return removed
