-- Jobs that follow from a change are inserted in the change's own
-- transaction, which runs as the service role: let it insert River jobs.
-- River's own migrations run before these (see internal/pg), so its tables
-- exist here.

-- +goose Up
GRANT SELECT, INSERT, UPDATE ON river_job TO inventory_app;
GRANT USAGE ON SEQUENCE river_job_id_seq TO inventory_app;

-- +goose Down
REVOKE SELECT, INSERT, UPDATE ON river_job FROM inventory_app;
REVOKE USAGE ON SEQUENCE river_job_id_seq FROM inventory_app;
