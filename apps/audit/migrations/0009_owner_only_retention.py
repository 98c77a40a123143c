"""The database's own guard on the audit trail, so the application's role needs no DELETE on it
at all, and no one deletes a row inside its period by mistake.

`audit_retention_floor` holds the shortest periods retention may keep (written by migrate from
AUDIT_RETENTION_DAYS and READ_RETENTION_DAYS, and only ever raised: apps/audit/database.py); the
application may read it, never change it. `audit_remove_expired()` runs as the owner (SECURITY
DEFINER): it deletes rows of the append-only tables older than the audit floor, and nothing
newer, whoever calls it. The append-only trigger lets a row go only when it is older than that
floor itself, whatever cut-off a session declares, and now also guards the change log
(django-auditlog) and the admin site's log. The owner's functions resolve names only in
pg_catalog and name their tables in full, so nothing another role creates can stand in for them.
"""

from django.db import migrations

FLOOR = """
CREATE TABLE audit_retention_floor (
    name text PRIMARY KEY,
    days integer NOT NULL CHECK (days > 0)
);
"""

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cut_off text := current_setting('anpr.audit_retention_before', true);
    floor_days integer;
    written timestamptz;
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(cut_off, '') <> '' THEN
        floor_days := (SELECT days FROM public.audit_retention_floor WHERE name = 'audit');
        written := coalesce(
            to_jsonb(OLD) ->> 'at', to_jsonb(OLD) ->> 'timestamp', to_jsonb(OLD) ->> 'action_time'
        )::timestamptz;
        IF floor_days IS NOT NULL
           AND written < least(cut_off::timestamptz, now() - make_interval(days => floor_days)) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

GUARD_LOGS = """
CREATE TRIGGER logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER adminlog_append_only BEFORE UPDATE OR DELETE ON django_admin_log
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""
UNGUARD_LOGS = """
DROP TRIGGER IF EXISTS logentry_append_only ON auditlog_logentry;
DROP TRIGGER IF EXISTS adminlog_append_only ON django_admin_log;
"""

REMOVE_EXPIRED = """
CREATE FUNCTION audit_remove_expired() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM public.audit_retention_floor WHERE name = 'audit');
    cut_off timestamptz;
    removed jsonb := '{}';
    n bigint;
BEGIN
    IF floor_days IS NULL THEN
        RAISE EXCEPTION 'no audit retention period set (run migrate)';
    END IF;
    cut_off := now() - make_interval(days => floor_days);
    PERFORM set_config('anpr.audit_retention_before', cut_off::text, true);
    DELETE FROM public.audit_searchaudit WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('search_audit', n);
    DELETE FROM public.audit_securityevent WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('security_events', n);
    DELETE FROM public.audit_jobrun WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('job_runs', n);
    DELETE FROM public.access_requests_accessrequestevent WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('access_request_events', n);
    DELETE FROM public.auditlog_logentry WHERE "timestamp" < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('change_log', n);
    DELETE FROM public.django_admin_log WHERE action_time < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('admin_log', n);
    PERFORM set_config('anpr.audit_retention_before', '', true);
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION audit_remove_expired() FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_search_allowances_and_image_views"),
        ("access_requests", "0002_events_append_only"),
        ("auditlog", "0017_add_actor_email"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.RunSQL(FLOOR, "DROP TABLE audit_retention_floor;"),
        migrations.RunSQL(REFUSE_CHANGE, migrations.RunSQL.noop),
        migrations.RunSQL(GUARD_LOGS, UNGUARD_LOGS),
        migrations.RunSQL(REMOVE_EXPIRED, "DROP FUNCTION audit_remove_expired();"),
    ]
