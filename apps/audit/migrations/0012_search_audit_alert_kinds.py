"""Alerts are read data: opening one and listing them are audited like searches, and the live
stream's catch-up is recorded as `via` stream. Choices and help text only: no column changes, so
the hash chain of audit_searchaudit is untouched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_search_audit_purpose_detail"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchaudit",
            name="kind",
            field=models.CharField(
                choices=[
                    ("search", "Search"),
                    ("export", "Export"),
                    ("history", "Vehicle history"),
                    ("page", "Further page of a search"),
                    ("view", "Read opened"),
                    ("image", "Evidence image opened"),
                    ("alert", "Alert opened"),
                    ("alerts", "Alerts listed"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="searchaudit",
            name="via",
            field=models.CharField(default="portal", help_text="portal, api or stream", max_length=10),
        ),
    ]
