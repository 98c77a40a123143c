"""Celery's broker URL as redis-py takes it, for the apps that talk to that Redis themselves."""

from urllib.parse import urlsplit


def redis_py_url(url: str) -> str:
    """The same Redis, in redis-py's spelling: Celery's `redis+socket://PATH` is `unix://PATH`."""
    parts = urlsplit(url)
    if parts.scheme == "redis+socket":
        return f"unix://{parts.path}"
    return url
