"""Benchmark the investigation searches over the read benchmark database (10M reads unless told).

    make bench-investigations
    make bench-investigations ARGS="--reads 100000000 --database anpr_bench_100m"

Fills the database as bench-reads does (kept between runs), plants one vehicle read 2,000 times
in the last 90 days (the most sightings a convoy search looks from) at the benchmark's cameras,
with three companions following it at some of them, then measures, as an officer through the
API with every search audited:
  * convoy over 90 days (60 seconds, 2 cameras) for plates drawn from the table (a handful of
    sightings each, as most vehicles have) and for the planted vehicle, checking its companions
    come back strongest first;
  * where and when: a circle of 1 km around a camera, and a polygon about 2 km across, over one
    hour somewhere in the last 88 days;
  * at the scenes: three areas, each over its own hour, vehicles at all three and at two.
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

from benchmarks.common import BENCH_DB, CAMERAS, PORT, accounts, ms, running_server, setup_django
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
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        convoys(connection, who["officer_token"], plates, args.searches)
        places(connection, who["officer_token"], args.searches)
        scenes(connection, who["officer_token"], args.searches)
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


def convoys(connection: http.client.HTTPConnection, token: str, plates: list[str], count: int) -> None:
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


def asked(
    connection: http.client.HTTPConnection, token: str, method: str, path: str, body=None
) -> tuple[float, dict]:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"{path} failed: {response.status} {answer}")
    return time.perf_counter() - started, answer


def an_hour(rng: random.Random) -> dict[str, str]:
    start = datetime.now(UTC) - timedelta(days=88) + timedelta(seconds=rng.randrange(87 * 86400))
    return {"seen_after": start.isoformat(), "seen_before": (start + timedelta(hours=1)).isoformat()}


def places(connection: http.client.HTTPConnection, token: str, count: int) -> None:
    """Reads in a drawn place over one hour: around the benchmark's cameras (benchmarks/common.py)."""
    rng = random.Random(13)
    stated = {"purpose": "intelligence", "reference": "BENCH-1"}

    def circle() -> dict[str, str]:
        n = rng.randrange(CAMERAS)
        return {"near": f"{52 + n / 100},{-1 - n / 100},1000"}

    def polygon() -> dict[str, str]:
        n = rng.randrange(CAMERAS)
        lat, lon = 52 + n / 100, -1 - n / 100
        corners = [
            (lat - 0.009, lon - 0.015),
            (lat - 0.009, lon + 0.015),
            (lat + 0.009, lon + 0.015),
            (lat + 0.009, lon - 0.015),
        ]
        return {"within": ";".join(f"{a},{b}" for a, b in corners)}

    for kind, make in (("a circle of 1 km", circle), ("a polygon 2 km across", polygon)):
        latencies, found = [], []
        for _ in range(count):
            query = urlencode({**make(), **an_hour(rng), **stated})
            seconds, body = asked(connection, token, "GET", f"/api/v1/reads/?{query}")
            latencies.append(seconds)
            found.append(len(body["results"]))
        print(
            f"where and when, {kind} over one hour: p50 {ms(latencies, 50)} ms, p95 {ms(latencies, 95)} ms "
            f"({count} searches, median {sorted(found)[len(found) // 2]} reads on the first page)",
            flush=True,
        )


def scenes(connection: http.client.HTTPConnection, token: str, count: int) -> None:
    """Three areas, each over its own hour: vehicles at all three, and at two of them."""
    rng = random.Random(17)
    for at_least in (3, 2):
        latencies, found = [], []
        for _ in range(count):
            body = {
                "purpose": "intelligence",
                "reference": "BENCH-1",
                "at_least": at_least,
                "scenes": [{"area": f"Area {rng.randrange(5)}", **an_hour(rng)} for _ in range(3)],
            }
            seconds, answer = asked(connection, token, "POST", "/api/v1/reads/scenes/", body)
            latencies.append(seconds)
            found.append(len(answer["results"]))
        print(
            f"at the scenes, three areas over an hour each, vehicles at {at_least}: "
            f"p50 {ms(latencies, 50)} ms, "
            f"p95 {ms(latencies, 95)} ms ({count} searches, at most {max(found)} vehicles)",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
