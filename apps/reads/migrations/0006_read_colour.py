"""The vehicle's colour on each read (apps/core/colours.py), null when unknown.

Added to the partitioned parent, which PostgreSQL carries to every day partition; nullable and
without a default, so no partition is rewritten and the lock is held only for a moment. On a
Citus coordinator (0005) the distributed table takes the same statement to every shard. No
CHECK constraint: validating one would read every stored read; ingest accepts only the
colours of the list (the ingest serializer, and the recogniser's estimate).
"""

from django.db import migrations, models

ADD = "ALTER TABLE reads_read ADD COLUMN colour varchar(10) NULL;"
DROP = "ALTER TABLE reads_read DROP COLUMN colour;"


class Migration(migrations.Migration):
    dependencies = [("reads", "0005_citus_distribution")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP)],
            state_operations=[
                migrations.AddField(
                    model_name="read",
                    name="colour",
                    field=models.CharField(
                        blank=True,
                        choices=[
                            ("white", "White"),
                            ("silver", "Silver or grey"),
                            ("black", "Black"),
                            ("red", "Red"),
                            ("blue", "Blue"),
                            ("green", "Green"),
                            ("yellow", "Yellow"),
                            ("orange", "Orange"),
                            ("brown", "Brown or beige"),
                        ],
                        help_text="The vehicle's colour, estimated or sent by the camera; null when unknown. "
                        "It describes the vehicle; hotlists never match on it.",
                        max_length=10,
                        null=True,
                    ),
                ),
            ],
        ),
    ]
