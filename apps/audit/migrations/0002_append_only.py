"""PostgreSQL refuses UPDATE and DELETE on the audit trail, whoever asks.

The function is shared by every audit table; each table gets its own trigger.
"""

from django.db import migrations

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunSQL(REFUSE_CHANGE, "DROP FUNCTION IF EXISTS audit_refuse_change();"),
        migrations.RunSQL(
            "CREATE TRIGGER securityevent_append_only BEFORE UPDATE OR DELETE ON audit_securityevent "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
            "DROP TRIGGER IF EXISTS securityevent_append_only ON audit_securityevent;",
        ),
    ]
