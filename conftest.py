"""Fixtures shared by every test: users per role, signed-in clients, and a real Celery worker."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from apps.accounts.roles import CAMERA, PORTAL_ROLES, ROLES
from apps.accounts.tests.factories import UserFactory
from apps.accounts.tokens import api_token_issue
from apps.cameras.bindings import camera_account_bind

PORTAL_ROLE_NAMES = PORTAL_ROLES
ALL_ROLE_NAMES = ROLES


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, made and migrated by its owner; from then on every connection acts as
    the application's own role, with exactly its rights (apps/audit/database.py)."""
    from django.conf import settings

    role = settings.DATABASE_APP_ROLE
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [role])
        if not cursor.fetchone()[0]:
            pytest.exit(f"No database role {role!r}: run the tests with `make test`, which makes it.")
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        on_citus = cursor.fetchone() is not None
    if on_citus:
        # A test is one transaction. There the owner's partition function makes a day's shards
        # and the application's role then writes them, and Citus refuses to let a second user see
        # placements another changed in the same transaction. Ingest commits its partitions first,
        # so this is the tests' doing: on Citus they keep the owner's login (docs/scale-out.md).
        connection.close()
        yield
        return
    connection.settings_dict.setdefault("OPTIONS", {})["assume_role"] = role
    connection.close()
    yield
    del connection.settings_dict["OPTIONS"]["assume_role"]  # the owner drops the test database
    connection.close()


@contextmanager
def as_database_owner():
    """For a test playing what only the owner may do (backdating audit rows, dropping a test's
    partitions): the connection's own login, not the application's role, for the block."""
    role = connection.settings_dict.get("OPTIONS", {}).get("assume_role")
    if role is None:  # on Citus the tests act as the owner throughout
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # A temporary table the owner made (ingest's staging table) is the owner's; the
            # application's role, back in the same session, could not use it.
            cursor.execute("DISCARD TEMP")
            cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")


