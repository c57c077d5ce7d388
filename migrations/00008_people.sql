-- People: users, their memberships of tenants with roles, sign-in sessions
-- and their rotating refresh tokens, invitations, and the throttle on failed
-- sign-ins.
--
-- A user may belong to several tenants, so users is not a tenant table, and
-- sign-in must read a user (by email) and the user's memberships before any
-- tenant is known. SECURITY DEFINER functions would run as the tables' owner,
-- whom forced row-level security binds as well (or as a superuser, whom it
-- does not bind at all); instead the service role reads these rows under
-- row-level security keyed on two more transaction-local settings, set with
-- set_config(..., true) exactly like app.tenant_id:
--
--   app.user_email  the email a sign-in names: it exposes that one user row,
--                   to check the password against;
--   app.user_id     a user whose credential the service has just verified
--                   (a password, a refresh token, an invitation, an access
--                   token): it exposes that user, the user's memberships, the
--                   names of those tenants and the user's sessions (to end
--                   them everywhere).
--
-- A transaction that sets neither sees users only through memberships of its
-- own tenant. No transaction can list every user.
--
-- Sessions and invitations are tenant tables. Their secrets (refresh tokens,
-- invitation tokens) carry the tenant's id in clear before the random part,
-- so the service sets app.tenant_id from the token and looks the hash up
-- under the usual tenant isolation; a forged tenant id finds no hash.
--
-- auth_throttle is not tenant data: it counts failures per email and per
-- client address (both hashed), for every tenant and every server process.

-- +goose Up
CREATE FUNCTION app_current_user() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE FUNCTION app_current_email() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_email', true), '') $$;

-- Emails are stored lower-cased, so they compare case-insensitively.
CREATE TABLE users (
  id              uuid        PRIMARY KEY,
  email           text        NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name            text        CHECK (length(name) BETWEEN 1 AND 200),
  -- password_hash is an argon2id hash in the PHC string format; NULL until
  -- the user sets a password through a sign-in link or an invitation.
  password_hash   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);

CREATE TABLE memberships (
  tenant_id       uuid        NOT NULL REFERENCES tenants (id),
  user_id         uuid        NOT NULL REFERENCES users (id),
  roles           text[]      NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['viewer', 'operator', 'admin']),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- A session is one sign-in into one tenant. Removing the membership deletes
-- its sessions, so their access tokens are refused at once.
CREATE TABLE sessions (
  tenant_id    uuid        NOT NULL,
  id           uuid        NOT NULL,
  user_id      uuid        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- refresh_tokens holds a session's refresh tokens, as SHA-256 hashes. Each is
-- used once: using it marks it used and issues the next. A used one presented
-- again ends its session.
CREATE TABLE refresh_tokens (
  tenant_id  uuid        NOT NULL,
  hash       bytea       NOT NULL,
  session_id uuid        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  PRIMARY KEY (tenant_id, hash),
  FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (tenant_id, session_id);

CREATE TABLE invitations (
  tenant_id   uuid        NOT NULL REFERENCES tenants (id),
  id          uuid        NOT NULL,
  email       text        NOT NULL CHECK (email = lower(email)),
  roles       text[]      NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['viewer', 'operator', 'admin']),
  token_hash  bytea       NOT NULL,
  invited_by  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT invitations_token_key UNIQUE (tenant_id, token_hash)
);
CREATE INDEX invitations_expires_idx ON invitations (expires_at);

CREATE TABLE auth_throttle (
  key          bytea       PRIMARY KEY,
  failures     integer     NOT NULL CHECK (failures >= 0),
  window_start timestamptz NOT NULL,
  locked_until timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_throttle_updated_idx ON auth_throttle (updated_at);

-- Row-level security, forced as on every other tenant table.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY named_by_email ON users FOR SELECT USING (email = app_current_email());
CREATE POLICY verified_user ON users USING (id = app_current_user()) WITH CHECK (id = app_current_user());
CREATE POLICY tenant_members ON users FOR SELECT
  USING (EXISTS (SELECT FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_current_tenant()));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = app_current_user());

-- A verified user may read the names of the tenants they belong to.
CREATE POLICY member_tenants ON tenants FOR SELECT TO inventory_app
  USING (EXISTS (SELECT FROM memberships m WHERE m.tenant_id = tenants.id AND m.user_id = app_current_user()));

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
CREATE POLICY own_sessions ON sessions USING (user_id = app_current_user()) WITH CHECK (user_id = app_current_user());

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

GRANT EXECUTE ON FUNCTION app_current_user(), app_current_email() TO inventory_app;
GRANT SELECT, INSERT ON users TO inventory_app;
GRANT UPDATE (name, password_hash, last_sign_in_at) ON users TO inventory_app;
GRANT SELECT, INSERT, DELETE ON memberships TO inventory_app;
GRANT UPDATE (roles, last_sign_in_at) ON memberships TO inventory_app;
GRANT SELECT, INSERT, DELETE ON sessions TO inventory_app;
GRANT UPDATE (refreshed_at, expires_at, ended_at, end_reason) ON sessions TO inventory_app;
GRANT SELECT, INSERT, DELETE ON refresh_tokens TO inventory_app;
GRANT UPDATE (used_at) ON refresh_tokens TO inventory_app;
GRANT SELECT, INSERT, DELETE ON invitations TO inventory_app;
GRANT UPDATE (accepted_at, revoked_at) ON invitations TO inventory_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO inventory_app;

-- +goose Down
DROP POLICY member_tenants ON tenants;
DROP TABLE auth_throttle, invitations, refresh_tokens, sessions, memberships, users;
DROP FUNCTION app_current_email();
DROP FUNCTION app_current_user();
