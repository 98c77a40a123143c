"""The SQL that makes a table one of the audit trail's hash chains, for migrations to run.

A table joins the trail in two steps: a migration of its own app runs `chain_table(...)`, and its
name goes into apps/audit/database.APPEND_ONLY_TABLES (a test holds the two in step). From then
on a row appended by anyone but the owner is stamped with the database's clock, whatever time it
was sent with (`audit_written_now()`); the owner's trigger `audit_chain_link()` (both in migration
audit 0010) gives it its place, link and hash; `audit_remove_expired()` removes only the
oldest run of it past the audit retention period; `audit_verify` walks it. Rows already in the
table are chained in the order they were written.

Never drop or rename a column of a chained table, and add only nullable ones: a row's hash covers
its content as JSON, NULLs left out, so only a new column that is NULL in old rows leaves their
hashes as they were. The table's time column should be `at` (the append-only trigger and
retention read it by that name, or `timestamp` / `action_time` for the two logs from libraries).
"""

from django.db import migrations

GENESIS = "repeat('0', 64)"


def chain_table(table: str, written: str, *, guard: bool = False) -> migrations.RunSQL:
    """Chain `table`, whose rows say when they were written in column `written`. `guard` also
    gives it the append-only trigger, for a table that has none yet."""
    return migrations.RunSQL(_chain(table, written, guard), _unchain(table, guard))


def _chain(table: str, written: str, guard: bool) -> str:
    guard_sql = (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON public.{table} "
        "FOR EACH ROW EXECUTE FUNCTION public.audit_refuse_change();"
        if guard
        else ""
    )
    # Names come from migrations, never from input.
    return f"""
ALTER TABLE public.{table} ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash char(64),
    ADD COLUMN row_hash char(64);
ALTER TABLE public.{table} DISABLE TRIGGER USER;
DO $$
DECLARE
    r record;
    n bigint := 0;
    prev text := {GENESIS};
    content jsonb;
BEGIN
    PERFORM set_config('TimeZone', 'UTC', true);
    PERFORM set_config('extra_float_digits', '1', true);
    FOR r IN SELECT id FROM public.{table} ORDER BY {written}, id LOOP
        n := n + 1;
        UPDATE public.{table} SET chain_seq = n, prev_hash = prev WHERE id = r.id;
        SELECT to_jsonb(x) INTO content FROM public.{table} x WHERE id = r.id;
        prev := public.audit_chain_hash(prev, content);
        UPDATE public.{table} SET row_hash = prev WHERE id = r.id;
    END LOOP;
    INSERT INTO public.audit_auditchain (name, written, head_seq, head_hash, anchor_seq, anchor_hash)
    VALUES ('{table}', '{written}', n, prev, 0, {GENESIS});
END;
$$;
ALTER TABLE public.{table} ENABLE TRIGGER USER;
ALTER TABLE public.{table} ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN row_hash SET NOT NULL;
CREATE UNIQUE INDEX {table}_chain_seq ON public.{table} (chain_seq);
-- Row triggers fire in the order of their names: the time is set before the row is hashed.
CREATE TRIGGER audit_at_now BEFORE INSERT ON public.{table}
    FOR EACH ROW EXECUTE FUNCTION public.audit_written_now('{written}');
CREATE TRIGGER audit_chain_link BEFORE INSERT ON public.{table}
    FOR EACH ROW EXECUTE FUNCTION public.audit_chain_link();
CREATE TRIGGER audit_chain_check AFTER INSERT ON public.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION public.audit_chain_check();
{guard_sql}
"""  # noqa: S608


def _unchain(table: str, guard: bool) -> str:
    unguard = f"DROP TRIGGER {table}_append_only ON public.{table};" if guard else ""
    return f"""
{unguard}
DROP TRIGGER audit_chain_check ON public.{table};
DROP TRIGGER audit_chain_link ON public.{table};
DROP TRIGGER audit_at_now ON public.{table};
ALTER TABLE public.{table} DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN row_hash;
DELETE FROM public.audit_auditchain WHERE name = '{table}';
"""  # noqa: S608
