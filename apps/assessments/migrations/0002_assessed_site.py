"""An assessment records the site it assesses; a review that moves or decommissions a camera ends its
approval ("ended").

Existing approved and submitted assessments take their camera's present position: an approved one is
what the camera is live under now, and a submitted one was written for where the camera stands. Older
records (drafts, rejected, superseded) keep no site, since where their camera stood then is not known.
An approval that a review has already moved or decommissioned away is ended, as it would be now.
"""

from django.db import migrations, models

SITED = ("approved", "submitted")


def record_sites(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    for assessment in Assessment.objects.filter(status__in=SITED).select_related("camera"):
        assessment.latitude, assessment.longitude = assessment.camera.latitude, assessment.camera.longitude
        assessment.save(update_fields=["latitude", "longitude"])
    Assessment.objects.filter(status="approved", reviews__outcome__in=("move", "decommission")).update(
        status="ended"
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_assessments")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="latitude",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="assessment",
            name="longitude",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("superseded", "Superseded"),
                    ("ended", "Ended by review"),
                ],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.RunPython(record_sites, migrations.RunPython.noop),
    ]
