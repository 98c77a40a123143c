from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_search_audit")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER searchaudit_append_only BEFORE UPDATE OR DELETE ON audit_searchaudit "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
            "DROP TRIGGER IF EXISTS searchaudit_append_only ON audit_searchaudit;",
        ),
    ]
