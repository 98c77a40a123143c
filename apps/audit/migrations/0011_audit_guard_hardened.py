"""The audit trail's guard, hardened after review.

- The owner's functions resolve names only in pg_catalog and name their tables in full, so
  nothing the application's role might create can stand in for them.
- A day partition is created only for a day of plausible reads (from the retention floor to a
  month ahead) and dropped only for a day from 2000 on that is past the floor: a date BC prints
  the same digits as its AD twin.
- The append-only trigger lets a row go only when it is older than the audit floor itself, not
  merely older than a cut-off a session declared; it now also guards the change log
  (django-auditlog) and the admin site's log.
- Audit retention removes those two logs' old rows too.
"""

from django.db import migrations

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
CREATE OR REPLACE FUNCTION audit_remove_expired() RETURNS jsonb
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
"""

CREATE_PARTITION = """
CREATE OR REPLACE FUNCTION reads_create_day_partition(day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM public.audit_retention_floor WHERE name = 'reads');
    today date := (now() AT TIME ZONE 'UTC')::date;
    start timestamptz := (day::timestamp AT TIME ZONE 'UTC');
BEGIN
    IF floor_days IS NULL OR day < today - floor_days - 1 OR day > today + 31 THEN
        RAISE EXCEPTION 'no reads are held for %: no partition made', day
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS public.%I PARTITION OF public.reads_read FOR VALUES FROM (%L) TO (%L)',
        'reads_read_p' || to_char(day, 'YYYYMMDD'), start, start + interval '1 day'
    );
END;
$$;
"""

DROP_PARTITION = """
CREATE OR REPLACE FUNCTION reads_drop_day_partition(day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM public.audit_retention_floor WHERE name = 'reads');
BEGIN
    IF floor_days IS NULL THEN
        RAISE EXCEPTION 'no read retention period set (run migrate)';
    END IF;
    IF day < DATE '2000-01-01' THEN
        RAISE EXCEPTION 'no reads are held for %: nothing dropped', day
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The day's last moment must be past the period, as retention itself decides.
    IF (day::timestamp AT TIME ZONE 'UTC') + interval '1 day' > now() - make_interval(days => floor_days) THEN
        RAISE EXCEPTION 'reads of % are inside the retention period (% days): not dropped', day, floor_days
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS public.%I', 'reads_read_p' || to_char(day, 'YYYYMMDD'));
END;
$$;
"""

ANALYZE = """
CREATE OR REPLACE FUNCTION hotlists_analyze_entries() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE public.hotlists_hotlistentry;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0010_further_pages_audited"),
        ("reads", "0002_owner_defined_partitions"),
        ("hotlists", "0003_owner_defined_analyze"),
        ("auditlog", "0017_add_actor_email"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.RunSQL(REFUSE_CHANGE, migrations.RunSQL.noop),
        migrations.RunSQL(GUARD_LOGS, UNGUARD_LOGS),
        migrations.RunSQL(REMOVE_EXPIRED, migrations.RunSQL.noop),
        migrations.RunSQL(CREATE_PARTITION, migrations.RunSQL.noop),
        migrations.RunSQL(DROP_PARTITION, migrations.RunSQL.noop),
        migrations.RunSQL(ANALYZE, migrations.RunSQL.noop),
    ]
