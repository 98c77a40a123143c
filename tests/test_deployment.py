"""docker/compose.yaml's services, started by their own command lines outside containers.

CI has no Docker engine, so this runs what each container would run, with the environment
compose would give it: the image's ENV (docker/Dockerfile), docker/anpr.env.example as the
env_file, then the service's own `environment` filled in from docker/.env-like variables. Only
what names the containers' world is put onto this machine: the database URLs point at a scratch
database on the test PostgreSQL (each keeping its role: migrate the owner, everything else
anpr_app), the broker at a Redis of this module's own, and the image's paths at a temporary
directory. Then: migrate as the owner, web under the production settings with its health check
run exactly as compose runs it, both workers answering their health checks, beat sending a job
that the worker runs as the application's role, and every service stopping on SIGTERM.

    make test ARGS="-m deployment"
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psycopg
import pytest
import yaml
from django.db import connection

from dev import launcher

pytestmark = pytest.mark.deployment

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
# What docker/.env gives compose. The proxy's address is where this test's requests come from.
PROXY_ADDRESS, OTHER_ADDRESS = "127.0.0.1", "127.0.0.2"
VARIABLES = {
    "ANPR_HOSTNAME": "anpr.example.police.uk",
    "ANPR_PROXY_ADDRESS": PROXY_ADDRESS,
    "POSTGRES_PASSWORD": "unused-here",
    "ANPR_OWNER_PASSWORD": "replaced-here",
    "ANPR_APP_PASSWORD": "replaced-here",
}
APPLICATION = ("web", "worker", "video-worker", "beat")
# Beat's job that comes round soonest, made to come round every 2 s (the only change to the
# settings the services are given): the worker runs it as anpr_app and records its run.
REQUEUE_JOB = "requeue-lost-video-jobs"
STARTUP_SECONDS = 60


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The scratch database migrated by the compose `migrate` command, and web, worker,
    video-worker and beat started by theirs: {"migrate": CompletedProcess, name: Service}."""
    work = tmp_path_factory.mktemp("deployment")
    with ExitStack() as stack:
        broker = stack.enter_context(launcher.embedded_redis(work / "redis"))
        database = stack.enter_context(scratch_database())
        started = {"migrate": _run_migrate(work, database, broker), "database": database}
        port = _free_port()
        for name in APPLICATION:
            extra = {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"} if name == "web" else {}
            if name == "beat":
                extra["VIDEO_REQUEUE_CHECK_SECONDS"] = "2"
            env = _environment(name, work, database, broker) | extra
            started[name] = stack.enter_context(running(_Service(name, env, work / f"{name}.log")))
        yield started


def test_migrate_runs_as_the_owner_and_leaves_the_application_role_its_rights(stack):
    migrate = stack["migrate"]
    assert migrate.returncode == 0, migrate.stdout[-3000:]
    assert "Applying audit.0001" in migrate.stdout
    with psycopg.connect(stack["database"].owner_url) as owner:
        query = "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_jobrun'"
        (table_owner,) = owner.execute(query).fetchone()
        rights = owner.execute(
            "SELECT has_table_privilege(%(app)s, 'audit_jobrun', 'INSERT'), "
            "has_table_privilege(%(app)s, 'audit_jobrun', 'UPDATE'), "
            "has_table_privilege(%(app)s, 'django_migrations', 'INSERT')",
            {"app": launcher.APP},
        ).fetchone()
    assert table_owner == launcher.OWNER
    assert rights == (True, False, False)


def test_web_passes_its_compose_health_check_under_the_production_settings(stack):
    web = stack["web"]
    check = web.wait_until_healthy()
    assert check.returncode == 0, check.stderr + web.log_tail()
    assert web.env["DJANGO_SETTINGS_MODULE"] == "anpr_site.settings.production"
    assert web.env["DATABASE_URL"].startswith(f"postgres://{launcher.APP}:")


def test_web_health_check_fails_when_nothing_answers(stack):
    check = stack["web"].healthcheck(env={"GUNICORN_BIND": f"127.0.0.1:{_free_port()}"})
    assert check.returncode == 1
    assert "unhealthy" in check.stderr


def test_web_believes_the_forwarded_scheme_from_the_proxy_only(stack):
    web = stack["web"]
    assert web.wait_until_healthy().returncode == 0, web.log_tail()
    headers = {"Host": VARIABLES["ANPR_HOSTNAME"], "X-Forwarded-Proto": "https"}
    from_proxy = _get(web.port, "/api/v1/reads/", headers, source=PROXY_ADDRESS)
    from_elsewhere = _get(web.port, "/api/v1/reads/", headers, source=OTHER_ADDRESS)
    plain = _get(web.port, "/api/v1/reads/", {"Host": VARIABLES["ANPR_HOSTNAME"]}, source=PROXY_ADDRESS)
    wrong_host = _get(web.port, "/healthz", {"Host": "127.0.0.1"}, source=PROXY_ADDRESS)
    assert from_proxy.status == 401 and from_proxy.getheader("Strict-Transport-Security")
    assert from_elsewhere.status == 301
    assert from_elsewhere.getheader("Location") == f"https://{VARIABLES['ANPR_HOSTNAME']}/api/v1/reads/"
    assert plain.status == 301
    assert wrong_host.status == 400


@pytest.mark.parametrize("name", ["worker", "video-worker"])
def test_workers_pass_their_compose_health_checks(stack, name):
    worker = stack[name]
    assert worker.wait_for_log(" ready."), worker.log_tail()
    check = worker.healthcheck()
    assert check.returncode == 0, check.stdout + check.stderr + worker.log_tail()
    # The check asks this worker by name, not any worker on the broker.
    node = worker.command[worker.command.index("-n") + 1] if "-n" in worker.command else "celery@%h"
    assert f"--destination {node.replace('%h', '$$HOSTNAME')} " in SERVICES[name]["healthcheck"]["test"][1]
    queue = worker.command[worker.command.index("--queues") + 1]
    assert f".> {queue} " in worker.log.read_text()


def test_beat_sends_a_job_the_worker_runs_as_the_application_role(stack):
    beat = stack["beat"]
    assert beat.wait_for_log("beat: Starting"), beat.log_tail()
    deadline = time.monotonic() + STARTUP_SECONDS
    with psycopg.connect(stack["database"].owner_url, autocommit=True) as owner:
        while True:
            runs = owner.execute("SELECT outcome FROM audit_jobrun WHERE job = %s", [REQUEUE_JOB]).fetchall()
            if runs or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert runs and {outcome for (outcome,) in runs} == {"ok"}, beat.log_tail() + stack["worker"].log_tail()


def test_every_service_stops_on_sigterm(stack):
    for name in APPLICATION:
        assert stack[name].alive(), f"{name} died early:\n{stack[name].log_tail()}"
    for name in APPLICATION:
        stack[name].process.send_signal(signal.SIGTERM)
    for name in APPLICATION:
        assert stack[name].stop() == 0, f"{name}:\n{stack[name].log_tail()}"


class _Database:
    def __init__(self, name: str):
        settings = connection.settings_dict
        assert settings["USER"] == launcher.OWNER, "the suite connects as the owner (make test)"
        self.name = name
        self.owner_url = _database_url(settings, launcher.OWNER, settings["PASSWORD"], name)
        self.app_url = _database_url(settings, launcher.APP, launcher.role_password(launcher.APP), name)
        self.admin_url = _database_url(settings, launcher.OWNER, settings["PASSWORD"], "postgres")

    def url_for(self, compose_url: str) -> str:
        """This machine's URL for the role a compose DATABASE_URL names."""
        role = urlsplit(compose_url).username
        return {launcher.OWNER: self.owner_url, launcher.APP: self.app_url}[role]


@contextmanager
def scratch_database() -> Iterator[_Database]:
    """A database of this module's own, made and dropped by the owner (as the test database is)."""
    database = _Database(connection.settings_dict["NAME"].removeprefix("test_") + "_deployment")
    drop = f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)'
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(f'CREATE DATABASE "{database.name}"')
    try:
        yield database
    finally:
        with psycopg.connect(database.admin_url, autocommit=True) as admin:
            admin.execute(drop)


