# A refused search (outside the access window, or under an unusable access request) is recorded.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0012_search_audit_alert_kinds"),
    ]

    operations = [
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
                    ("search_refused", "Refused: search outside the access window or request"),
                    ("api_token", "API token issued, revoked or expired"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
