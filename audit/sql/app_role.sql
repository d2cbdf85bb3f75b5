-- Privileges of the application's database role (here reintegra_app). Run as the database
-- owner (the role that runs `migrate`) after every `migrate`. The application role owns
-- nothing, so it can neither disable the audit triggers nor alter the tables; on the audit
-- log it may only append entries and seal them (give an unsealed entry its place in the chain,
-- which the trigger allows once).
GRANT USAGE ON SCHEMA public TO reintegra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO reintegra_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO reintegra_app;
REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM reintegra_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM reintegra_app;
GRANT UPDATE (sequence, prev_hash, hash, chain_version) ON audit_auditentry TO reintegra_app;
