"""The audit trail stays append-only, but its own retention may delete rows past their period.

Retention declares, for its transaction alone, the moment before which rows may go
(SET LOCAL anpr.audit_retention_before); nothing else can delete or change a row.
"""

from django.db import migrations

ALLOW_RETENTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
DECLARE
    cut_off text := current_setting('anpr.audit_retention_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(cut_off, '') <> '' AND OLD.at < cut_off::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
REFUSE_ALL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_job_runs")]

    operations = [
        migrations.RunSQL(ALLOW_RETENTION, REFUSE_ALL),
        migrations.RunSQL(
            "CREATE TRIGGER jobrun_append_only BEFORE UPDATE OR DELETE ON audit_jobrun "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
            "DROP TRIGGER IF EXISTS jobrun_append_only ON audit_jobrun;",
        ),
    ]
