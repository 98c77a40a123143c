"""The read store on a Citus coordinator (docs/scale-out.md): run with the database on one,

    CITUS_DATABASE_URL=postgres://postgres@127.0.0.1:9700/anpr_citus make test-citus

and skipped on plain PostgreSQL, where migration reads.0005 leaves the schema as it was.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest

pytestmark = [pytest.mark.django_db, pytest.mark.citus]


@pytest.fixture(autouse=True)
def on_citus(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if cursor.fetchone() is None:
            pytest.skip("not a Citus coordinator (run with CITUS_DATABASE_URL: make test-citus)")


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_reads_are_distributed_by_plate_and_the_rest_is_local():
    table = "SELECT distribution_column, citus_table_type FROM citus_tables WHERE table_name = %s::regclass"
    assert _one(table, ["reads_read"]) == ("vrm", "distributed")
    others = (
        "SELECT count(*) FROM citus_tables WHERE table_name <> 'reads_read'::regclass AND table_name NOT IN "
        "(SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'reads_read'::regclass)"
    )
    assert _one(others) == (0,)  # the day partitions go with their table; nothing else is distributed


def test_unique_keys_hold_the_plate():
    keys = dict(
        connection.cursor()
        .execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'reads_read'::regclass AND contype IN ('p', 'u')"
        )
        .fetchall()
    )
    assert keys == {
        "reads_read_pkey": "PRIMARY KEY (vrm, id, seen_at)",
        "reads_read_once_per_client_id": "UNIQUE (read_uuid, vrm, seen_at)",
        "reads_read_once_per_camera_moment": "UNIQUE (camera_id, seen_at, vrm)",
    }


def _ingest(camera, vrm, seen_at, read_id=None, colour=None):
    item = ReadInput(
        camera=camera.code, seen_at=seen_at, vrm=vrm, confidence=0.9, read_id=read_id, colour=colour
    )
    return reads_ingest(items=[item], source="upload")


def test_ingest_skips_a_read_sent_twice():
    camera = CameraFactory()
    seen_at = timezone.now() - timedelta(minutes=5)
    assert _ingest(camera, "AB12CDE", seen_at).stored == 1
    assert _ingest(camera, "AB12CDE", seen_at).stored == 0
    assert Read.objects.filter(vrm="AB12CDE").count() == 1


def test_the_colour_added_after_distribution_reaches_the_shards():
    # Migration reads.0006 adds the column to a table 0005 has already distributed.
    seen_at = timezone.now() - timedelta(minutes=5)
    assert _ingest(CameraFactory(), "CO12LOR", seen_at, colour="green").stored == 1
    assert list(Read.objects.filter(colour="green").values_list("vrm", flat=True)) == ["CO12LOR"]


def test_an_exact_plate_is_one_shard():
    plan = "\n".join(
        row[0]
        for row in connection.cursor()
        .execute("EXPLAIN SELECT * FROM reads_read WHERE vrm = 'AB12CDE' ORDER BY seen_at DESC LIMIT 50")
        .fetchall()
    )
    assert "Task Count: 1" in plan
    pattern = "\n".join(
        row[0]
        for row in connection.cursor()
        .execute("EXPLAIN SELECT * FROM reads_read WHERE vrm LIKE 'AB1%' ORDER BY seen_at DESC LIMIT 50")
        .fetchall()
    )
    assert "Task Count: 1\n" not in pattern  # a pattern reaches every shard
