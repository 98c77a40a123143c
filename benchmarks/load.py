"""Load: officers searching over millions of reads while reads stream in (make bench-load).

    make bench-load
    make bench-load ARGS="--users 20 --rate 500 --seconds 120 --reads 10000000"
    make bench-load ARGS="--rate 2000 --batch 200 --seconds 3600"     # the soak

On the benchmark database (anpr_bench, filled to --reads reads over two years) and gunicorn
with uvicorn workers as in production: --users officers (each its own account) search
through the API with locust, every 1-3 s; a camera gateway posts --rate reads per second in
batches of 50, one hotlisted plate every half second; an officer's alert stream is open and
each hotlisted read is timed from its POST to its alert arriving. Prints search p50/p95/max,
the ingest rate held, alert latency p50/p95/p99, every error, whether every accepted read is
in the table, and the web workers' memory (sampled every 30 s). Not a test.
"""

import argparse
import contextlib
import csv
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.alerts import load_hotlist, officer_session
from benchmarks.common import PORT, accounts, ms, post_reads, read, running_server, setup_django
from benchmarks.reads import load


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rate", type=int, default=500, help="reads per second to ingest")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--reads", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=50, help="reads per POST from the gateway")
    args = parser.parse_args()
    setup_django()
    who = accounts()
    plates = load(args.reads)
    hotlisted = load_hotlist(who["admin"], 10_000, name="Load benchmark hotlist", prefix="LH")
    tokens = _officer_tokens(args.users)
    session = officer_session(who["officer"])
    with tempfile.TemporaryDirectory() as work, running_server() as url:
        (Path(work) / "plates.txt").write_text("\n".join(plates))
        alerts = _AlertStream(session)
        gateway = _Gateway(who["camera_token"], args.rate, args.batch, hotlisted, alerts)
        memory = _WorkerMemory()
        alerts.start()
        gateway.start()
        memory.start()
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                url,
                "--csv",
                f"{work}/load",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_TOKENS": ",".join(tokens), "BENCH_PLATES": f"{work}/plates.txt"},
            capture_output=True,
            text=True,
        )
        gateway.stop()
        memory.stop()
        time.sleep(2)  # the last alerts arrive
        searches = _aggregate(f"{work}/load_stats.csv")
        failures = Path(f"{work}/load_failures.csv").read_text().splitlines()[1:]
    latencies = [alerts.arrived[v] - sent for v, sent in gateway.hot_sent.items() if v in alerts.arrived]
    print(
        f"\n{args.users} officers searching for {args.seconds} s over {args.reads:,} reads, "
        f"while {args.rate} reads/s were offered (2 cores, gunicorn with 2 uvicorn workers):"
    )
    slowest = float(searches["Max Response Time"])
    print(
        f"  searches: {searches['Request Count']} ({float(searches['Requests/s']):.1f}/s), "
        f"p50 {searches['50%']} ms, p95 {searches['95%']} ms, max {slowest:.0f} ms, "
        f"errors {searches['Failure Count']}"
    )
    held = gateway.accepted / gateway.elapsed
    print(
        f"  ingest: {gateway.accepted:,} reads accepted in {gateway.elapsed:.0f} s, "
        f"{held:,.0f} reads/s held; "
        f"batch p95 {ms(gateway.latencies or [0], 95)} ms; errors {gateway.errors}"
    )
    print(
        f"  alerts: {len(latencies)} of {len(gateway.hot_sent)} arrived; "
        f"read-to-alert p50 {ms(latencies or [0], 50)} ms, p95 {ms(latencies or [0], 95)} ms, "
        f"p99 {ms(latencies or [0], 99)} ms"
    )
    found = _stored_since(gateway.started_at)
    print(
        f"  reads: {gateway.stored:,} stored by the API's account, {found:,} of them in the table "
        f"({gateway.stored - found:,} lost)"
    )
    print(f"  web workers' memory (MiB, every 30 s): {memory.summary()}")
    for failure in failures:  # method, name, error, occurrences
        print(f"  search failure: {failure}")
    if locust.returncode not in (0, 1):
        print(locust.stderr[-2000:], file=sys.stderr)
    return 0