class _Service:
    """One compose service's command, running here with the environment compose would give it."""

    def __init__(self, name: str, env: dict[str, str], log: Path):
        self.name, self.env, self.log = name, env, log
        self.command = _command(name)
        self.port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1]) if name == "web" else None
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                _resolve(self.command, env), env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )

    def healthcheck(self, env=None) -> subprocess.CompletedProcess:
        """The service's compose healthcheck `test`, as Docker runs it in the container."""
        test = SERVICES[self.name]["healthcheck"]["test"]
        env = self.env | {"HOSTNAME": socket.gethostname()} | (env or {})
        if test[0] == "CMD-SHELL":
            argv = ["/bin/sh", "-c", test[1].replace("$$", "$")]
        else:
            argv = _resolve(test[1:], env)
        return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)

    def wait_until_healthy(self) -> subprocess.CompletedProcess:
        """Its health check, run until it passes, the service dies or the time is up."""
        check = self.healthcheck()
        deadline = time.monotonic() + STARTUP_SECONDS
        while check.returncode != 0 and self.alive() and time.monotonic() < deadline:
            time.sleep(0.5)
            check = self.healthcheck()
        return check

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for_log(self, text: str) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        while text not in self.log.read_text(errors="replace"):
            if not self.alive() or time.monotonic() > deadline:
                return False
            time.sleep(0.25)
        return True

    def log_tail(self, size: int = 3000) -> str:
        return "\n--- " + self.name + " log:\n" + self.log.read_text(errors="replace")[-size:]

    def stop(self) -> int:
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return -9


