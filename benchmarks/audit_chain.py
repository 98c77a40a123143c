"""Benchmark the audit chain: what linking each audit row costs a search, alone and under load.

    make bench-audit
    make bench-audit ARGS="--searches 400 --threads 1,8,32"

Uses the benchmark database (anpr_bench), with --reads reads of today spread over its cameras.
Each thread runs whole searches through the same selector the portal and API use (the audit row
written, then the first page fetched), first with the search audit chained, then with the
chain's trigger off (its rows removed after): the difference is the chain's cost. Then
--audit-rows sign-in events are appended (chained as any insert is) and audit_verify's walk
is timed over every audit row. Not a test.
"""

import argparse
import random
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from benchmarks.common import accounts, ms, setup_django

APPEND_BATCH = 100

FILL = """
INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, source)
SELECT now() - (n * interval '1 second' * 80000 / %(rows)s), c.id,
       'AC' || lpad((n %% 50000)::text, 5, '0'), 'AC' || lpad((n %% 50000)::text, 5, '0'), 0.9, 'camera'
FROM generate_series(1, %(rows)s) AS n
JOIN reads_camera_ids c ON c.slot = n %% c.slots
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--searches", type=int, default=200, help="per thread count, per table")
    parser.add_argument("--threads", default="1,8,32")
    parser.add_argument(
        "--audit-rows", type=int, default=500_000, help="sign-in events for audit_verify to walk"
    )
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection

    from apps.audit.chain import verify_chains
    from apps.reads.partitions import ensure_partitions

    settings.READ_SEARCHES_PER_HOUR = 10**9  # the allowance is not what is measured here
    officer = accounts()["officer"]
    today = datetime.now(UTC).date()
    ensure_partitions({today, today - timedelta(days=1)})
    with connection.cursor() as cursor:
        _fill(cursor, args.reads)
        cursor.execute("SELECT count(*) FROM audit_searchaudit")
        (before,) = cursor.fetchone()
    print(f"audit chain: {args.reads:,} reads of today; search audit holds {before:,} rows", flush=True)
    for threads in (int(n) for n in args.threads.split(",")):
        chained, chained_rate = _searches(officer, threads, args.searches)
        with _unchained(connection):
            plain, plain_rate = _searches(officer, threads, args.searches)
        print(
            f"{threads:>2} threads: search p50 {ms(chained, 50)} ms / p95 {ms(chained, 95)} ms / "
            f"p99 {ms(chained, 99)} ms chained, against {ms(plain, 50)} / {ms(plain, 95)} / "
            f"{ms(plain, 99)} ms unchained; {chained_rate:,.0f} against {plain_rate:,.0f} searches/s",
            flush=True,
        )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        added = _fill_events(cursor, args.audit_rows)
        if added:
            elapsed = time.perf_counter() - started
            print(
                f"appended {added:,} sign-in events, {APPEND_BATCH:,} a statement: "
                f"{added / elapsed:,.0f} rows/s",
                flush=True,
            )
    started = time.perf_counter()
    verification = verify_chains()
    elapsed = time.perf_counter() - started
    rows = sum(head.rows for head in verification.heads)
    print(
        f"audit_verify: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s), "
        f"intact: {verification.intact}",
        flush=True,
    )
    return 0 if verification.intact else 1


@contextmanager
def _unchained(connection):
    """The baseline: the chain's trigger off for a while (as the owner, as the benchmark runs);
    the unchained rows it let in are removed after, so the chain is whole again."""
    table = "audit_searchaudit"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_chain_link")
        cursor.execute(
            f"ALTER TABLE {table} ALTER chain_seq DROP NOT NULL, ALTER prev_hash DROP NOT NULL, "
            "ALTER row_hash DROP NOT NULL"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table} WHERE chain_seq IS NULL")
            cursor.execute(
                f"ALTER TABLE {table} ALTER chain_seq SET NOT NULL, ALTER prev_hash SET NOT NULL, "
                "ALTER row_hash SET NOT NULL"
            )
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _fill_events(cursor, rows: int) -> int:
    cursor.execute("SELECT count(*) FROM audit_securityevent")
    missing = rows - cursor.fetchone()[0]
    # In statements of 100 rows: each row appended moves its chain's head, and PostgreSQL keeps
    # every version of the head row until the statement's transaction ends, so one statement of
    # half a million rows slows as it goes (the application appends one row per transaction).
    for start in range(0, max(missing, 0), APPEND_BATCH):
        cursor.execute(
            "INSERT INTO audit_securityevent (at, kind, username, actor, user_agent, detail) "
            "SELECT now(), 'login', 'bench-' || n, '', 'benchmark', '{}' FROM generate_series(1, %s) AS n",
            [min(APPEND_BATCH, missing - start)],
        )
    return max(missing, 0)


def _fill(cursor, rows: int) -> None:
    cursor.execute(
        "SELECT count(*) FROM reads_read WHERE vrm LIKE 'AC%%' AND seen_at > now() - interval '1 day'"
    )
    if cursor.fetchone()[0] >= rows:
        return
    cursor.execute(
        "CREATE TEMPORARY TABLE reads_camera_ids AS "
        "SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS slot, "
        "count(*) OVER () AS slots FROM cameras_camera WHERE code LIKE 'BENCH-%%'"
    )
    cursor.execute(FILL, {"rows": rows})
    cursor.execute("ANALYZE reads_read")


def _searches(officer, threads: int, count: int) -> tuple[list[float], float]:
    """`count` searches over `threads` threads: each one's latency, and searches per second."""
    from django.db import connection

    from apps.reads.filters import ReadFilter
    from apps.reads.selectors import reads_search

    latencies: list[float] = []
    lock = threading.Lock()

    def run(seed: int, n: int) -> None:
        rng = random.Random(seed)
        mine = []
        try:
            for _ in range(n):
                filters = ReadFilter({"vrm": f"AC{rng.randrange(50_000):05d}"})
                assert filters.is_valid(), filters.errors
                started = time.perf_counter()
                result = reads_search(
                    officer, filters=filters, purpose="intelligence", reference="BENCH-1", via="api"
                )
                list(result.reads[:50])
                mine.append(time.perf_counter() - started)
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=run, args=(seed, count // threads)) for seed in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, len(latencies) / (time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
