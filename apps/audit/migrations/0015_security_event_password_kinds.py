# Password changes and requests for a reset link are security events of their own.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0014_security_event_admin_bootstrap"),
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
                    ("password_changed", "Password changed"),
                    ("password_reset", "Password reset link asked for"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
