# One job per video per uploader: another user's copy of the same video is a job of their own,
# not a way into the first uploader's job.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cameras", "0001_initial"),
        ("recognition", "0002_video_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="videojob", name="one_job_per_video"),
        migrations.AddConstraint(
            model_name="videojob",
            constraint=models.UniqueConstraint(
                fields=("sha256", "camera", "recorded_at", "uploaded_by"),
                name="one_job_per_video_per_uploader",
            ),
        ),
    ]
