#!/bin/sh
# Run once by the postgres image when it makes its data directory (docker-entrypoint-initdb.d).
# Two roles beside the superuser: anpr_owner owns the schema and runs migrations; anpr_app is
# what the portal, workers and beat connect as, and owns nothing (apps/audit/database.py).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$ANPR_OWNER_PASSWORD" -v app_password="$ANPR_APP_PASSWORD" <<'SQL'
CREATE ROLE anpr_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE anpr_app LOGIN PASSWORD :'app_password';
ALTER DATABASE anpr OWNER TO anpr_owner;
ALTER SCHEMA public OWNER TO anpr_owner;
SQL
