"""On a Citus coordinator, reads are distributed by plate (docs/scale-out.md, Distribution); on
plain PostgreSQL, where the citus extension is not installed, this migration does nothing.

Citus needs every unique key of a distributed table to hold the distribution column, so there
the primary key becomes (vrm, id, seen_at) and the client read id's key (read_uuid, vrm,
seen_at): a camera that sends the same read id twice with a different plate has both stored on
Citus, where plain PostgreSQL refuses the second. The key (camera_id, seen_at, vrm) already holds
the plate.

Cameras stay a local table on the coordinator, not a reference table: their status history is
written by an owner-defined trigger into another local table, and Citus will not run such a
trigger on a reference table's copies. A distributed table may only reference a reference or
distributed table, so on Citus the reads lose their foreign key to cameras; ingest only takes
reads from a camera bound to the sending account, so it cannot name a camera that does not exist,
but a camera with reads can then be deleted (PROTECT is kept by the model, not the database).
Everything else stays local on the coordinator.
"""

from django.db import migrations

CITUS = "SELECT 1 FROM pg_extension WHERE extname = 'citus'"

DISTRIBUTE = [
    "ALTER TABLE reads_read DROP CONSTRAINT reads_read_pkey",
    "ALTER TABLE reads_read ADD PRIMARY KEY (vrm, id, seen_at)",
    "ALTER TABLE reads_read DROP CONSTRAINT reads_read_once_per_client_id",
    "ALTER TABLE reads_read ADD CONSTRAINT reads_read_once_per_client_id UNIQUE (read_uuid, vrm, seen_at)",
    "ALTER TABLE reads_read DROP CONSTRAINT reads_read_camera_id_fkey",
    # Shards: citus.shard_count (32 unless the server sets it).
    "SELECT create_distributed_table('reads_read', 'vrm')",
]

UNDISTRIBUTE = [
    "SELECT undistribute_table('reads_read')",
    "ALTER TABLE reads_read ADD CONSTRAINT reads_read_camera_id_fkey FOREIGN KEY (camera_id) "
    "REFERENCES cameras_camera (id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE reads_read DROP CONSTRAINT reads_read_once_per_client_id",
    "ALTER TABLE reads_read ADD CONSTRAINT reads_read_once_per_client_id UNIQUE (read_uuid, seen_at)",
    "ALTER TABLE reads_read DROP CONSTRAINT reads_read_pkey",
    "ALTER TABLE reads_read ADD PRIMARY KEY (id, seen_at)",
]


def _on_citus(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CITUS)
        if cursor.fetchone() is None:
            return
        for statement in statements:
            cursor.execute(statement)


def distribute(apps, schema_editor):
    _on_citus(schema_editor, DISTRIBUTE)


def undistribute(apps, schema_editor):
    _on_citus(schema_editor, UNDISTRIBUTE)


class Migration(migrations.Migration):
    dependencies = [("reads", "0004_one_camera_index"), ("cameras", "0003_camera_status_history")]

    operations = [migrations.RunPython(distribute, undistribute)]
