"""What the application's own database role may do, set by every migrate (run as the owner).

The application connects as DATABASE_APP_ROLE, which owns nothing: it reads and writes the
ordinary tables, but of the audit trail it may only read and append (no UPDATE, DELETE or
TRUNCATE, no triggers, and, not owning the tables, no ALTER or DROP). What it must do beyond
that goes through functions the owner defined: create a day's read partition, drop one past
the retention floor, remove audit rows past theirs, refresh hotlist statistics. The retention
floors are written here from AUDIT_RETENTION_DAYS and READ_RETENTION_DAYS, and only ever raised;
the application may read them, never lower them.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections, transaction

log = logging.getLogger(__name__)

# Each carries an append-only trigger (named *_append_only) and is hash-chained (apps/audit/chain.py);
# a test keeps the list in step with both. Each with the column saying when a row was written.
APPEND_ONLY_TABLES = {
    "audit_securityevent": "at",
    "audit_searchaudit": "at",
    "audit_jobrun": "at",
    "access_requests_accessrequestevent": "at",
    "misuse_misuseflag": "at",
    "misuse_misuseflagclosure": "at",
    "transparency_publishedmonth": "at",  # the public report's settled months, as published
    "auditlog_logentry": "timestamp",  # the change log (django-auditlog)
    "django_admin_log": "action_time",
}
# Read, never written, by the application: the floors, the heads of the audit chains, which
# migrations have run (a row written there would make migrate skip a migration), and the cameras'
# status history (written by the owner's trigger from the camera table, so a history cannot be
# made up or rewritten).
OWNER_ONLY_TABLES = (
    "audit_retention_floor",
    "audit_auditchain",
    "django_migrations",
    "cameras_camerastatuschange",
)
OWNER_FUNCTIONS = (
    "audit_remove_expired()",
    "reads_create_day_partition(date)",
    "reads_drop_day_partition(date)",
    "hotlists_analyze_entries()",
)


def grant_application_role(*, using: str = "default", **kwargs) -> None:
    """post_migrate: give the application's role exactly its rights, and set the retention floors."""
    connection = connections[using]
    if connection.vendor != "postgresql" or "plan" not in kwargs or not _tables_exist(connection):
        return  # not PostgreSQL; a flush (it changes no schema); or a migrate that stopped short
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        _set_floors(cursor)
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            log.warning("No database role %r: the application would run with the owner's rights.", role)
            return
        for statement in _grants(connection.ops.quote_name(role)):
            cursor.execute(statement)
        _grant_temporary(cursor, role)


def _grants(role: str) -> list[str]:
    append_only = ", ".join(APPEND_ONLY_TABLES)
    owner_only = ", ".join(OWNER_ONLY_TABLES)
    return [
        # Nobody but the owner makes objects in the schema (older PostgreSQL let everyone).
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        # USAGE (nextval) but not UPDATE: no setval to make audit ids collide.
        f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {owner_only} FROM {role}",
        *(f"GRANT EXECUTE ON FUNCTION {function} TO {role}" for function in OWNER_FUNCTIONS),
    ]


def _grant_temporary(cursor, role: str) -> None:
    # Ingest copies each batch into a temporary table of its own (apps/reads/services.py), so the
    # role keeps TEMPORARY where a hardened server has taken it from PUBLIC. Only the database's
    # owner can grant it; under another owner it must be granted by hand, and this says so.
    cursor.execute("SELECT format('GRANT TEMPORARY ON DATABASE %%I TO %%I', current_database(), %s)", [role])
    grant = cursor.fetchone()[0]
    try:
        with transaction.atomic():
            cursor.execute(grant)
    except DatabaseError:
        pass  # said below
    cursor.execute("SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')", [role])
    if not cursor.fetchone()[0]:
        log.warning("Grant TEMPORARY on this database to %r: ingest stages batches in one.", role)


def _set_floors(cursor) -> None:
    # Only ever raised: a shorter period in some deployment's settings is no way to empty the
    # trail. Lowering one is a deliberate act by the owner, by hand.
    cursor.execute(
        "INSERT INTO audit_retention_floor (name, days) VALUES ('audit', %s), ('reads', %s) "
        "ON CONFLICT (name) DO UPDATE SET days = GREATEST(audit_retention_floor.days, EXCLUDED.days)",
        [settings.AUDIT_RETENTION_DAYS, settings.READ_RETENTION_DAYS],
    )


def _tables_exist(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regprocedure('hotlists_analyze_entries()') IS NOT NULL "
            "AND to_regclass('audit_auditchain') IS NOT NULL"
        )
        return cursor.fetchone()[0]
