"""Benchmark the read store: ingest rate through the API and search latency over 10M+ reads.

    make bench-reads                       # 10 million reads (loaded once, kept in anpr_bench)
    make bench-reads ARGS="--reads 2000000"

Loads a separate database (anpr_bench) with reads spread over two years, starts the real
server (gunicorn with uvicorn workers), then measures:
  * ingest: reads/second accepted by POST /api/v1/reads/ (batches of 500, 4 clients);
  * search: p50/p95 of GET /api/v1/reads/ for exact plates and for patterns, as an officer
    searching the standard 90-day window (every search audited, as in production).
Prints one line per figure. Not a test: numbers depend on the machine.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

import django

BENCH_DB = "anpr_bench"
PORT = 8097


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=10_000_000, help="reads in the table (default 10M)")
    parser.add_argument("--ingest-seconds", type=float, default=20)
    parser.add_argument("--searches", type=int, default=200, help="searches of each kind")
    args = parser.parse_args()

    url = urlsplit(os.environ["DATABASE_URL"])
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path="/" + BENCH_DB))
    os.environ["DJANGO_SETTINGS_MODULE"] = "anpr_site.settings.local"
    os.environ["DEBUG"] = "false"
    _create_database(url)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    officer_token, camera_token = _accounts()
    plates = _load(args.reads)

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anpr_site.asgi:application",
            "-k",
            "uvicorn.workers.UvicornWorker",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    try:
        _wait_for_server()
        _bench_ingest(camera_token, args.ingest_seconds)
        _bench_search(officer_token, plates, args.searches)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


def _create_database(url) -> None:
    import psycopg

    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            connection.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _accounts() -> tuple[str, str]:
    from apps.accounts.models import User
    from apps.accounts.services import api_token_issue, user_create
    from apps.cameras.models import Camera
    from apps.cameras.services import camera_create

    tokens = []
    for username, role in (("bench-officer", "officer"), ("bench-camera", "camera")):
        user = (
            User.objects.filter(username=username).first()
            or user_create(username=username, password=os.urandom(16).hex(), roles=[role], actor=None)[0]
        )
        tokens.append(api_token_issue(user=user))
    for n in range(50):
        if not Camera.objects.filter(code=f"BENCH-{n:02d}").exists():
            camera_create(
                code=f"BENCH-{n:02d}",
                name=f"Bench camera {n}",
                kind="fixed",
                status="live",
                latitude=52 + n / 100,
                longitude=-1 - n / 100,
                area=f"Area {n % 5}",
                actor=None,
            )
    return tokens[0], tokens[1]


def _load(target: int) -> list[str]:
    """Fill the table up to `target` reads over two years; return some plates that are in it."""
    from django.db import connection

    from apps.reads.partitions import ensure_partitions

    today = datetime.now(UTC).date()
    ensure_partitions({today - timedelta(days=d) for d in range(-2, 730)})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reads_read")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id) FROM cameras_camera WHERE code LIKE 'BENCH-%%'")
        cameras = cursor.fetchone()[0]
        chunk = 1_000_000
        while have < target:
            size = min(chunk, target - have)
            started = time.perf_counter()
            # Plates recur (about five sightings each), in the current UK format AA99AAA.
            cursor.execute(
                """
                INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, source)
                SELECT now() - random() * interval '729 days', (%s::bigint[])[1 + (g %% %s)], p, p,
                       0.7 + random() * 0.3, 'camera'
                FROM generate_series(%s, %s) AS g,
                     LATERAL (SELECT translate(substr(md5((g %% %s)::text), 1, 2), '0123456789abcdef',
                                               'ABCDEFGHJKLMNPRS')
                                     || lpad(((g %% %s) %% 100)::text, 2, '0')
                                     || translate(substr(md5((g %% %s)::text), 3, 3), '0123456789abcdef',
                                                  'TUVWXYZABCDEFGHJ') AS p) AS plate
                ON CONFLICT DO NOTHING
                """,
                [cameras, len(cameras), have + 1, have + size, target // 5, target // 5, target // 5],
            )
            have += size
            print(f"loaded {have:,} reads ({size / (time.perf_counter() - started):,.0f} rows/s)", flush=True)
        cursor.execute("ANALYZE reads_read")
        cursor.execute(
            "SELECT vrm FROM reads_read WHERE seen_at > now() - interval '90 days' "
            "ORDER BY random() LIMIT 500"
        )
        return [row[0] for row in cursor.fetchall()]


def _wait_for_server() -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def _bench_ingest(token: str, seconds: float, clients: int = 4, batch: int = 500) -> None:
    stored, errors, latencies = [0], [0], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while time.monotonic() < deadline:
            now = datetime.now(UTC)
            body = [
                {
                    "camera": f"BENCH-{rng.randrange(50):02d}",
                    "vrm": f"IN{rng.randrange(10**6):06d}X",
                    "seen_at": (now - timedelta(seconds=rng.random() * 60)).isoformat(),
                    "confidence": round(rng.uniform(0.7, 1), 3),
                }
                for _ in range(batch)
            ]
            started = time.perf_counter()
            connection.request(
                "POST",
                "/api/v1/reads/",
                json.dumps(body),
                {"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            payload = json.loads(response.read())
            with lock:
                latencies.append(time.perf_counter() - started)
                if response.status == 201:
                    stored[0] += payload["stored"]
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(
        f"ingest: {stored[0] / elapsed:,.0f} reads/s through the API ({clients} clients, batches of {batch}, "
        f"{elapsed:.0f} s, batch p50 {_ms(latencies, 50)} ms, p95 {_ms(latencies, 95)} ms, "
        f"errors {errors[0]})"
    )


def _bench_search(token: str, plates: list[str], count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    rng = random.Random(7)
    kinds = {
        "exact plate": lambda: rng.choice(plates),
        "prefix pattern (AB1*)": lambda: rng.choice(plates)[:3] + "*",
        "infix pattern (*12A*)": lambda: "*" + rng.choice(plates)[2:5] + "*",
        "one-character wildcard (AB12?CD)": lambda: (p := rng.choice(plates))[:4] + "?" + p[5:],
    }
    for kind, make in kinds.items():
        latencies, results = [], []
        for _ in range(count):
            query = urlencode({"vrm": make(), "purpose": "Benchmark search", "reference": "BENCH"})
            started = time.perf_counter()
            connection.request("GET", f"/api/v1/reads/?{query}", headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            body = json.loads(response.read())
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"search failed: {response.status} {body}")
            results.append(len(body["results"]))
        print(
            f"search {kind}: p50 {_ms(latencies, 50)} ms, p95 {_ms(latencies, 95)} ms "
            f"({count} searches, median {statistics.median(results):.0f} results on the first page)"
        )


def _ms(values: list[float], percentile: int) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))] * 1000:.0f}"


if __name__ == "__main__":
    sys.exit(main())
