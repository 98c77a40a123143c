"""Finding 14: the application connected as the owner of the audit tables (in compose, as the
PostgreSQL superuser): row triggers do not cover TRUNCATE, and an owner can drop or disable them.

The application now connects as a role of its own that owns nothing: of the audit trail it may
read and append, nothing more, and what it must do beyond that goes through functions the owner
defined (apps/audit/database.py). The whole suite runs as that role; these tests try each door.
"""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.audit.database import APPEND_ONLY_TABLES, grant_application_role
from apps.audit.models import SearchAudit
from apps.audit.retention import audit_remove_expired
from conftest import as_database_owner

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def refused(statement: str, params=()) -> str:
    """The database's refusal of `statement`, made as the application's role."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(refusal.value)


def test_the_application_connects_as_its_own_role_which_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_application_may_not_change_or_empty_the_audit_trail(table):
    assert "permission denied" in refused(f"UPDATE {table} SET id = id")  # noqa: S608
    assert "permission denied" in refused(f"DELETE FROM {table}")  # noqa: S608
    assert "permission denied" in refused(f"TRUNCATE {table}")
    assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "must be owner" in refused(f"DROP TABLE {table}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE '%%append_only'",
            [table],
        )
        (trigger,) = cursor.fetchone()
    assert "must be owner" in refused(f"DROP TRIGGER {trigger} ON {table}")
    assert "permission denied" in refused(
        f"CREATE TRIGGER sneak BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
    )


def test_declaring_a_retention_cut_off_opens_no_door():
    SearchAudit.objects.create(kind="search", username="x", purpose="p", reference="r", result_count=0)
    later = (timezone.now().replace(year=timezone.now().year + 1)).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('anpr.audit_retention_before', %s, false)", [later])
    try:
        assert "permission denied" in refused("DELETE FROM audit_searchaudit")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('anpr.audit_retention_before', '', false)")
    assert "permission denied" in refused("UPDATE audit_retention_floor SET days = 1")
    assert "must be owner" in refused("DROP FUNCTION audit_remove_expired()")
    # The owner's function keeps what is in its period.
    assert audit_remove_expired()["audit_searchaudit"] == 0
    assert SearchAudit.objects.count() == 1


def test_the_application_makes_no_tables_of_its_own():
    assert "permission denied" in refused(
        "CREATE TABLE reads_read_p19990101 PARTITION OF reads_read "
        "FOR VALUES FROM ('1999-01-01') TO ('1999-01-02')"
    )
    assert "permission denied" in refused("CREATE TABLE shadow (id int)")


def test_every_append_only_table_is_guarded_and_every_guarded_table_listed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE '%%append_only' AND NOT t.tgisinternal"
        )
        guarded = {name for (name,) in cursor.fetchall()}
    assert guarded == set(APPEND_ONLY_TABLES)


@pytest.mark.parametrize("table", ["django_migrations", "audit_retention_floor"])
def test_the_application_cannot_write_what_decides_its_own_limits(table):
    assert "permission denied" in refused(f"DELETE FROM {table}")  # noqa: S608


def test_no_audit_id_can_be_forced_to_collide():
    assert "permission denied" in refused("SELECT setval('audit_searchaudit_id_seq', 1)")


@pytest.mark.parametrize(
    "day",
    [
        "make_date(-2026, 1, 1)",  # a date BC prints the same digits as its AD twin
        "'infinity'::date",
        "current_date + 400",
        "current_date - 5000",
    ],
)
def test_the_partition_functions_take_only_days_of_plausible_reads(day):
    assert "no reads are held" in refused(f"SELECT reads_create_day_partition({day})")
    if "make_date" in day or "infinity" in day:
        message = refused(f"SELECT reads_drop_day_partition({day})")
        assert "no reads are held" in message or "inside the retention period" in message


def test_a_bc_twin_cannot_drop_todays_reads():
    from apps.cameras.tests.factories import CameraFactory
    from apps.reads.models import Read
    from apps.reads.services import ReadInput, reads_ingest

    camera = CameraFactory()
    now = timezone.now()
    reads_ingest(
        items=[ReadInput(camera=camera.code, vrm="BC12TWN", seen_at=now, confidence=0.9)], source="upload"
    )
    today = now.astimezone(__import__("datetime").UTC).date()
    assert "no reads are held" in refused(
        "SELECT reads_drop_day_partition(make_date(%s, %s, %s))", [-today.year, today.month, today.day]
    )
    assert Read.objects.count() == 1


def test_nothing_but_the_owner_makes_objects_in_the_schema():
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_schema_privilege('public', 'public', 'CREATE')")
        assert cursor.fetchone()[0] is False


def test_the_chain_trigger_cannot_be_borrowed_or_dropped():
    # A temporary table of the application's own, posing as an audit table, gets no chain link.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE audit_searchaudit (id int) ON COMMIT DROP")
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute(
                "CREATE TRIGGER borrowed BEFORE INSERT ON pg_temp.audit_searchaudit "
                "FOR EACH ROW EXECUTE FUNCTION audit_chain_link()"
            )
        cursor.execute("DROP TABLE pg_temp.audit_searchaudit")
    assert "must be owner" in refused("DROP TRIGGER audit_chain_link ON public.audit_searchaudit")
    assert "must be owner" in refused("ALTER TABLE public.audit_searchaudit DISABLE TRIGGER audit_chain_link")
    assert "permission denied" in refused("UPDATE audit_auditchain SET head_seq = 0")


def test_the_application_keeps_its_temporary_tables_where_everyone_else_lost_them():
    # Ingest stages each batch in a temporary table; hardening guides revoke TEMPORARY from PUBLIC.
    check = "SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')"
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('REVOKE TEMPORARY ON DATABASE %%I FROM PUBLIC, %%I', current_database(), %s)",
            [settings.DATABASE_APP_ROLE],
        )
        cursor.execute(cursor.fetchone()[0])
        cursor.execute(check, [settings.DATABASE_APP_ROLE])
        assert cursor.fetchone()[0] is False
        grant_application_role(plan=[])
        cursor.execute(check, [settings.DATABASE_APP_ROLE])
        assert cursor.fetchone()[0] is True
