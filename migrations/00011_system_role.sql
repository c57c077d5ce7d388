-- Background work that must see every tenant gets a role of its own.
--
-- Until now the service role inventory_app could read every tenant's
-- directory entry and change-feed event in a transaction that set
-- app.scope to 'system'; nothing but the absence of a code path kept a
-- request from setting it. Now that setting means nothing: the policies that
-- read it are gone, and the cross-tenant reads, the pruning of old events and
-- the moving of the feed horizon belong to inventory_system, a role of their
-- own that the service switches to only on a pool of its own (pg.SystemPool)
-- and that no request uses. It sees all tenants' rows of tenants and events
-- only, and may change nothing but the pruning of events and feed_horizon.

-- +goose Up

-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory_system') THEN
    BEGIN
      CREATE ROLE inventory_system NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
    EXCEPTION WHEN OTHERS THEN
      -- Another database of this cluster created it at the same moment.
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory_system') THEN
        RAISE;
      END IF;
    END;
  END IF;
  -- The migrating role must be able to SET ROLE inventory_system.
  IF NOT pg_has_role(current_user, 'inventory_system', 'MEMBER') THEN
    EXECUTE format('GRANT inventory_system TO %I', current_user);
  END IF;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO inventory_system;
GRANT EXECUTE ON FUNCTION app_current_tenant() TO inventory_system;
GRANT SELECT ON tenants TO inventory_system;
GRANT SELECT, DELETE ON events TO inventory_system;
GRANT SELECT, UPDATE ON feed_horizon TO inventory_system;

CREATE POLICY system_directory_role ON tenants FOR SELECT TO inventory_system USING (true);
CREATE POLICY system_feed_role ON events FOR SELECT TO inventory_system USING (true);
CREATE POLICY system_prune_role ON events FOR DELETE TO inventory_system USING (true);
CREATE POLICY system_reads_horizon ON feed_horizon FOR SELECT TO inventory_system USING (true);
CREATE POLICY system_moves_horizon ON feed_horizon FOR UPDATE TO inventory_system USING (true) WITH CHECK (true);

-- The service role loses the scope setting's powers.
DROP POLICY system_directory ON tenants;
DROP POLICY system_feed ON events;
DROP POLICY system_prune ON events;
DROP POLICY prune_only_in_system_scope ON events;
REVOKE DELETE ON events FROM inventory_app;
DROP POLICY system_moves ON feed_horizon;
REVOKE UPDATE ON feed_horizon FROM inventory_app;

-- +goose Down
GRANT UPDATE ON feed_horizon TO inventory_app;
CREATE POLICY system_moves ON feed_horizon FOR UPDATE TO inventory_app
  USING (current_setting('app.scope', true) = 'system')
  WITH CHECK (current_setting('app.scope', true) = 'system');
GRANT DELETE ON events TO inventory_app;
CREATE POLICY prune_only_in_system_scope ON events AS RESTRICTIVE FOR DELETE TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_prune ON events FOR DELETE TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_feed ON events FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_directory ON tenants FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
DROP POLICY system_moves_horizon ON feed_horizon;
DROP POLICY system_reads_horizon ON feed_horizon;
DROP POLICY system_prune_role ON events;
DROP POLICY system_feed_role ON events;
DROP POLICY system_directory_role ON tenants;
REVOKE ALL ON feed_horizon, events, tenants FROM inventory_system;
REVOKE EXECUTE ON FUNCTION app_current_tenant() FROM inventory_system;
REVOKE USAGE ON SCHEMA public FROM inventory_system;
