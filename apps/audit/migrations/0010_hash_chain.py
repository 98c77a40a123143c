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

# (table, the column saying when a row was written): the append-only tables, as they stand.
CHAINED = (
    ("audit_searchaudit", "at", "search_audit"),
    ("audit_securityevent", "at", "security_events"),
    ("audit_jobrun", "at", "job_runs"),
    ("access_requests_accessrequestevent", "at", "access_request_events"),
    ("auditlog_logentry", "timestamp", "change_log"),
    ("django_admin_log", "action_time", "admin_log"),
)
TABLES = ", ".join(f"('{table}', '{written}', '{label}')" for table, written, label in CHAINED)

# The one formula; apps/audit/chain.py computes the same in Python to check it.
HASH = """
CREATE FUNCTION audit_chain_hash(prev text, content jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT encode(sha256(convert_to(prev || (content - 'prev_hash' - 'row_hash')::text, 'UTF8')), 'hex')
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
    IF NOT FOUND THEN
        INSERT INTO public.audit_auditchain (name, head_seq, head_hash, anchor_seq, anchor_hash)
        VALUES (TG_TABLE_NAME, 0, repeat('0', 64), 0, repeat('0', 64)) ON CONFLICT DO NOTHING;
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

# Rows written before the chain existed, chained in the order they were written, once.
CHAIN_EXISTING = f"""
DO $$
DECLARE
    t record;
    r record;
    n bigint;
    prev text;
    content jsonb;
BEGIN
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('extra_float_digits', '1', true);
    FOR t IN SELECT * FROM (VALUES {TABLES}) AS v(name, written, label) LOOP
        EXECUTE format('ALTER TABLE public.%I ADD COLUMN chain_seq bigint, '
                       'ADD COLUMN prev_hash char(64), ADD COLUMN row_hash char(64)', t.name);
        EXECUTE format('ALTER TABLE public.%I DISABLE TRIGGER USER', t.name);
        n := 0;
        prev := repeat('0', 64);
        FOR r IN EXECUTE format('SELECT id FROM public.%I ORDER BY %I, id', t.name, t.written) LOOP
            n := n + 1;
            EXECUTE format('UPDATE public.%I SET chain_seq = $1, prev_hash = $2 WHERE id = $3', t.name)
                USING n, prev, r.id;
            EXECUTE format('SELECT to_jsonb(x) FROM public.%I x WHERE id = $1', t.name)
                INTO content USING r.id;
            prev := public.audit_chain_hash(prev, content);
            EXECUTE format('UPDATE public.%I SET row_hash = $1 WHERE id = $2', t.name) USING prev, r.id;
        END LOOP;
        EXECUTE format('ALTER TABLE public.%I ENABLE TRIGGER USER', t.name);
        INSERT INTO public.audit_auditchain (name, head_seq, head_hash, anchor_seq, anchor_hash)
        VALUES (t.name, n, prev, 0, repeat('0', 64));
        EXECUTE format('ALTER TABLE public.%I ALTER COLUMN chain_seq SET NOT NULL, '
                       'ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN row_hash SET NOT NULL', t.name);
        EXECUTE format('CREATE UNIQUE INDEX %I ON public.%I (chain_seq)', t.name || '_chain_seq', t.name);
        EXECUTE format('CREATE TRIGGER audit_chain_link BEFORE INSERT ON public.%I '
                       'FOR EACH ROW EXECUTE FUNCTION public.audit_chain_link()', t.name);
    END LOOP;
END;
$$;
"""

UNCHAIN = f"""
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES {TABLES}) AS v(name, written, label) LOOP
        EXECUTE format('DROP TRIGGER audit_chain_link ON public.%I', t.name);
        EXECUTE format('ALTER TABLE public.%I DROP COLUMN chain_seq, DROP COLUMN prev_hash, '
                       'DROP COLUMN row_hash', t.name);
    END LOOP;
END;
$$;
"""

# As before (0009), but only a run of each chain's oldest rows goes, and the anchor follows it.
REMOVE_EXPIRED = f"""
CREATE OR REPLACE FUNCTION audit_remove_expired() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    floor_days integer := (SELECT days FROM public.audit_retention_floor WHERE name = 'audit');
    cut_off timestamptz;
    removed jsonb := '{{}}';
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
    FOR t IN SELECT * FROM (VALUES {TABLES}) AS v(name, written, label) LOOP
        PERFORM 1 FROM public.audit_auditchain WHERE name = t.name FOR UPDATE;
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
        removed := removed || jsonb_build_object(t.label, n);
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
            ],
        ),
        migrations.RunSQL(HASH, "DROP FUNCTION audit_chain_hash(text, jsonb);"),
        migrations.RunSQL(LINK, "DROP FUNCTION audit_chain_link();"),
        migrations.RunSQL(CHAIN_EXISTING, UNCHAIN),
        migrations.RunSQL(REMOVE_EXPIRED, migrations.RunSQL.noop),
    ]
