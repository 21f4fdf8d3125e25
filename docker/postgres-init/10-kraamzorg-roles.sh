#!/bin/sh
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d), as its superuser
# (POSTGRES_USER), which only this script uses: the service's two roles (README, "Database roles").
#   kraamzorg      owns the database kraamzorg and its tables; the service migrates as it (DATABASE_OWNER_URL)
#   kraamzorg_app  requests and jobs (DATABASE_URL): the migrator grants it what it needs, and on
#                  audit_events only INSERT and SELECT
# Neither is a superuser. psql reads the passwords from the environment (\getenv, psql 15): they appear on
# no command line and are bound as literals, never pasted into the SQL text.
set -eu
: "${KRAAMZORG_OWNER_PASSWORD:?set KRAAMZORG_OWNER_PASSWORD}" "${KRAAMZORG_APP_PASSWORD:?set KRAAMZORG_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" <<'SQL'
\getenv owner_password KRAAMZORG_OWNER_PASSWORD
\getenv app_password KRAAMZORG_APP_PASSWORD
SET password_encryption = 'scram-sha-256';
CREATE ROLE kraamzorg LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE kraamzorg_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE kraamzorg OWNER kraamzorg;
REVOKE ALL ON DATABASE kraamzorg FROM PUBLIC;
GRANT CONNECT ON DATABASE kraamzorg TO kraamzorg_app;
SQL
