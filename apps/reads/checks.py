"""Deployment checks for the read store."""

from django.core.checks import Tags, Warning, register
from django.db import connection

MIN_LOCKS = 1024


@register(Tags.database)
def lock_table_is_large_enough(app_configs=None, databases=None, **kwargs):
    """Two years of day partitions: each partition and index touched by a query takes a lock."""
    if not databases or "default" not in databases:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_locks_per_transaction")
        locks = int(cursor.fetchone()[0])
    if locks >= MIN_LOCKS:
        return []
    return [
        Warning(
            f"PostgreSQL max_locks_per_transaction is {locks}; the read store needs {MIN_LOCKS} or more.",
            hint="Set it in postgresql.conf (or ALTER SYSTEM) and restart PostgreSQL; see the README.",
            id="reads.W001",
        )
    ]
