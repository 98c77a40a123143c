from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("access_requests", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER accessrequestevent_append_only BEFORE UPDATE OR DELETE "
            "ON access_requests_accessrequestevent FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
            "DROP TRIGGER IF EXISTS accessrequestevent_append_only ON access_requests_accessrequestevent;",
        ),
    ]
