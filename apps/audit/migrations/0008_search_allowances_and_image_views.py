"""Search allowances (an index on who searched when), images and further pages audited as
views, the plate kept normalised, refusals recorded."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_api_token_events"),
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
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="searchaudit",
            name="vrm",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="The plate or pattern asked for, normalised (as typed: in filters).",
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "Signed in"),
                    ("login_failed", "Failed sign-in"),
                    ("lockout", "Locked out"),
                    ("logout", "Signed out"),
                    ("account_change", "Account changed"),
                    ("throttled", "Refused: too many searches"),
                    ("api_token", "API token issued, revoked or expired"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="searchaudit",
            index=models.Index(fields=["user_id", "at"], name="searchaudit_user_recent"),
        ),
    ]