@contextmanager
def running(service: _Service) -> Iterator[_Service]:
    """The service, stopped on the way out if a test has not stopped it."""
    try:
        yield service
    finally:
        if service.alive():
            service.process.terminate()
            service.stop()


def _run_migrate(work: Path, database: _Database, broker: str) -> subprocess.CompletedProcess:
    env = _environment("migrate", work, database, broker)
    return subprocess.run(
        _resolve(_command("migrate"), env), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def _command(name: str) -> list[str]:
    return list(SERVICES[name].get("command") or _dockerfile_cmd())


# Taken from this machine, never mapped from the container's paths.
HOST_VARIABLES = {"PATH", "HOME", "LANG"}


def _environment(name: str, work: Path, database: _Database, broker: str) -> dict[str, str]:
    """What the container would hold, with the containers' world mapped onto this machine."""
    service = SERVICES[name]
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",  # the virtualenv's commands
        "HOME": str(work),
        "LANG": "C.UTF-8",
        # This machine's OpenBLAS settings (they keep numpy off kernels that fail here).
        **{key: value for key, value in os.environ.items() if key.startswith("OPENBLAS_")},
    }
    env |= _dockerfile_env()
    env |= _env_file(DOCKER / (service["env_file"] + ".example"))
    env |= {key: _interpolate(str(value)) for key, value in service["environment"].items()}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # what an operator puts in anpr.env
    env["DATABASE_URL"] = database.url_for(env["DATABASE_URL"])
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    env["CELERY_BROKER_URL"] = broker
    for key, value in env.items():
        if key in HOST_VARIABLES:  # this machine's own, even where the checkout is under /tmp
            continue
        if value.startswith("/app/"):
            env[key] = str(ROOT / value.removeprefix("/app/"))
        elif value.startswith(("/data/", "/tmp/")):  # noqa: S108  (the container's paths, mapped)
            env[key] = str(work / value.lstrip("/"))
            (work / value.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    for path in _dockerfile_data_directories():
        (work / path.lstrip("/")).mkdir(parents=True, exist_ok=True)
    return env


def _interpolate(value: str) -> str:
    """compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, from VARIABLES; $$ is a dollar."""

    def one(match: re.Match) -> str:
        name, kind, rest = match.group(1), match.group(2), match.group(3)
        if name in VARIABLES:
            return VARIABLES[name]
        assert kind == ":-", f"compose would stop: {rest}"
        return rest

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, value).replace("$$", "$")


def _dockerfile_lines() -> list[str]:
    return (DOCKER / "Dockerfile").read_text().replace("\\\n", " ").splitlines()


def _dockerfile_env() -> dict[str, str]:
    env = {}
    for line in _dockerfile_lines():
        if line.startswith("ENV "):
            env |= dict(item.split("=", 1) for item in line.removeprefix("ENV ").split())
    return env


def _dockerfile_cmd() -> list[str]:
    (cmd,) = [line for line in _dockerfile_lines() if line.startswith("CMD ")]
    return yaml.safe_load(cmd.removeprefix("CMD "))


def _dockerfile_data_directories() -> list[str]:
    (line,) = [line for line in _dockerfile_lines() if "install --directory" in line]
    return [word for word in line.split() if word.startswith("/data/")]


def _env_file(path: Path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _resolve(argv: list[str], env: dict[str, str]) -> list[str]:
    return [shutil.which(argv[0], path=env["PATH"]) or argv[0], *argv[1:]]


def _database_url(settings: dict, role: str, password: str, name: str) -> str:
    host, port = settings["HOST"] or "", settings["PORT"] or ""
    query = ""
    if host.startswith("/"):  # a unix socket's directory (the embedded server)
        host, query = "", urlencode({"host": settings["HOST"]})
    netloc = f"{role}:{quote(password or '', safe='')}@{host}" + (f":{port}" if port and host else "")
    return urlunsplit(("postgres", netloc, "/" + name, query, ""))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str], *, source: str) -> http.client.HTTPResponse:
    request = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    request.request("GET", path, headers=headers)
    response = request.getresponse()
    response.read()
    request.close()
    return response
