"""The audit trail's own retention: longer than the reads it records (AUDIT_RETENTION_DAYS).

The application's database role may not delete audit rows at all. The owner-defined
audit_remove_expired() (migration 0009) removes rows older than the audit floor, which migrate
sets from AUDIT_RETENTION_DAYS, and nothing newer, whoever calls it.
"""

import json

from django.db import connection


def audit_remove_expired() -> dict[str, int]:
    """Remove audit rows past their period; how many went, by table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_remove_expired()")
        (removed,) = cursor.fetchone()
    return json.loads(removed)  # Django reads jsonb as its text
