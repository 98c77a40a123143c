#!/bin/sh
# Run once by the postgres image when it makes its data directory (docker-entrypoint-initdb.d).
# The same two roles as dev/launcher.py makes, with the same limits, beside the superuser:
# anpr_owner owns the database and schema and runs migrations; anpr_app is what the portal,
# workers and beat connect as, and owns nothing (apps/audit/database.py: each migrate grants it
# exactly its rights). Unlike the launcher's, the owner may not create databases and is no member
# of anpr_app: those serve only the test suite.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$ANPR_OWNER_PASSWORD" -v app_password="$ANPR_APP_PASSWORD" <<'SQL'
CREATE ROLE anpr_owner LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE anpr_app LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE anpr OWNER TO anpr_owner;
ALTER SCHEMA public OWNER TO anpr_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
