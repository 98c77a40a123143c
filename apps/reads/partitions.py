"""Day partitions of the read table: created ahead of need, named for their day.

Ingest asks for the days a batch needs; a daily task creates the next week's. Creating a
partition briefly locks the parent table, so it happens in its own short transaction,
serialised by an advisory lock, and at most once per day per process. The application's
database role owns no table, so the owner-defined reads_create_day_partition() creates it.
"""

from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

PARENT = "reads_read"
_known: set[date] = set()
_ADVISORY_LOCK = 0x52454144  # "READ"


def partition_name(day: date) -> str:
    return f"{PARENT}_p{day:%Y%m%d}"


def ensure_partitions(days: set[date]) -> None:
    """Make sure a partition exists for each day (UTC)."""
    missing = sorted(days - _known)
    # A month per transaction: creating a partition locks it and its indexes until commit,
    # and two years at once would fill PostgreSQL's lock table.
    for start in range(0, len(missing), 31):
        _create(set(missing[start : start + 31]))


def _create(days: set[date]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        for day in sorted(days - existing_partition_days()):
            cursor.execute("SELECT reads_create_day_partition(%s)", [day])
        # Remember them only once committed: a rolled-back caller takes its partitions with it.
        transaction.on_commit(lambda: _known.update(days))


def ensure_partitions_ahead(*, days_ahead: int = 7) -> None:
    today = timezone.now().date()
    ensure_partitions({today + timedelta(days=n) for n in range(days_ahead + 1)})


def existing_partition_days() -> set[date]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    return {datetime.strptime(name.rsplit("_p", 1)[1], "%Y%m%d").date() for name in names}


def forget_known_partitions() -> None:
    """For when partitions are dropped (retention, test database flushes)."""
    _known.clear()
