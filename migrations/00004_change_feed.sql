-- The change feed: readers take events in (xid, id) order, and only those
-- whose transaction is older than every transaction still in flight.

-- +goose Up
CREATE INDEX events_feed_order_idx ON events (xid, id);
CREATE INDEX events_tenant_feed_idx ON events (tenant_id, xid, id);
DROP INDEX events_feed_idx;
CREATE INDEX events_created_idx ON events (created_at);

-- Each server process reads the whole feed once and fans it out in memory by
-- tenant, so in the system scope the service role may read every tenant's
-- events, and prune old ones. No request path sets that scope.
CREATE POLICY system_feed ON events FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_prune ON events FOR DELETE TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
-- Permissive policies add up: without this one, tenant_isolation would let a
-- request delete its own tenant's events. Only the system scope may delete.
CREATE POLICY prune_only_in_system_scope ON events AS RESTRICTIVE FOR DELETE TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
GRANT DELETE ON events TO inventory_app;

-- feed_horizon remembers the newest event ever pruned, so that a subscriber
-- asking to resume from before it is told so instead of missing changes.
CREATE TABLE feed_horizon (
  singleton bool   PRIMARY KEY DEFAULT true CHECK (singleton),
  xid       xid8   NOT NULL,
  id        bigint NOT NULL
);
INSERT INTO feed_horizon (xid, id) VALUES ('0', 0);
GRANT SELECT, UPDATE ON feed_horizon TO inventory_app;

-- +goose Down
DROP TABLE feed_horizon;
REVOKE DELETE ON events FROM inventory_app;
DROP POLICY prune_only_in_system_scope ON events;
DROP POLICY system_prune ON events;
DROP POLICY system_feed ON events;
DROP INDEX events_created_idx;
CREATE INDEX events_feed_idx ON events (id);
DROP INDEX events_tenant_feed_idx;
DROP INDEX events_feed_order_idx;
