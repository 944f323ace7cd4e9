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
-- The Audit service may insert and read stored events, never change or delete them: the function that locks its
-- tables is deploy/audit-lock.sql, run next (20-audit-lock.sql).
CREATE ROLE gatehouse_audit_owner NOLOGIN;
GRANT CONNECT, CREATE ON DATABASE gatehouse TO gatehouse_audit_owner;
SQL
