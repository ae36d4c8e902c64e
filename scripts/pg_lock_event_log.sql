-- After each `counter-app db upgrade` (which may create tables): the event log is append-only for the PCs.
-- psql -d counter_app -f scripts/pg_lock_event_log.sql   (as counter_app_owner or a superuser)
REVOKE UPDATE, DELETE, TRUNCATE ON TABLE event FROM counter_app;
