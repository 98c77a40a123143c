"""Benchmark live alerts: read-to-alert latency on an open event stream, and ingest rate,
with 500,000 hotlist entries loaded.

    make bench-alerts
    make bench-alerts ARGS="--entries 100000 --reads 1000"
    make bench-alerts ARGS="--background 5000"     # while 5,000 other reads/s stream in

Uses the benchmark database (anpr_bench, with whatever reads make bench-reads loaded), loads
a hotlist of --entries plates (once), starts gunicorn with two uvicorn workers, holds an
officer's /alerts/stream/ open, and posts --reads reads of listed plates one per request.
Latency is from just before each POST to the alert arriving on the stream. Not a test.
"""

import argparse
import contextlib
import http.client
import json
import random
import sys
import threading
import time

from benchmarks.common import (
    PORT,
    accounts,
    bench_ingest,
    ms,
    paced_ingest,
    post_reads,
    read,
    running_server,
    setup_django,
)

HOTLIST = "Benchmark hotlist"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--reads", type=int, default=1000, help="hotlisted reads to time (one per request)")
    parser.add_argument("--ingest-seconds", type=float, default=20)
    parser.add_argument(
        "--background", type=int, default=0, help="reads/s of other plates posted while latency is timed"
    )
    args = parser.parse_args()

    setup_django()
    who = accounts()
    plates = load_hotlist(who["admin"], args.entries)
    session = officer_session(who["officer"])
    with running_server():
        if args.background:
            with paced_ingest(who["camera_token"], args.background) as achieved:
                time.sleep(2)  # at its pace before the first timed read
                latency = bench_latency(session, who["camera_token"], plates, args.reads)
                print(f"{latency}, {achieved()}", flush=True)
        else:
            print(bench_latency(session, who["camera_token"], plates, args.reads), flush=True)
        print(
            bench_ingest(who["camera_token"], args.ingest_seconds) + f", {args.entries:,} hotlist entries",
            flush=True,
        )
    return 0


def load_hotlist(admin, entries: int, name: str = HOTLIST, prefix: str = "HL") -> list[str]:
    """A list of `entries` plates (`prefix` and six digits) under `name`: each benchmark has its
    own list and plates, so none re-imports another's or raises alerts on it."""
    from apps.hotlists import services
    from apps.hotlists.models import Hotlist

    hotlist = Hotlist.objects.filter(name=name).first() or services.hotlist_create(
        actor=admin, name=name, source="national", priority=1
    )
    plates = [f"{prefix}{n:06d}" for n in range(entries)]
    if hotlist.entries.count() != entries or not hotlist.entries.filter(vrm=plates[-1]).exists():
        started = time.perf_counter()
        services.entries_import(
            hotlist=hotlist,
            rows=[{"vrm": p, "reason": "stolen", "action": "stop"} for p in plates],
            replace=True,
            actor=admin,
        )
        print(f"loaded {entries:,} hotlist entries in {time.perf_counter() - started:.0f} s", flush=True)
    return plates


def officer_session(officer) -> str:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts.services import second_factor_issue

    if not TOTPDevice.objects.filter(user=officer).exists():
        second_factor_issue(user=officer)
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=officer).persistent_id
    session.save()
    return client.cookies["sessionid"].value


def bench_latency(session: str, token: str, plates: list[str], count: int) -> str:
    arrived: dict[str, float] = {}
    stream = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    stream.request("GET", "/alerts/stream/", headers={"Cookie": f"sessionid={session}"})
    response = stream.getresponse()
    assert response.status == 200, response.status
    opened = threading.Event()

    def listen() -> None:
        # The stream ends with an error when the benchmark closes it.
        with contextlib.suppress(http.client.HTTPException, OSError, ValueError):
            receive()

    def receive() -> None:
        pending = b""
        while chunk := response.read1(65536):
            now = time.perf_counter()
            opened.set()
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.startswith(b"data: "):
                    arrived.setdefault(json.loads(line[6:])["vrm"], now)

    threading.Thread(target=listen, daemon=True).start()
    opened.wait(10)
    rng = random.Random(11)
    chosen = rng.sample(plates, count)
    sent: dict[str, float] = {}
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    for vrm in chosen:
        sent[vrm] = time.perf_counter()
        status, body = post_reads(connection, token, [read(vrm, rng)])
        if status != 201:
            raise SystemExit(f"ingest failed: {status} {body}")
        time.sleep(0.01)
    deadline = time.monotonic() + 10
    while len(arrived) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    latencies = [arrived[vrm] - sent[vrm] for vrm in chosen if vrm in arrived]
    stream.sock.close()
    return (
        f"read-to-alert: p50 {ms(latencies, 50)} ms, p95 {ms(latencies, 95)} ms, p99 {ms(latencies, 99)} ms, "
        f"max {ms(latencies, 100)} ms "
        f"({len(latencies)} of {count} alerts arrived on the open stream)"
    )


if __name__ == "__main__":
    sys.exit(main())
