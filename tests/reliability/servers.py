"""Stopping and starting the local PostgreSQL and Redis servers, as the fault tests need.

The default commands suit a Debian or Ubuntu host: the distribution's PostgreSQL cluster
(pg_ctlcluster) and redis-server on port 6379 without persistence (docs/reliability.md). Set
RELIABILITY_REDIS_START / RELIABILITY_POSTGRES_RESTART to use others.
"""

import os
import subprocess
import time
from pathlib import Path

REDIS_START = os.environ.get(
    "RELIABILITY_REDIS_START",
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log",
)


def postgres_restart_command() -> str:
    if "RELIABILITY_POSTGRES_RESTART" in os.environ:
        return os.environ["RELIABILITY_POSTGRES_RESTART"]
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return f"pg_ctlcluster --skip-systemctl-redirect {version} main restart"


def redis_down() -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False, capture_output=True)
    _wait(lambda: not _redis_answers(), "Redis did not stop")


def redis_up() -> None:
    subprocess.run(REDIS_START, shell=True, check=True)  # noqa: S602 (a fixed command line)
    _wait(_redis_answers, "Redis did not start")


def postgres_restart() -> None:
    _postgres("restart")
    _wait(_postgres_answers, "no PostgreSQL")


def postgres_down() -> None:
    _postgres("stop")
    _wait(lambda: not _postgres_answers(), "PostgreSQL did not stop")


def postgres_up() -> None:
    _postgres("start")
    _wait(_postgres_answers, "no PostgreSQL")


def _postgres(action: str) -> None:
    """The restart command, asked to stop or start instead where that is what it is for."""
    command = postgres_restart_command().replace(" restart", f" {action}")
    subprocess.run(command, shell=True, check=True)  # noqa: S602 (a fixed command line)


def _postgres_answers() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0


def _redis_answers() -> bool:
    done = subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True)
    return done.stdout.strip() == "PONG"


def _wait(condition, message: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.2)
