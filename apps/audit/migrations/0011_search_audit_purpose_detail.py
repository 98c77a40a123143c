"""What a search's purpose `other` stood for. Nullable: the table is hash-chained, and a row's hash
leaves NULLs out, so rows written before keep their hashes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_hash_chain")]

    operations = [
        migrations.AddField(
            model_name="searchaudit",
            name="purpose_detail",
            field=models.TextField(blank=True, help_text="What 'other' stood for.", null=True),
        ),
        migrations.AlterField(
            model_name="searchaudit",
            name="purpose",
            field=models.TextField(help_text="A code of SEARCH_PURPOSES (free text in rows written before)."),
        ),
    ]
