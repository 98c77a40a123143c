"""The hash-chained audit trail: every change behind the application's back is found and named."""

import json
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.chain import verify_chains, write_checkpoint
from apps.audit.database import APPEND_ONLY_TABLES
from apps.audit.jobs import recorded_run
from apps.audit.models import AuditChain, JobRun, SearchAudit, SecurityEvent
from apps.audit.retention import audit_remove_expired
from apps.audit.services import search_record, security_event_record
from apps.audit.tasks import VERIFY_JOB, verify_audit_chains
from apps.cameras.tests.factories import CameraFactory
from conftest import as_database_owner

pytestmark = pytest.mark.django_db


def searched(n: int = 1, *, username: str = "officer1") -> list[SearchAudit]:
    user = get_user_model()(username=username, pk=None)
    return [
        search_record(
            user=user,
            kind=SearchAudit.Kind.SEARCH,
            purpose="intelligence",
            reference=f"OP-{i}",
            vrm="AB12CDE",
            filters={"vrm": "ab12 cde"},
            result_count=i,
        )
        for i in range(n)
    ]


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as failure:
        verify_command()
    return str(failure.value)


def as_superuser_with_triggers_off(sql: str, params=()) -> None:
    """What the owner (or a superuser) can do that the application cannot: edit with triggers off."""
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")


def test_every_kind_of_audit_row_is_chained_and_verifies():
    searched(3)
    security_event_record(kind=SecurityEvent.Kind.LOGIN, username="officer1")
    with recorded_run("test-job") as details:
        details["done"] = 1
    CameraFactory()  # a change-log entry (django-auditlog)
    output = verify_command()
    assert "audit_searchaudit: 3 rows, up to place 3" in output
    assert "audit_securityevent: 1 rows" in output
    assert "audit_jobrun: 1 rows" in output
    assert "auditlog_logentry: 0 rows" not in output
    assert "intact" in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_seq FROM audit_searchaudit ORDER BY id")
        assert [seq for (seq,) in cursor.fetchall()] == [1, 2, 3]


