"""Benchmark the read store: ingest rate through the API and search latency over 10M+ reads.

    make bench-reads                       # 10 million reads (loaded once, kept in anpr_bench)
    make bench-reads ARGS="--reads 2000000"

Loads a separate database (anpr_bench) with reads spread over two years, starts the real
server (gunicorn with uvicorn workers), then measures:
  * ingest: reads/second accepted by POST /api/v1/reads/ (batches of 500, 4 clients);
  * search: p50/p95 of GET /api/v1/reads/ for exact plates, for patterns, and for an area over
    one hour without a plate, as an officer searching the standard 90-day window (every search
    audited, as in production).
Prints one line per figure. Not a test: numbers depend on the machine.
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from benchmarks.common import BENCH_DB, PORT, accounts, bench_ingest, ms, running_server, setup_django


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=10_000_000, help="reads in the table (default 10M)")
    parser.add_argument("--ingest-seconds", type=float, default=20)
    parser.add_argument("--searches", type=int, default=200, help="searches of each kind")
    parser.add_argument("--database", default=BENCH_DB, help=f"kept between runs (default {BENCH_DB})")
    args = parser.parse_args()

    setup_django(args.database)
    who = accounts()
    plates = load(args.reads)
    with running_server():
        print(bench_ingest(who["camera_token"], args.ingest_seconds), flush=True)
        bench_search(who["officer_token"], plates, args.searches)
    return 0


def load(target: int) -> list[str]:
    """Fill the table up to `target` reads over two years; return some plates that are in it."""
    from django.db import connection

    from apps.reads.partitions import ensure_partitions

    today = datetime.now(UTC).date()
    ensure_partitions({today - timedelta(days=d) for d in range(-2, 730)})
    with connection.cursor() as cursor:
        # An estimate from the statistics: counting rows would lock every partition.
        cursor.execute(
            "SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables WHERE relname LIKE 'reads_read_p%%'"
        )
        have = int(cursor.fetchone()[0])
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if cursor.fetchone():  # on Citus the coordinator's partitions are empty: the shards hold the reads
            cursor.execute("SELECT count(*) FROM reads_read")
            have = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id) FROM cameras_camera WHERE code LIKE 'BENCH-%%'")
        cameras = cursor.fetchone()[0]
        chunk = 1_000_000
        started_at = datetime.now(UTC) - timedelta(days=729)
        while have < target * 0.99:
            size = min(chunk, target - have)
            started = time.perf_counter()
            # In time order, as reads arrive: each statement fills a few days' partitions, so their
            # index pages stay in memory (a random order over two years slows the fill 2-3 times).
            # Plates recur (about five sightings each, months apart), in the UK format AA99AAA.
            cursor.execute(
                """
                INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, source)
                SELECT %s::timestamptz + (g + random()) * (interval '729 days' / %s),
                       (%s::bigint[])[1 + (g %% %s)], p, p, 0.7 + random() * 0.3, 'camera'
                FROM generate_series(%s, %s) AS g,
                     LATERAL (SELECT translate(substr(md5((g %% %s)::text), 1, 2), '0123456789abcdef',
                                               'ABCDEFGHJKLMNPRS')
                                     || lpad(((g %% %s) %% 100)::text, 2, '0')
                                     || translate(substr(md5((g %% %s)::text), 3, 3), '0123456789abcdef',
                                                  'TUVWXYZABCDEFGHJ') AS p) AS plate
                ON CONFLICT DO NOTHING
                """,
                [
                    started_at,
                    target,
                    cameras,
                    len(cameras),
                    have + 1,
                    have + size,
                    target // 5,
                    target // 5,
                    target // 5,
                ],
            )
            have += size
            print(f"loaded {have:,} reads ({size / (time.perf_counter() - started):,.0f} rows/s)", flush=True)
        cursor.execute("ANALYZE reads_read")
        cursor.execute(
            "SELECT vrm FROM reads_read WHERE seen_at > now() - interval '90 days' "
            "ORDER BY random() LIMIT 500"
        )
        return [row[0] for row in cursor.fetchall()]


def bench_search(token: str, plates: list[str], count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    rng = random.Random(7)
    now = datetime.now(UTC)

    def area_hour() -> dict[str, str]:
        start = now - timedelta(days=89) + timedelta(seconds=rng.randrange(88 * 86400))
        return {
            "area": f"Area {rng.randrange(5)}",
            "seen_after": start.isoformat(),
            "seen_before": (start + timedelta(hours=1)).isoformat(),
        }

    kinds = {
        "exact plate": lambda: {"vrm": rng.choice(plates)},
        "prefix pattern (AB1*)": lambda: {"vrm": rng.choice(plates)[:3] + "*"},
        "infix pattern (*12A*)": lambda: {"vrm": "*" + rng.choice(plates)[2:5] + "*"},
        "one-character wildcard (AB12?CD)": lambda: {"vrm": (p := rng.choice(plates))[:4] + "?" + p[5:]},
        "area and one hour, no plate": area_hour,
    }
    for kind, make in kinds.items():
        latencies, results = [], []
        for _ in range(count):
            query = urlencode({**make(), "purpose": "intelligence", "reference": "BENCH-1"})
            started = time.perf_counter()
            connection.request("GET", f"/api/v1/reads/?{query}", headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            body = json.loads(response.read())
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"search failed: {response.status} {body}")
            results.append(len(body["results"]))
        print(
            f"search {kind}: p50 {ms(latencies, 50)} ms, p95 {ms(latencies, 95)} ms "
            f"({count} searches, median {statistics.median(results):.0f} results on the first page)",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
