"""Day partitions created and dropped by owner-defined functions, so the application's database
role needs no DDL. It may create a partition only for a day of plausible reads (from the read
retention floor, audit_retention_floor 'reads', to a month ahead), and drop one only for a day
from 2000 on whose whole is past that floor (a date BC prints the same digits as its AD twin)."""

from django.db import migrations

CREATE = """
CREATE FUNCTION reads_create_day_partition(day date) RETURNS void
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
REVOKE ALL ON FUNCTION reads_create_day_partition(date) FROM PUBLIC;
"""

DROP = """
CREATE FUNCTION reads_drop_day_partition(day date) RETURNS void
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
REVOKE ALL ON FUNCTION reads_drop_day_partition(date) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("reads", "0001_initial"), ("audit", "0009_owner_only_retention")]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION reads_create_day_partition(date);"),
        migrations.RunSQL(DROP, "DROP FUNCTION reads_drop_day_partition(date);"),
    ]
