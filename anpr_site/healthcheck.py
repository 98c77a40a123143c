"""The web container's health check: `python -m anpr_site.healthcheck` exits 0 when the server on
this machine answers /healthz with 200 (the database answers), 1 otherwise.

It asks over plain HTTP on the loopback, at the port of GUNICORN_BIND, naming a host the
settings allow (the first usable one of ALLOWED_HOSTS). /healthz is exempt from the HTTPS
redirect (settings/production.py), so the check needs no forwarded header, and the server
believes none from it. No Django here: it runs every few seconds and must stay cheap.
"""

import http.client
import os
import sys

DEFAULT_BIND = "0.0.0.0:8000"  # anpr_site/gunicorn.conf.py's


def main() -> int:
    port = int(os.environ.get("GUNICORN_BIND", DEFAULT_BIND).rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": allowed_host()})
        response = connection.getresponse()
        response.read()
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"unhealthy: /healthz answered {response.status}", file=sys.stderr)
        return 1
    return 0


def allowed_host() -> str:
    """A host name ALLOWED_HOSTS accepts: its first entry that is a name, not a pattern."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = entry.strip().lstrip(".")  # ".example.org" also allows example.org itself
        if host and host != "*":
            return host
    return "localhost"  # the settings' own default allows it


if __name__ == "__main__":
    sys.exit(main())
