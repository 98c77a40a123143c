"""The hash chain: every row of every append-only audit table carries its place in its table's
chain (`chain_seq`), the hash of the row before it (`prev_hash`) and a hash of its own content
and that link (`row_hash`), so a row changed, removed or slipped in behind the application's
back, even by a superuser with the triggers off, no longer matches (apps/audit/chain.py checks).

The owner's trigger `audit_chain_link()` writes the three as each row is appended, under a lock
on the table's head in `audit_auditchain` (held until the inserting transaction ends). Rows
already written are chained here in the order they were written. Audit retention now removes
only a run of the oldest rows of each chain, and moves the chain's anchor to the last row it
removed, so what is left verifies from there.
"""

from django.db import migrations, models

from apps.audit.chain_sql import chain_table

# (table, the column saying when a row was written): the append-only tables as they stand;
# tables added later chain themselves (apps/audit/chain_sql.py).
CHAINED = (
    ("audit_searchaudit", "at"),
    ("audit_securityevent", "at"),
    ("audit_jobrun", "at"),
    ("access_requests_accessrequestevent", "at"),
    ("auditlog_logentry", "timestamp"),
    ("django_admin_log", "action_time"),
)

# The one formula; apps/audit/chain.py walks the same content. Columns that are NULL are left
# out (only those: a null inside a JSON column counts), so a column added later (it must be
# nullable) leaves the hashes of older rows as they were.
HASH = """
CREATE FUNCTION audit_chain_content(content jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(jsonb_object_agg(key, value), '{}') FROM jsonb_each(content)
    WHERE value <> 'null'::jsonb AND key NOT IN ('prev_hash', 'row_hash')
$$;
CREATE FUNCTION audit_chain_hash(prev text, content jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT encode(sha256(convert_to(prev || public.audit_chain_content(content)::text, 'UTF8')), 'hex')
$$;
"""

# After each statement appending to a chained table, its head must be its last row: an insert
# the trigger chained and then skipped (ON CONFLICT DO NOTHING) would otherwise leave a gap that
# no checkpoint could ever pass again.
CHECK = """
CREATE FUNCTION audit_chain_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head public.audit_auditchain%ROWTYPE;
    last_seq bigint;
BEGIN
    SELECT * INTO head FROM public.audit_auditchain WHERE name = TG_TABLE_NAME;
    EXECUTE format('SELECT max(chain_seq) FROM public.%I', TG_TABLE_NAME) INTO last_seq;
    IF head.head_seq IS DISTINCT FROM coalesce(last_seq, head.anchor_seq) THEN
        RAISE EXCEPTION 'an append to % left a gap in its chain (a row chained, then skipped)',
            TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;
"""

# Not the owner's (SECURITY INVOKER): it asks whether whoever appends the row owns the table.
WRITTEN_NOW = """
CREATE FUNCTION audit_written_now() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- Only the owner (migrations, tests replaying the past) may write a time other than now, or
    -- choose a row's id (anyone else could take ids the sequence will hand out, and so make
    -- later appends fail).
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        NEW := jsonb_populate_record(NEW, jsonb_build_object(
            TG_ARGV[0], clock_timestamp(),
            'id', nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'))
        ));
    END IF;
    RETURN NEW;
END;
$$;
"""

