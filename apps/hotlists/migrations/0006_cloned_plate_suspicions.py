"""Cloned-plate suspicions: a hit whose plate was read shortly before too far away for the time,
for the list's owners to review (apps/hotlists/cloned_plates.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cameras", "0003_camera_status_history"),
        ("hotlists", "0005_entry_foreign_plates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClonedPlateSuspicion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("earlier_read_id", models.BigIntegerField()),
                ("earlier_read_seen_at", models.DateTimeField(db_index=True)),
                ("distance_km", models.FloatField(help_text="Straight-line distance between the two reads.")),
                ("elapsed_s", models.FloatField(help_text="Seconds from the earlier read to the alert's.")),
                (
                    "speed_kmh",
                    models.FloatField(help_text="The speed needed; none when no time passed.", null=True),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cloned", "Cloned plate: two vehicles carry it"),
                            ("misread", "One of the reads is a misread"),
                            ("clock_or_place", "A camera's clock or position is wrong"),
                            ("not_cloned", "Not a clone (say why in the notes)"),
                        ],
                        max_length=16,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "alert",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cloned_plate",
                        to="hotlists.alert",
                    ),
                ),
                (
                    "earlier_camera",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="cameras.camera"
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
    ]
