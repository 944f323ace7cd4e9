-- The Audit service's role may insert and read stored events, never change or delete them. At start the service calls
-- this function, which hands the event and stream tables of its schema to a role nobody logs in as and leaves the
-- service only INSERT and SELECT (and UPDATE of stream versions); it cannot grant itself more.
-- Run as gatehouse_admin by deploy/infra.sh and by the compose PostgreSQL's first start (docker-compose.yml).
CREATE OR REPLACE FUNCTION public.gatehouse_lock_audit_events(schema_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
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
$fn$;
REVOKE ALL ON FUNCTION public.gatehouse_lock_audit_events(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.gatehouse_lock_audit_events(text) TO gatehouse_audit;
