"""The web server's database connections come from a pool (DATABASE_POOL_SIZE, set by
gunicorn.conf.py and `make run`): however many requests arrive at once, one server process holds
at most that many connections, and every request is answered. Without it, each request's thread
under ASGI opened a connection of its own, and a busy portal ran PostgreSQL out of connections."""

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

POOL = 3
NAME = "anpr-pool-test"  # the server's connections, by the name libpq gives them (PGAPPNAME)


def server_connections(watch: psycopg.Connection) -> int:
    row = watch.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [NAME]
    ).fetchone()
    return row[0] if row else 0


def test_a_burst_of_requests_is_answered_from_a_pool_of_connections(make_user):
    from apps.accounts.tokens import api_token_issue
    from conftest import start_asgi_server

    token = api_token_issue(user=make_user("officer"), actor=None)[1]
    connection.ensure_connection()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    server, base = start_asgi_server(DATABASE_POOL_SIZE=str(POOL), PGAPPNAME=NAME)
    address = urlsplit(base)

    def ask(_: int) -> int:
        client = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        client.request("GET", "/api/v1/search-purposes/", headers={"Authorization": f"Token {token}"})
        return client.getresponse().status

    peak, done = 0, threading.Event()
    try:
        with psycopg.connect(**params, autocommit=True) as watch:

            def watching() -> None:
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, server_connections(watch))
                    time.sleep(0.005)

            watcher = threading.Thread(target=watching)
            watcher.start()
            try:
                with ThreadPoolExecutor(30) as clients:
                    statuses = list(clients.map(ask, range(150)))
            finally:
                done.set()
                watcher.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [200] * 150
    assert 1 <= peak <= POOL, peak
