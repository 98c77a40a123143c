"""Retention: reads past the retention period go, a whole day partition at a time.

Dropping a partition is instant whatever its size and leaves no dead rows, where DELETE
would rewrite the table (benchmarks/retention.py measures both). A day goes only when its
last moment is past the period, so a partition still holding a read inside the period is
never touched. For each day: the evidence images only its reads use are deleted first, then
the partition is dropped; interrupted between the two, the next run finds the day again and
finishes it, so retention is safe to interrupt and to re-run.
"""

from datetime import UTC, date, datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .evidence import delete_unused_images
from .partitions import existing_partition_days, forget_known_partitions

# The scheduled job that applies every retention period (CELERY_BEAT_SCHEDULE's key, JobRun.job).
RETENTION_JOB = "retention"


def expired_days(now: datetime | None = None) -> list[date]:
    """Day partitions whose every moment is older than the retention period, oldest first."""
    cut_off = (now or timezone.now()) - timedelta(days=retention_days())
    return sorted(day for day in existing_partition_days() if _day_end(day) <= cut_off)


class DayRemoved(TypedDict):
    day: str
    reads: int
    images: int


class ReadsRemoved(TypedDict):
    days: list[DayRemoved]
    reads: int
    images: int


def reads_remove_expired(now: datetime | None = None) -> ReadsRemoved:
    """Drop every expired day; what was removed, by day."""
    removed: list[DayRemoved] = []
    for day in expired_days(now):
        removed.append(_remove_day(day))
    if removed:
        forget_known_partitions()
    return {
        "days": removed,
        "reads": sum(d["reads"] for d in removed),
        "images": sum(d["images"] for d in removed),
    }


def retention_days() -> int:
    """READ_RETENTION_DAYS, or the database's floor where that is longer: a day the database would
    refuse to drop keeps its images too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT days FROM audit_retention_floor WHERE name = 'reads'")
        row = cursor.fetchone()
    return max(settings.READ_RETENTION_DAYS, row[0] if row else 0)


def _remove_day(day: date) -> DayRemoved:
    bounds = {"start": _day_end(day) - timedelta(days=1), "end": _day_end(day)}
    with connection.cursor() as cursor:
        cursor.execute(DAY_READS, bounds)
        (reads,) = cursor.fetchone()
        cursor.execute(DAY_IMAGES, bounds)
        images = {name for (name,) in cursor.fetchall()}
    deleted = delete_unused_images(images, ignoring_day=day)
    # The owner's function drops the partition, and refuses a day still inside the period.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT reads_drop_day_partition(%s)", [day])
    return {"day": day.isoformat(), "reads": reads, "images": deleted}


# Bounded by the day, so only its own partition is read.
DAY_READS = "SELECT count(*) FROM reads_read WHERE seen_at >= %(start)s AND seen_at < %(end)s"
DAY_IMAGES = (
    "SELECT plate_image FROM reads_read "
    "WHERE seen_at >= %(start)s AND seen_at < %(end)s AND plate_image <> '' "
    "UNION SELECT overview_image FROM reads_read "
    "WHERE seen_at >= %(start)s AND seen_at < %(end)s AND overview_image <> ''"
)


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
