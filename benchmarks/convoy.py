"""Benchmark convoy searches over the read benchmark database (10M reads unless told).

    make bench-convoy
    make bench-convoy ARGS="--reads 100000000 --database anpr_bench_100m"

Fills the database as bench-reads does (kept between runs), plants one vehicle read 2,000 times
in the last 90 days (the most sightings a convoy search looks from) at the benchmark's cameras,
with three companions following it at some of them, then measures GET /api/v1/reads/convoy/
over 90 days (60 seconds, 2 cameras) as an officer, every search audited:
  * for plates drawn from the table: a handful of sightings each, as most vehicles have;
  * for the planted vehicle, checking its companions come back strongest first.
Prints one line per figure. Not a test: numbers depend on the machine.
"""

import argparse
import http.client
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from benchmarks.common import BENCH_DB, PORT, accounts, ms, running_server, setup_django
from benchmarks.reads import load

PLANTED = "CNV01XX"
SIGHTINGS = 2_000
# Each companion: (plate, every how many of the vehicle's sightings it is with it, seconds after it).
COMPANIONS = (("PAL01AA", 2, 5), ("PAL02BB", 5, -20), ("PAL03CC", 7, 50))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=10_000_000, help="reads in the table (default 10M)")
    parser.add_argument("--searches", type=int, default=50, help="searches of each kind")
    parser.add_argument("--database", default=BENCH_DB, help=f"kept between runs (default {BENCH_DB})")
    args = parser.parse_args()

    setup_django(args.database)
    who = accounts()
    plates = load(args.reads)
    plant()
    with running_server():
        bench(who["officer_token"], plates, args.searches)
    return 0


def plant() -> None:
    """The vehicle and its companions, spread evenly over the last 89 days (idempotent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id ORDER BY code) FROM cameras_camera WHERE code LIKE 'BENCH-%%'")
        cameras = cursor.fetchone()[0]
        start, step = datetime.now(UTC) - timedelta(days=89), timedelta(days=89) / SIGHTINGS
        rows = []
        for n in range(SIGHTINGS):
            moment, camera = start + n * step, cameras[n % len(cameras)]
            rows.append((moment, camera, PLANTED))
            rows += [
                (moment + timedelta(seconds=s), camera, p) for p, every, s in COMPANIONS if n % every == 0
            ]
        cursor.execute(
            """
            INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, source)
            SELECT seen_at, camera_id, vrm, vrm, 0.9, 'camera'
            FROM unnest(%s::timestamptz[], %s::bigint[], %s::text[]) AS r(seen_at, camera_id, vrm)
            ON CONFLICT DO NOTHING
            """,
            [list(column) for column in zip(*rows, strict=True)],
        )


def bench(token: str, plates: list[str], count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    rng = random.Random(11)
    now = datetime.now(UTC)
    period = {"seen_after": (now - timedelta(days=90)).isoformat(), "seen_before": now.isoformat()}

    def convoy(vrm: str) -> tuple[float, dict]:
        query = urlencode({"vrm": vrm, **period, "purpose": "intelligence", "reference": "BENCH-1"})
        started = time.perf_counter()
        connection.request(
            "GET", f"/api/v1/reads/convoy/?{query}", headers={"Authorization": f"Token {token}"}
        )
        response = connection.getresponse()
        body = json.loads(response.read())
        if response.status != 200:
            raise SystemExit(f"convoy search failed: {response.status} {body}")
        return time.perf_counter() - started, body

    for kind, pick in (
        ("a plate from the table", lambda: rng.choice(plates)),
        ("the planted vehicle", lambda: PLANTED),
    ):
        latencies, sightings, found = [], [], []
        for _ in range(count):
            seconds, body = convoy(pick())
            latencies.append(seconds)
            sightings.append(body["sightings"])
            found.append([companion["vrm"] for companion in body["results"]])
        print(
            f"convoy over 90 days, {kind}: p50 {ms(latencies, 50)} ms, p95 {ms(latencies, 95)} ms "
            f"({count} searches; {max(sightings):,} sightings looked from at most; "
            f"at most {max(len(f) for f in found)} companions)",
            flush=True,
        )
    # Every 7th sighting meets all 50 cameras, every 2nd half of them, every 5th a fifth.
    expected = ["PAL03CC", "PAL01AA", "PAL02BB"]
    if found[-1][:3] != expected:
        raise SystemExit(
            f"the planted companions were not found first: {found[-1][:5]} (expected {expected})"
        )


if __name__ == "__main__":
    sys.exit(main())
