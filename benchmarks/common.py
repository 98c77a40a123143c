"""What the benchmarks share: their own database, accounts, the real server, ingest load, percentiles."""

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "anpr_bench"
PORT = 8097
CAMERAS = 50


def setup_django(database: str = BENCH_DB) -> None:
    """Point Django at the benchmark database (created if missing) and migrate it."""
    import django

    url = urlsplit(os.environ["DATABASE_URL"])
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path="/" + database))
    os.environ["DJANGO_SETTINGS_MODULE"] = "anpr_site.settings.local"
    os.environ["DEBUG"] = "false"
    _create_database(urlunsplit(url._replace(path="/postgres")), database)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def accounts() -> dict[str, object]:
    """The benchmark's officer and camera (with tokens) and its cameras."""
    from apps.accounts.models import User
    from apps.accounts.services import user_create
    from apps.accounts.tokens import api_token_issue
    from apps.assessments import services as assessments
    from apps.assessments.demo import demo_case
    from apps.cameras.bindings import camera_account_bind
    from apps.cameras.models import Camera
    from apps.cameras.services import camera_create

    users = {}
    for username, role in (
        ("bench-officer", "officer"),
        ("bench-camera", "camera"),
        ("bench-admin", "administrator"),
        ("bench-planner", "planner"),
        ("bench-supervisor", "supervisor"),
    ):
        users[role] = (
            User.objects.filter(username=username).first()
            or user_create(
                username=username,
                password=os.urandom(16).hex(),
                roles=[role],
                actor=None,
                password_change_required=False,
            )[0]
        )
    for n in range(CAMERAS):
        if not Camera.objects.filter(code=f"BENCH-{n:02d}").exists():
            camera = camera_create(
                code=f"BENCH-{n:02d}",
                name=f"Bench camera {n}",
                kind="fixed",
                status="proposed",
                latitude=52 + n / 100,
                longitude=-1 - n / 100,
                area=f"Area {n % 5}",
            )
            # Live the only way a fixed camera goes live: an approved deployment assessment.
            draft = assessments.assessment_create(
                camera=camera, author=users["planner"], **demo_case(camera.name)
            )
            assessments.assessment_submit(assessment=draft, actor=users["planner"])
            assessments.assessment_approve(
                assessment=draft, approver=users["supervisor"], reason="Benchmark."
            )
    codes = [f"BENCH-{n:02d}" for n in range(CAMERAS)]
    camera_account_bind(account=users["camera"], camera_codes=codes, actor=None)
    return {
        "officer": users["officer"],
        "admin": users["administrator"],
        "officer_token": api_token_issue(user=users["officer"], actor=None)[1],
        "camera_token": api_token_issue(user=users["camera"], actor=None)[1],
    }


@contextmanager
def running_server():
    """gunicorn with two uvicorn workers, as production runs it, on PORT."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "anpr_site/gunicorn.conf.py", "anpr_site.asgi:application"],
        env=os.environ
        | {
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_ACCESS_LOG": "",
            # A benchmark's officer searches hundreds of times an hour: the allowance is not measured.
            "READ_SEARCHES_PER_HOUR": str(10**9),
        },
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def post_reads(connection: http.client.HTTPConnection, token: str, reads: list[dict]) -> tuple[int, dict]:
    connection.request(
        "POST",
        "/api/v1/reads/",
        json.dumps(reads),
        {"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def read(vrm: str, rng: random.Random) -> dict:
    return {
        "camera": f"BENCH-{rng.randrange(CAMERAS):02d}",
        "vrm": vrm,
        "seen_at": (datetime.now(UTC) - timedelta(seconds=rng.random() * 60)).isoformat(),
        "confidence": round(rng.uniform(0.7, 1), 3),
    }


def bench_ingest(token: str, seconds: float, clients: int = 4, batch: int = 500) -> str:
    """Batches of new reads from several clients for `seconds`; returns the figure line."""
    stored, errors, latencies = [0], [0], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while time.monotonic() < deadline:
            body = [read(f"IN{rng.randrange(10**6):06d}X", rng) for _ in range(batch)]
            started = time.perf_counter()
            status, payload = post_reads(connection, token, body)
            with lock:
                latencies.append(time.perf_counter() - started)
                if status == 201:
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
    return (
        f"ingest: {stored[0] / elapsed:,.0f} reads/s through the API ({clients} clients, batches of {batch}, "
        f"{elapsed:.0f} s, batch p50 {ms(latencies, 50)} ms, p95 {ms(latencies, 95)} ms, errors {errors[0]})"
    )


@contextmanager
def paced_ingest(token: str, rate: int, clients: int = 4, interval: float = 0.1):
    """New reads posted at `rate` reads/s (by `clients` clients, each a batch every `interval` s)
    while the body runs; yields a function that says what was achieved."""
    batch = max(1, round(rate * interval / clients))
    stop = threading.Event()
    stored, errors, late = [0], [0], [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(100 + number)
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        due = time.monotonic() + interval * number / clients  # spread the clients over the interval
        while not stop.is_set():
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            else:
                with lock:
                    late[0] += 1
            due += interval
            body = [read(f"BG{rng.randrange(10**6):06d}X", rng) for _ in range(batch)]
            status, payload = post_reads(connection, token, body)
            with lock:
                if status == 201:
                    stored[0] += payload["stored"] + payload["duplicates"]
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()

    def achieved() -> str:
        elapsed = time.perf_counter() - started
        return (
            f"while {stored[0] / elapsed:,.0f} reads/s streamed in (asked {rate:,}; {clients} clients, "
            f"batches of {batch}; {late[0]} batches late, {errors[0]} errors)"
        )

    try:
        yield achieved
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)


def ms(values: list[float], percentile: int) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))] * 1000:.0f}"


def _create_database(admin_url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            connection.execute(f'CREATE DATABASE "{database}"')