@pytest.fixture
def retention_floor(settings):
    """retention_floor("reads", 7): keep only 7 days, in the settings and in the database's own
    floor (which only the owner may write); both put back after the test."""
    settings_names = {"reads": "READ_RETENTION_DAYS", "audit": "AUDIT_RETENTION_DAYS"}
    before = {}

    def keep(name: str, days: int) -> None:
        setattr(settings, settings_names[name], days)
        with as_database_owner(), connection.cursor() as cursor:
            cursor.execute("SELECT days FROM audit_retention_floor WHERE name = %s", [name])
            before.setdefault(name, cursor.fetchone()[0])
            cursor.execute("UPDATE audit_retention_floor SET days = %s WHERE name = %s", [days, name])

    yield keep
    with as_database_owner(), connection.cursor() as cursor:
        for name, days in before.items():
            cursor.execute("UPDATE audit_retention_floor SET days = %s WHERE name = %s", [days, name])


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path):
    """Each test's audit checkpoints in a directory of its own, as each starts with empty chains."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


@pytest.fixture
def make_user(db):
    """make_user("officer", "auditor", username=...) -> a user holding those roles;
    make_user("camera", cameras=[...], in_vehicle=True) -> a machine account bound to those cameras."""

    def make(*roles: str, cameras=(), in_vehicle: bool = False, **fields):
        user = UserFactory(roles=list(roles), totp=CAMERA not in roles, **fields)
        if cameras or in_vehicle:
            codes = [getattr(camera, "code", camera) for camera in cameras]
            camera_account_bind(account=user, camera_codes=codes, in_vehicle_unit=in_vehicle, actor=None)
        return user

    return make


@pytest.fixture
def sign_in_client(client):
    """A test client signed in as `user` with a verified second factor (no code typed)."""

    def sign_in(user, target=None):
        target = target or client
        target.force_login(user)
        session = target.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return target

    return sign_in


@pytest.fixture
def api_client_for(db):
    """api_client_for(user) -> a DRF client sending that user's token."""

    def for_user(user):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)[1]}")
        return api

    return for_user


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database; tests using it need transactional_db."""
    from anpr_site.celery import app

    app.control.purge()
    worker = start_celery_worker()
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


def start_celery_worker(queues: str = "default,video", *, answering: bool = True, **env) -> subprocess.Popen:
    """Start a worker (solo pool: one process, so a kill is a whole worker's death) on the test
    database, with `env` added to its environment, and wait until it answers (answering=False:
    not for one that takes a waiting task at once, as a solo worker busy with one answers none)."""
    from anpr_site.celery import app

    env = {**os.environ, **_test_database_env(), **env}
    name = f"test-{os.getpid()}-{time.monotonic_ns()}@%h"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "anpr_site",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queues,
            "--loglevel",
            os.environ.get("TEST_WORKER_LOGLEVEL", "WARNING"),
            "--hostname",
            name,
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while answering and not _answers_ping(app, name.replace("%h", socket.gethostname())):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("The Celery worker did not start.")
    return worker


def _answers_ping(app, name: str) -> bool:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisDown

    try:
        return bool(app.control.ping(destination=[name], timeout=0.5))
    except (OperationalError, RedisDown, OSError):  # Redis just restarted (a fault test): ask again
        return False


def start_celery_beat(schedule_file, **env) -> subprocess.Popen:
    """Start `celery beat` (the scheduler of CELERY_BEAT_SCHEDULE) with `env` added, keeping its
    schedule in `schedule_file`; beat answers no ping, so callers wait for what it sends."""
    env = {**os.environ, **_test_database_env(), **env}
    command = [sys.executable, "-m", "celery", "-A", "anpr_site", "beat", "--schedule", str(schedule_file)]
    beat = subprocess.Popen(
        [*command, "--loglevel", os.environ.get("TEST_WORKER_LOGLEVEL", "WARNING")], env=env
    )
    time.sleep(1)
    if beat.poll() is not None:
        pytest.fail("Celery beat did not start.")
    return beat


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker):
    """The real ASGI server (uvicorn, as `make run` starts it) on the test database: its URL."""
    server, base = start_asgi_server()
    yield base
    server.terminate()
    server.wait(timeout=30)


def start_asgi_server(*, log_to=None, **env) -> tuple[subprocess.Popen, str]:
    """Start uvicorn on the test database and a free port, with `env` added to its environment
    (settings read from it, such as a smaller upload limit); wait until it listens. With
    `log_to` (a file), its whole log goes there, access lines included."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **_test_database_env(), **env}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "anpr_site.asgi:application",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--no-proxy-headers",  # as make run: no forwarded address is believed
            "--log-level",
            "info" if log_to else "warning",
            "--timeout-graceful-shutdown",
            "1",
        ],
        env=env,
        **({"stdout": log_to, "stderr": subprocess.STDOUT} if log_to else {}),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("The ASGI server did not start.")
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def _test_database_env() -> dict[str, str]:
    """What a child process needs to use the test database with the test settings."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return {
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "DATABASE_ASSUME_ROLE": connection.settings_dict["OPTIONS"]["assume_role"],
        "DJANGO_SETTINGS_MODULE": "anpr_site.settings.test",
    }


def pytest_addoption(parser):
    parser.addoption(
        "--reliability",
        action="store_true",
        help="also run the fault tests, which restart the local PostgreSQL and Redis (make reliability)",
    )


def pytest_collection_modifyitems(config, items):
    # A test using a real worker or server is marked so, whether or not its module says it, so
    # that `make test-unit` (-m "not worker and not server ...") leaves it out.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "celery_worker" in fixtures:
            item.add_marker(pytest.mark.worker)
        if "asgi_server" in fixtures:
            item.add_marker(pytest.mark.server)
    if config.getoption("--reliability"):
        return
    skip = pytest.mark.skip(reason="in make reliability (it restarts servers and fuzzes for minutes)")
    for item in items:
        if "reliability" in item.keywords:
            item.add_marker(skip)
