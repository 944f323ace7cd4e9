#!/bin/sh
# First start of the compose PostgreSQL: the database and one login role per service (passwords from the environment).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE ROLE gatehouse_authentication LOGIN PASSWORD '$GATEHOUSE_PASSWORD_authentication';
CREATE ROLE gatehouse_authorization LOGIN PASSWORD '$GATEHOUSE_PASSWORD_authorization';
CREATE ROLE gatehouse_session_broker LOGIN PASSWORD '$GATEHOUSE_PASSWORD_session_broker';
CREATE ROLE gatehouse_audit LOGIN PASSWORD '$GATEHOUSE_PASSWORD_audit';
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE gatehouse
  TO gatehouse_authentication, gatehouse_authorization, gatehouse_session_broker, gatehouse_audit;
-- The Audit service may insert and read stored events, never change or delete them (see deploy/infra.sh).
CREATE ROLE gatehouse_audit_owner NOLOGIN;
GRANT CONNECT, CREATE ON DATABASE gatehouse TO gatehouse_audit_owner;
CREATE OR REPLACE FUNCTION public.gatehouse_lock_audit_events(schema_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS \$fn\$
DECLARE
  schema_owner name;
BEGIN
  SELECT nspowner::regrole::name INTO schema_owner FROM pg_namespace WHERE nspname = schema_name;
  IF schema_owner IS NULL OR schema_owner NOT IN ('gatehouse_audit', 'gatehouse_audit_owner') THEN
    RAISE EXCEPTION 'schema % is not an audit schema', schema_name USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF to_regclass(format('%I.mt_events', schema_name)) IS NULL OR to_regclass(format('%I.mt_streams', schema_name)) IS NULL THEN
    RAISE EXCEPTION 'schema % has no event store yet', schema_name;
  END IF;
  EXECUTE format('ALTER SCHEMA %I OWNER TO gatehouse_audit_owner', schema_name);
  EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO gatehouse_audit', schema_name);
  EXECUTE format('ALTER TABLE %I.mt_events OWNER TO gatehouse_audit_owner', schema_name);
  EXECUTE format('ALTER TABLE %I.mt_streams OWNER TO gatehouse_audit_owner', schema_name);
  EXECUTE format('REVOKE ALL ON %I.mt_events, %I.mt_streams FROM gatehouse_audit', schema_name, schema_name);
  EXECUTE format('GRANT SELECT, INSERT ON %I.mt_events TO gatehouse_audit', schema_name);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I.mt_streams TO gatehouse_audit', schema_name);
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO gatehouse_audit', schema_name);
END
\$fn\$;
REVOKE ALL ON FUNCTION public.gatehouse_lock_audit_events(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.gatehouse_lock_audit_events(text) TO gatehouse_audit;
SQL
