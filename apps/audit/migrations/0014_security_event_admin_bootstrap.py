# The first administrator, made on the server by `manage.py bootstrap_admin`, is recorded apart
# from accounts made in the portal.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0013_security_event_search_refused"),
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
                    ("admin_bootstrap", "First administrator created on the server"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
