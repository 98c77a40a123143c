# An account whose password an administrator chose must have its holder choose their own at
# the first sign-in. Accounts already made keep working as they are.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_hashed"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="password_change_required",
            field=models.BooleanField(
                default=False,
                help_text="Its password was chosen by someone else (an administrator): its holder must "
                "choose their own before using anything else.",
            ),
        ),
    ]
