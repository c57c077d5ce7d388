-- The webhook dispatcher looks across tenants for endpoints that are behind
-- the change feed. Migration 00009 let it do so as the service role in a
-- transaction that set app.scope to 'system', which a request could set too;
-- now it runs as inventory_system (migration 00011) on the system pool, and
-- the scope setting opens nothing on the webhook tables either.
--
-- inventory_system reads only the columns that question needs: which
-- endpoints are enabled and where their cursors stand, and which deliveries
-- wait for a retry. It never sees an endpoint's address or sealed secret, a
-- message, or a delivery's outcome, and changes nothing; the deliveries
-- themselves run in the endpoint's tenant as the service role. The people
-- jobs need nothing new: they list tenants (00011) and prune each tenant's
-- sessions and invitations in that tenant.

-- +goose Up
GRANT SELECT (tenant_id, id, enabled, cursor_xid, cursor_id) ON webhook_endpoints TO inventory_system;
GRANT SELECT (tenant_id, endpoint_id, status, next_attempt_at, event_xid, event_id) ON webhook_deliveries TO inventory_system;
CREATE POLICY system_dispatch_role ON webhook_endpoints FOR SELECT TO inventory_system USING (true);
CREATE POLICY system_dispatch_role ON webhook_deliveries FOR SELECT TO inventory_system USING (true);

DROP POLICY system_dispatch ON webhook_endpoints;
DROP POLICY system_dispatch ON webhook_deliveries;

-- +goose Down
CREATE POLICY system_dispatch ON webhook_endpoints FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
CREATE POLICY system_dispatch ON webhook_deliveries FOR SELECT TO inventory_app
  USING (current_setting('app.scope', true) = 'system');
DROP POLICY system_dispatch_role ON webhook_deliveries;
DROP POLICY system_dispatch_role ON webhook_endpoints;
REVOKE ALL ON webhook_deliveries, webhook_endpoints FROM inventory_system;
