-- Ancrage's database and role, once, as PostgreSQL's superuser:
--   sudo -u postgres psql -v password=… -f deploy/postgresql.sql
-- The role owns its database and nothing else; it is not a superuser.
CREATE ROLE ancrage LOGIN PASSWORD :'password';
CREATE DATABASE ancrage OWNER ancrage ENCODING 'UTF8' TEMPLATE template0;
-- PostgreSQL 15 or later: lets an import leave out PostgreSQL's per-row key checks for its own
-- set-based inserts, whose keys it then checks in one pass each (README, « En production » ;
-- ancrage/workbook/keys.py). Without it, imports stay correct and are slower.
GRANT SET ON PARAMETER session_replication_role TO ancrage;
