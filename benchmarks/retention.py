"""Benchmark retention: dropping a day partition of --rows reads against deleting the same rows.

    make bench-retention
    make bench-retention ARGS="--rows 200000"

Uses the benchmark database (anpr_bench). Fills two day partitions, 700 and 701 days back,
with --rows reads each; deletes one day's reads with DELETE (then VACUUM, which DELETE needs
before the space can be reused) and drops the other day's partition, as retention does.
Both days are removed afterwards. Not a test.
"""

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta

from benchmarks.common import accounts, setup_django

FILL = """
INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, source)
SELECT %(start)s::timestamptz + (n * interval '86399 seconds' / %(rows)s), %(camera)s,
       'BN' || lpad((n %% 100000)::text, 5, '0'), 'BN' || lpad((n %% 100000)::text, 5, '0'), 0.9, 'camera'
FROM generate_series(1, %(rows)s) AS n
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    from apps.cameras.models import Camera
    from apps.reads.partitions import ensure_partitions, forget_known_partitions, partition_name

    accounts()
    camera = Camera.objects.get(code="BENCH-00").pk
    today = datetime.now(UTC).date()
    deleted_day, dropped_day = today - timedelta(days=701), today - timedelta(days=700)
    ensure_partitions({deleted_day, dropped_day})
    with connection.cursor() as cursor:
        for day in (deleted_day, dropped_day):
            table = partition_name(day)
            cursor.execute(f'TRUNCATE "{table}"')
            started = time.perf_counter()
            start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            cursor.execute(FILL, {"start": start, "rows": args.rows, "camera": camera})
            cursor.execute(f'ANALYZE "{table}"')
            print(f"filled {table} with {args.rows:,} reads in {time.perf_counter() - started:.1f} s")
        start = datetime.combine(deleted_day, datetime.min.time(), tzinfo=UTC)
        cursor.execute("CHECKPOINT")
        wal = _wal(cursor)
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(
                "DELETE FROM reads_read WHERE seen_at >= %s AND seen_at < %s",
                [start, start + timedelta(days=1)],
            )
            removed = cursor.rowcount
        delete_seconds = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f'VACUUM "{partition_name(deleted_day)}"')
        vacuum_seconds = time.perf_counter() - started
        delete_wal, wal = _wal(cursor) - wal, _wal(cursor)
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(f'DROP TABLE "{partition_name(dropped_day)}"')
        drop_seconds = time.perf_counter() - started
        drop_wal = _wal(cursor) - wal
        cursor.execute(f'DROP TABLE "{partition_name(deleted_day)}"')
    forget_known_partitions()
    print(f"\nremoving one day of {removed:,} reads (2 cores, PostgreSQL 15):")
    print(f"  DELETE            {delete_seconds * 1000:10.0f} ms")
    print(f"  + VACUUM          {vacuum_seconds * 1000:10.0f} ms  (before the space can be reused)")
    print(f"  DROP partition    {drop_seconds * 1000:10.1f} ms")
    print(f"  WAL written: DELETE + VACUUM {delete_wal / 2**20:,.0f} MiB, DROP {drop_wal / 2**10:,.0f} KiB")
    print(f"  drop is {(delete_seconds + vacuum_seconds) / drop_seconds:,.0f}x faster than delete + vacuum")
    return 0


def _wal(cursor) -> int:
    cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")
    return int(cursor.fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