def _officer_tokens(count: int) -> list[str]:
    from apps.accounts.models import User
    from apps.accounts.services import user_create
    from apps.accounts.tokens import api_token_issue

    tokens = []
    for n in range(count):
        name = f"bench-load-officer-{n:02d}"
        user = (
            User.objects.filter(username=name).first()
            or user_create(
                username=name,
                password=os.urandom(16).hex(),
                roles=["officer"],
                actor=None,
                password_change_required=False,
            )[0]
        )
        tokens.append(api_token_issue(user=user, actor=None)[1])
    return tokens


def _stored_since(moment) -> int:
    """Reads of the gateway's plates (its own, LD…, and the hotlisted ones, LH…) that reached the
    table since it started."""
    from datetime import timedelta

    from django.db.models import Q

    from apps.reads.models import Read

    return Read.objects.filter(
        Q(vrm__startswith="LD") | Q(vrm__startswith="LH"),
        received_at__gte=moment,
        seen_at__gte=moment - timedelta(minutes=2),
    ).count()


def _aggregate(path: str) -> dict:
    with open(path) as stats:
        return next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")


class _AlertStream(threading.Thread):
    """An officer's open alert page: when each alert arrived, by plate."""

    def __init__(self, session: str) -> None:
        super().__init__(daemon=True)
        self.session, self.arrived = session, {}

    def run(self) -> None:
        stream = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        stream.request("GET", "/alerts/stream/", headers={"Cookie": f"sessionid={self.session}"})
        response = stream.getresponse()
        pending = b""
        with contextlib.suppress(http.client.HTTPException, OSError, ValueError):
            while chunk := response.read1(65536):
                now = time.perf_counter()
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.startswith(b"data: "):
                        self.arrived.setdefault(json.loads(line[6:])["vrm"], now)


class _WorkerMemory(threading.Thread):
    """The resident memory of the web server's processes (gunicorn and its workers), every 30 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.running = threading.Event()

    def stop(self) -> None:
        self.running.set()
        self.join(timeout=5)

    def run(self) -> None:
        while True:
            self.samples.append(self._resident_mib())
            if self.running.wait(30):
                return

    def summary(self) -> str:
        if not self.samples:
            return "none"
        shown = ", ".join(f"{mib:.0f}" for mib in self.samples[:3])
        return f"{shown} … last {self.samples[-1]:.0f}, most {max(self.samples):.0f}"

    @staticmethod
    def _resident_mib() -> float:
        total = 0
        for process in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if b"anpr_site.asgi" in (process / "cmdline").read_bytes():
                    status = (process / "status").read_text()
                    total += int(status.split("VmRSS:")[1].split()[0])
        return total / 1024


class _Gateway(threading.Thread):
    """A camera gateway posting `rate` reads a second in batches, a hotlisted one every 0.5 s."""

    def __init__(self, token: str, rate: int, batch: int, hotlisted: list[str], alerts: _AlertStream) -> None:
        super().__init__(daemon=True)
        self.token, self.rate, self.batch, self.hot = (
            token,
            rate,
            batch,
            iter(random.Random(3).sample(hotlisted, len(hotlisted))),
        )
        self.running, self.accepted, self.stored, self.errors, self.latencies = True, 0, 0, 0, []
        self.started_at = datetime.now(UTC)
        self.hot_sent: dict[str, float] = {}
        self.elapsed = 0.0

    def stop(self) -> None:
        self.running = False
        self.join(timeout=30)

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        rng, interval, started = random.Random(5), self.batch / self.rate, time.perf_counter()
        batches = 0
        while self.running:
            due = started + batches * interval
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            reads = [read(f"LD{rng.randrange(10**6):06d}", rng) for _ in range(self.batch)]
            hot = None
            if batches % max(1, round(0.5 / interval)) == 0:
                hot = next(self.hot)
                reads[0] = read(hot, rng)
            sent = time.perf_counter()
            try:
                status, receipt = post_reads(connection, self.token, reads)
            except (OSError, http.client.HTTPException):
                status, receipt = 0, {}
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            self.latencies.append(time.perf_counter() - sent)
            if status == 201:
                self.accepted += self.batch
                self.stored += receipt["stored"]
                if hot:
                    self.hot_sent[hot] = sent
            else:
                self.errors += 1
            batches += 1
        self.elapsed = time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
