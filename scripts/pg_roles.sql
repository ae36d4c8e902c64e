-- The roles of a branch server (docs/site-setup.md). Run once per database, as a superuser, with psql:
--   psql -v app_password="'…'" -v owner_password="'…'" -d counter_app -f scripts/pg_roles.sql
-- counter_app_owner owns the tables: it alone runs `counter-app db upgrade` (creates and alters them).
-- counter_app is what every PC connects as: it reads and writes rows, creates nothing, and cannot rewrite
-- or delete the event log (the audit chain) even by hand — no superuser, no owner rights.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_app_owner') THEN
    CREATE ROLE counter_app_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_app') THEN
    CREATE ROLE counter_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
ALTER ROLE counter_app_owner PASSWORD :owner_password;
ALTER ROLE counter_app PASSWORD :app_password;

SELECT format('ALTER DATABASE %I OWNER TO counter_app_owner', current_database()) \gexec
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO counter_app;
ALTER SCHEMA public OWNER TO counter_app_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO counter_app;

-- what exists now (a store upgraded before these roles), and what the owner creates later
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO counter_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO counter_app;
ALTER DEFAULT PRIVILEGES FOR ROLE counter_app_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO counter_app;
ALTER DEFAULT PRIVILEGES FOR ROLE counter_app_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO counter_app;
