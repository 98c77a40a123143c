"""An entry's plate must be a British registration unless marked as a foreign or diplomatic plate.
Existing entries are unmarked (false); a constant default adds the column without rewriting the
table. The plate field is labelled "plate" wherever people read it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotlists", "0004_alert_historic_hits"),
    ]

    operations = [
        migrations.AddField(
            model_name="hotlistentry",
            name="foreign",
            field=models.BooleanField(
                default=False,
                help_text="Not a British registration: any 2 to 10 letters and digits.",
                verbose_name="foreign or diplomatic plate",
            ),
        ),
        migrations.AlterField(
            model_name="hotlistentry",
            name="vrm",
            field=models.CharField(db_index=True, max_length=16, verbose_name="plate"),
        ),
    ]
