"""gunicorn as production runs it (docker/Dockerfile) and as the benchmarks measure it.

    gunicorn -c anpr_site/gunicorn.conf.py anpr_site.asgi:application

Workers: $WEB_CONCURRENCY (gunicorn reads it), else 2; bind: $GUNICORN_BIND.
"""

import os

worker_class = "uvicorn.workers.UvicornWorker"
# Each worker's database connections come from a pool of this many (anpr_site/settings/base.py).
os.environ.setdefault("DATABASE_POOL_SIZE", "10")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Idle keep-alive connections are kept longer than clients and proxies keep theirs (nginx: 60 s),
# so the client side closes first. gunicorn's default of 2 s closed connections as clients
# reused them: a request sent at that moment meets a reset (measured: 1 search in ~1,080
# under make bench-load, "Connection reset by peer").
keepalive = 75
graceful_timeout = 10
# Whose X-Forwarded-For to believe: only the TLS proxy's address (FORWARDED_ALLOW_IPS). By
# default no one's, so a client cannot choose the address its sign-in failures are counted
# against. Behind a proxy, name it, or every client looks like the proxy to the lockout.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" for none
# Paths only: a query string may carry search criteria, and a referrer may hold one too
# (anpr_site/access_log.py does the same for the uvicorn workers' own access lines).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'


def on_starting(server) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set, workers write their metrics there and /metrics sums the
    files (apps/observability/metrics.py): a previous run's files are removed first, so they are
    not summed in."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))