LINK = """
CREATE FUNCTION audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' SET extra_float_digits = 1 AS $$
DECLARE
    head public.audit_auditchain%ROWTYPE;
BEGIN
    IF TG_TABLE_SCHEMA <> 'public' THEN
        RAISE EXCEPTION 'audit_chain_link() chains the audit tables only';
    END IF;
    SELECT * INTO head FROM public.audit_auditchain WHERE name = TG_TABLE_NAME FOR UPDATE;
    IF NOT FOUND THEN  -- chain_table() made one; only emptying the whole table (TRUNCATE) loses it
        INSERT INTO public.audit_auditchain (name, written, head_seq, head_hash, anchor_seq, anchor_hash)
        SELECT TG_TABLE_NAME, k, 0, repeat('0', 64), 0, repeat('0', 64)
        FROM unnest(ARRAY['at', 'timestamp', 'action_time']) AS k WHERE to_jsonb(NEW) ? k LIMIT 1
        ON CONFLICT DO NOTHING;
        SELECT * INTO head FROM public.audit_auditchain WHERE name = TG_TABLE_NAME FOR UPDATE;
    END IF;
    NEW.chain_seq := head.head_seq + 1;
    NEW.prev_hash := head.head_hash;
    NEW.row_hash := public.audit_chain_hash(head.head_hash, to_jsonb(NEW));
    UPDATE public.audit_auditchain SET head_seq = NEW.chain_seq, head_hash = NEW.row_hash
    WHERE name = TG_TABLE_NAME;
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION audit_chain_link() FROM PUBLIC;
"""

# As before (0009), but only a run of each chain's oldest rows goes, and the anchor follows it.
REMOVE_EXPIRED = """
CREATE OR REPLACE FUNCTION audit_remove_expired() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM public.audit_retention_floor WHERE name = 'audit');
    cut_off timestamptz;
    removed jsonb := '{}';
    t record;
    n bigint;
    last_seq bigint;
    last_hash text;
BEGIN
    IF floor_days IS NULL THEN
        RAISE EXCEPTION 'no audit retention period set (run migrate)';
    END IF;
    cut_off := now() - make_interval(days => floor_days);
    PERFORM set_config('anpr.audit_retention_before', cut_off::text, true);
    FOR t IN SELECT name, written FROM public.audit_auditchain ORDER BY name FOR UPDATE LOOP
        -- Up to the oldest row still inside the period (all of them when none is).
        EXECUTE format(
            'WITH gone AS (DELETE FROM public.%1$I WHERE chain_seq < coalesce('
            '(SELECT min(chain_seq) FROM public.%1$I WHERE %2$I >= $1), '
            '(SELECT max(chain_seq) + 1 FROM public.%1$I)) RETURNING chain_seq, row_hash) '
            'SELECT count(*), max(chain_seq), (array_agg(row_hash ORDER BY chain_seq DESC))[1] FROM gone',
            t.name, t.written) INTO n, last_seq, last_hash USING cut_off;
        IF last_seq IS NOT NULL THEN
            UPDATE public.audit_auditchain SET anchor_seq = last_seq, anchor_hash = last_hash
            WHERE name = t.name;
        END IF;
        removed := removed || jsonb_build_object(t.name, n);
    END LOOP;
    PERFORM set_config('anpr.audit_retention_before', '', true);
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION audit_remove_expired() FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_owner_only_retention"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                (
                    "name",
                    models.CharField(
                        help_text="The table chained.", max_length=63, primary_key=True, serialize=False
                    ),
                ),
                ("head_seq", models.BigIntegerField(help_text="The last row's place in the chain.")),
                ("head_hash", models.CharField(max_length=64)),
                (
                    "anchor_seq",
                    models.BigIntegerField(default=0, help_text="The last row removed by retention."),
                ),
                ("anchor_hash", models.CharField(max_length=64)),
                ("written", models.CharField(help_text="The table's time column.", max_length=63)),
            ],
        ),
        migrations.RunSQL(
            HASH, "DROP FUNCTION audit_chain_hash(text, jsonb); DROP FUNCTION audit_chain_content(jsonb);"
        ),
        migrations.RunSQL(CHECK, "DROP FUNCTION audit_chain_check();"),
        migrations.RunSQL(WRITTEN_NOW, "DROP FUNCTION audit_written_now();"),
        migrations.RunSQL(LINK, "DROP FUNCTION audit_chain_link();"),
        *(chain_table(table, written) for table, written in CHAINED),
        migrations.RunSQL(REMOVE_EXPIRED, migrations.RunSQL.noop),
    ]
