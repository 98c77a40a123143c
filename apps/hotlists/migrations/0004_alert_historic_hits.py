"""Historic hits: an alert whose read arrived already older than ALERT_LIVE_MAX_AGE_MINUTES rings
no live desk. Existing alerts stay false, as they were all sent to the desk under the old rule;
a constant default adds the column without rewriting the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotlists", "0003_owner_defined_analyze"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="historic",
            field=models.BooleanField(
                default=False,
                help_text="Its read arrived over ALERT_LIVE_MAX_AGE_MINUTES old: not sent live; owners only.",
            ),
        ),
    ]
