"""Audit retention as an owner-defined function, so the application's own database role needs no
DELETE on the audit trail at all.

`audit_retention_floor` holds the shortest periods retention may keep (written by migrate from
AUDIT_RETENTION_DAYS and READ_RETENTION_DAYS: apps/audit/database.py); the application may read
it, never change it. `audit_remove_expired()` runs as the owner (SECURITY DEFINER): it deletes
rows of the append-only tables older than the audit floor, and nothing newer, whoever calls it.
"""

from django.db import migrations

FLOOR = """
CREATE TABLE audit_retention_floor (
    name text PRIMARY KEY,
    days integer NOT NULL CHECK (days > 0)
);
"""

REMOVE_EXPIRED = """
CREATE FUNCTION audit_remove_expired() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM audit_retention_floor WHERE name = 'audit');
    cut_off timestamptz;
    removed jsonb := '{}';
    n bigint;
BEGIN
    IF floor_days IS NULL THEN
        RAISE EXCEPTION 'no audit retention period set (run migrate)';
    END IF;
    cut_off := now() - make_interval(days => floor_days);
    -- The append-only triggers let this transaction, and only it, delete rows before the cut-off.
    PERFORM set_config('anpr.audit_retention_before', cut_off::text, true);
    DELETE FROM audit_searchaudit WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('search_audit', n);
    DELETE FROM audit_securityevent WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('security_events', n);
    DELETE FROM audit_jobrun WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('job_runs', n);
    DELETE FROM access_requests_accessrequestevent WHERE at < cut_off;
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed || jsonb_build_object('access_request_events', n);
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
    ]

    operations = [
        migrations.RunSQL(FLOOR, "DROP TABLE audit_retention_floor;"),
        migrations.RunSQL(REMOVE_EXPIRED, "DROP FUNCTION audit_remove_expired();"),
    ]
