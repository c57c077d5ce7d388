-- Narrow what the service role can reach outside tenant tables.
--
-- river_job holds every tenant's job arguments. The service role inserts jobs
-- in its own transactions (and, for unique jobs, reads the row it collides
-- with); row-level security now limits it to jobs whose arguments name the
-- transaction's tenant. River itself works the queue as the owner, which
-- this (unforced) security does not bind.
--
-- feed_horizon may be moved only in the system scope, by the pruning job.

-- +goose Up
ALTER TABLE river_job ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_tenant_jobs ON river_job TO inventory_app
  USING (args ->> 'tenant_id' = app_current_tenant()::text)
  WITH CHECK (args ->> 'tenant_id' = app_current_tenant()::text);

ALTER TABLE feed_horizon ENABLE ROW LEVEL SECURITY;
CREATE POLICY anyone_reads ON feed_horizon FOR SELECT TO inventory_app USING (true);
CREATE POLICY system_moves ON feed_horizon FOR UPDATE TO inventory_app
  USING (current_setting('app.scope', true) = 'system')
  WITH CHECK (current_setting('app.scope', true) = 'system');

-- +goose Down
DROP POLICY system_moves ON feed_horizon;
DROP POLICY anyone_reads ON feed_horizon;
ALTER TABLE feed_horizon DISABLE ROW LEVEL SECURITY;
DROP POLICY service_tenant_jobs ON river_job;
ALTER TABLE river_job DISABLE ROW LEVEL SECURITY;