def test_the_application_cannot_choose_a_rows_place_hash_or_time():
    searched(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_searchaudit (at, kind, username, purpose, reference, vrm, filters, "
            "result_count, result_count_capped, via, chain_seq, prev_hash, row_hash) VALUES "
            "(now() - interval '3 years', 'search', 'x', 'p', 'r', '', '{}', 0, false, 'api', 99, "
            "repeat('a', 64), repeat('b', 64)) "
            "RETURNING chain_seq, prev_hash <> repeat('a', 64), row_hash <> repeat('b', 64), "
            "at > clock_timestamp() - interval '1 minute'"
        )
        assert cursor.fetchone() == (2, True, True, True)
    assert verify_chains().intact


def test_the_owner_may_replay_the_past():
    backdated_search(400)
    assert SearchAudit.objects.get().at < timezone.now() - timedelta(days=399)
    assert verify_chains().intact


def test_a_row_changed_with_the_triggers_off_is_named():
    rows = searched(4)
    as_superuser_with_triggers_off(
        "UPDATE audit_searchaudit SET reference = 'INNOCENT' WHERE id = %s", [rows[1].pk]
    )
    assert broken() == (
        f"The audit trail is broken: audit_searchaudit: row id {rows[1].pk} (place 2): "
        "its content does not match its hash (changed)"
    )


def test_a_row_removed_from_the_middle_or_the_end_is_found():
    rows = searched(4)
    as_superuser_with_triggers_off("DELETE FROM audit_searchaudit WHERE id = %s", [rows[2].pk])
    assert f"row id {rows[3].pk} (place 4): the chain expected place 3; rows removed" in broken()
    as_superuser_with_triggers_off("DELETE FROM audit_searchaudit WHERE id = %s", [rows[3].pk])
    assert "the chain's head is place 4 but its last row is place 2" in broken()


def test_a_row_slipped_in_behind_the_applications_back_is_found():
    searched(2)
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        # Even with the formula known and used: the head does not know it.
        cursor.execute(
            "INSERT INTO audit_searchaudit (at, kind, username, purpose, reference, vrm, filters, "
            "result_count, result_count_capped, via, chain_seq, prev_hash, row_hash) "
            "SELECT now(), 'search', 'ghost', 'p', 'r', '', '{}', 0, false, 'api', 3, head_hash, "
            "repeat('0', 64) FROM audit_auditchain WHERE name = 'audit_searchaudit' RETURNING id"
        )
        (ghost,) = cursor.fetchone()
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")
    assert f"row id {ghost} (place 3): its content does not match its hash" in broken()


def rewrite_chain_from(first_id: int) -> None:
    """The strongest attack from inside the database: change a row, then recompute every hash
    after it and the head, so the chain is consistent again."""
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        cursor.execute("UPDATE audit_searchaudit SET reference = 'REWRITTEN' WHERE id = %s", [first_id])
        cursor.execute(
            """
            DO $$
            DECLARE r record; prev text;
            BEGIN
                SELECT prev_hash INTO prev FROM audit_searchaudit ORDER BY chain_seq LIMIT 1;
                FOR r IN SELECT id FROM audit_searchaudit ORDER BY chain_seq LOOP
                    UPDATE audit_searchaudit SET prev_hash = prev WHERE id = r.id;
                    SELECT audit_chain_hash(prev, to_jsonb(t)) INTO prev FROM audit_searchaudit t
                    WHERE id = r.id;
                    UPDATE audit_searchaudit SET row_hash = prev WHERE id = r.id;
                END LOOP;
                UPDATE audit_auditchain SET head_hash = prev WHERE name = 'audit_searchaudit';
            END $$;
            """
        )
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")


def test_a_whole_rewritten_chain_still_fails_its_checkpoint(audit_checkpoint_dir):
    rows = searched(3)
    checkpoint = write_checkpoint(verify_chains())
    assert checkpoint.parent == audit_checkpoint_dir
    searched(1)
    rewrite_chain_from(rows[0].pk)
    assert verify_chains(audit_checkpoint_dir / "none").intact  # consistent without checkpoints
    assert (
        f"audit_searchaudit: place 3 no longer matches checkpoint {checkpoint.name} "
        "(the chain was rewritten or cut back since)"
    ) in broken()


def test_checkpoints_are_new_read_only_files_and_an_unreadable_one_fails(audit_checkpoint_dir):
    searched(1)
    first = write_checkpoint(verify_chains())
    assert first.stat().st_mode & 0o777 == 0o444
    recorded = json.loads(first.read_text())
    assert recorded["chains"]["audit_searchaudit"]["seq"] == 1
    assert recorded["intact"] is True
    (audit_checkpoint_dir / "audit-checkpoint-19700101T000000000000Z.json").write_text("{not json")
    assert "checkpoint audit-checkpoint-19700101T000000000000Z.json cannot be read" in broken()


def backdated_search(days: int) -> int:
    """A search row written `days` ago (through the chain, as any insert is): only the owner
    may give a row a time other than now."""
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_searchaudit (at, kind, username, purpose, reference, vrm, filters, "
            "result_count, result_count_capped, via) VALUES "
            "(now() - make_interval(days => %s), 'search', 'old', 'p', 'r', '', '{}', 0, false, 'api') "
            "RETURNING id",
            [days],
        )
        return cursor.fetchone()[0]


def test_retention_removes_the_oldest_rows_and_moves_the_anchor(retention_floor):
    retention_floor("audit", 30)
    old = [backdated_search(40), backdated_search(35)]
    recent = backdated_search(1)
    straggler = backdated_search(50)  # old, but after a row still inside the period: it waits
    assert audit_remove_expired()["audit_searchaudit"] == 2
    assert list(SearchAudit.objects.order_by("id").values_list("id", flat=True)) == [recent, straggler]
    chain = AuditChain.objects.get(name="audit_searchaudit")
    assert (chain.anchor_seq, chain.head_seq) == (2, 4)
    assert old[0] not in SearchAudit.objects.values_list("id", flat=True)
    assert "intact" in verify_command()


def test_removing_rows_before_their_time_fails_the_checkpoint(audit_checkpoint_dir):
    searched(3)
    checkpoint = write_checkpoint(verify_chains())
    searched(1)
    # Deleted, and the anchor moved as retention would: the walk is content; the checkpoint is not.
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        cursor.execute("SELECT row_hash FROM audit_searchaudit WHERE chain_seq = 3")
        (third,) = cursor.fetchone()
        cursor.execute("DELETE FROM audit_searchaudit WHERE chain_seq <= 3")
        cursor.execute(
            "UPDATE audit_auditchain SET anchor_seq = 3, anchor_hash = %s WHERE name = 'audit_searchaudit'",
            [third],
        )
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")
    today = timezone.now().date().isoformat()
    assert (
        f"audit_searchaudit: rows of {today}, recorded by checkpoint {checkpoint.name}, were removed "
        "before their retention period ended"
    ) in broken()


def test_removing_rows_in_their_period_before_a_checkpointed_head_still_present_fails():
    searched(5)
    checkpoint = write_checkpoint(verify_chains())  # its head, place 5, stays
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        cursor.execute("SELECT row_hash FROM audit_searchaudit WHERE chain_seq = 4")
        (fourth,) = cursor.fetchone()
        cursor.execute("DELETE FROM audit_searchaudit WHERE chain_seq <= 4")
        cursor.execute(
            "UPDATE audit_auditchain SET anchor_seq = 4, anchor_hash = %s WHERE name = 'audit_searchaudit'",
            [fourth],
        )
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")
    assert f"recorded by checkpoint {checkpoint.name}, were removed before" in broken()


def test_checkpoints_lost_after_the_trail_was_checkpointed_fail_verification(audit_checkpoint_dir):
    searched(1)
    verify_audit_chains()
    assert "intact" in verify_command()
    for path in audit_checkpoint_dir.iterdir():
        path.chmod(0o600)
        path.unlink()
    assert "no checkpoint on file" in broken()


def test_a_verification_run_appended_by_the_application_is_not_shown_as_one(
    client, make_user, sign_in_client
):
    searched(1)
    with connection.cursor() as cursor:  # as the application's role, which may append a run
        cursor.execute(
            "INSERT INTO audit_jobrun (at, job, started_at, outcome, details, error) VALUES "
            "(now(), 'audit-verify', now(), 'ok', '{\"intact\": true, \"checkpoint\": \"forged.json\"}', '')"
        )
    sign_in_client(make_user("auditor"))
    body = client.get(reverse("audit:searches")).content.decode()
    assert "Audit trail broken" in body and "Audit trail verified intact" not in body


def test_the_daily_job_checkpoints_an_intact_trail_and_fails_on_a_broken_one(audit_checkpoint_dir):
    rows = searched(2)
    verify_audit_chains()
    run = JobRun.objects.get(job=VERIFY_JOB)
    assert run.outcome == JobRun.Outcome.OK
    assert run.details["intact"] is True
    assert run.details["chains"]["audit_searchaudit"]["seq"] == 2
    assert (audit_checkpoint_dir / run.details["checkpoint"]).exists()

    as_superuser_with_triggers_off("UPDATE audit_searchaudit SET username = 'x' WHERE id = %s", [rows[0].pk])
    with pytest.raises(Exception, match=f"row id {rows[0].pk}"):
        verify_audit_chains()
    failed = JobRun.objects.filter(job=VERIFY_JOB).first()
    assert failed.outcome == JobRun.Outcome.FAILED
    assert failed.details["intact"] is False
    assert f"row id {rows[0].pk}" in failed.error
    assert len(list(audit_checkpoint_dir.iterdir())) == 1  # a broken trail is never checkpointed


def test_auditors_see_when_the_trail_was_last_verified(client, make_user, sign_in_client):
    sign_in_client(make_user("auditor"))
    assert "never been verified" in client.get(reverse("audit:searches")).content.decode()
    verify_audit_chains()
    for page in ("audit:searches", "audit:security_events", "audit:jobs", "audit:jobs"):
        body = client.get(reverse(page)).content.decode()
        assert "Audit trail verified intact" in body


def test_the_chain_head_is_the_owners_alone():
    for statement in (
        "UPDATE audit_auditchain SET head_seq = 0",
        "DELETE FROM audit_auditchain",
        "INSERT INTO audit_auditchain VALUES ('audit_searchaudit', 0, '', 0, '')",
    ):
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_every_append_only_table_is_chained():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'audit_chain_link'"
        )
        assert {name for (name,) in cursor.fetchall()} == set(APPEND_ONLY_TABLES)


