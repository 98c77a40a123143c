"""Fresh statistics after a large import, by an owner-defined function: ANALYZE needs the table's
owner, which the application's database role is not."""

from django.db import migrations

ANALYZE = """
CREATE FUNCTION hotlists_analyze_entries() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE public.hotlists_hotlistentry;
END;
$$;
REVOKE ALL ON FUNCTION hotlists_analyze_entries() FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("hotlists", "0002_covert_from_the_list")]

    operations = [migrations.RunSQL(ANALYZE, "DROP FUNCTION hotlists_analyze_entries();")]
