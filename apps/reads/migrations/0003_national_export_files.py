from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reads", "0002_owner_defined_partitions")]

    operations = [
        migrations.CreateModel(
            name="NationalExportFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("supplement", models.PositiveIntegerField()),
                (
                    "name",
                    models.CharField(
                        help_text="The data file's name; its manifest beside it.", max_length=100
                    ),
                ),
                ("received_from", models.DateTimeField(help_text="None: from the first read.", null=True)),
                ("received_before", models.DateTimeField()),
                ("rows", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                ("removed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["day", "supplement"],
                "constraints": [
                    models.UniqueConstraint(fields=("day", "supplement"), name="national_export_file_once")
                ],
            },
        ),
    ]