@pytest.mark.django_db(transaction=True)
def test_rows_appended_at_once_from_many_connections_form_one_unbroken_chain():
    errors = []

    def append():
        try:
            searched(25)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_seq FROM audit_searchaudit ORDER BY chain_seq")
        assert [seq for (seq,) in cursor.fetchall()] == list(range(1, 201))
    assert verify_chains().intact
    assert timezone.now() - SearchAudit.objects.first().at < timedelta(minutes=5)


def test_a_row_written_from_a_session_in_another_time_zone_verifies():
    with connection.cursor() as cursor:
        cursor.execute("SET TimeZone = 'America/New_York'")
        try:
            searched(2)
            assert verify_chains().intact
        finally:
            cursor.execute("SET TimeZone = 'UTC'")


def test_an_append_skipped_after_it_was_chained_is_refused_and_ids_are_the_databases():
    searched(1)
    statement = (
        "INSERT INTO audit_searchaudit (id, at, kind, username, purpose, reference, vrm, filters, "
        "result_count, result_count_capped, via) VALUES (%s, now(), 'search', 'x', 'intelligence', "
        "'OP-1', '', '{}', 0, false, 'api') ON CONFLICT (id) DO NOTHING RETURNING id"
    )
    taken = SearchAudit.objects.get().pk
    with connection.cursor() as cursor:
        cursor.execute(statement, [10**9])  # an id of its choosing: the database's instead
        (given,) = cursor.fetchone()
    assert given != 10**9 and SearchAudit.objects.filter(pk=given).exists()
    # As the owner, who may choose an id: a row chained by its trigger, then skipped.
    with (
        as_database_owner(),
        pytest.raises(DatabaseError, match="left a gap in its chain"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [taken])
    searched(1)
    assert verify_chains().intact


def test_a_null_inside_a_json_column_is_part_of_the_hash():
    [row] = searched(1)
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_searchaudit SET filters = filters || '{\"seen_after\": null}' WHERE id = %s",
            [row.pk],
        )
        cursor.execute("ALTER TABLE audit_searchaudit ENABLE TRIGGER USER")
    assert "changed" in verify_chains().problem
