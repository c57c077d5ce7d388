package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// APIKeySecretPrefix starts every API key's secret, so that a key is told
// from a JWT at a glance (and by secret scanners).
const APIKeySecretPrefix = "inv_"

// apiKeyPrefixLen is how much of a secret is kept in the clear, for people
// to recognise a key by: "inv_" and 8 characters.
const apiKeyPrefixLen = len(APIKeySecretPrefix) + 8

// maxAPIKeyName bounds a key's name.
const maxAPIKeyName = 100

// APIKeyTouchInterval is how often, at most, a key's LastUsedAt is written:
// a key used all the time costs one write a minute, not one per request.
const APIKeyTouchInterval = time.Minute

// apiKeyRoles are the roles a key may hold, as tokens name them.
var apiKeyRoles = []string{"viewer", "operator", "admin"}

// secretEncoding writes a secret's random bytes in lower-case base32, which
// a double click selects whole and no URL or shell mangles.
var secretEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// APIKey is a tenant's credential for an integration. Its secret is never
// kept, only its hash; Prefix is the start of the secret, to recognise it.
type APIKey struct {
	ID         string
	Name       string
	Prefix     string
	Roles      []string
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

const apiKeyColumns = "id, name, prefix, roles, created_by, created_at, expires_at, last_used_at, revoked_at"

// NewAPIKey is the input of CreateAPIKey.
type NewAPIKey struct {
	Name      string
	Roles     []string // viewer, operator, admin
	ExpiresAt *time.Time
	// MayGrant reports whether the creator holds a role: a key never gets a
	// role its creator lacks. Nil grants nothing.
	MayGrant func(role string) bool
}

// HashAPIKeySecret is what is stored of a secret: its SHA-256. The secret
// carries 256 random bits, so a fast hash is enough.
func HashAPIKeySecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// CreateAPIKey creates a key and returns it with its secret, which is shown
// this once and never again. The name must be free among the tenant's live
// keys (DUPLICATE), the roles known and held by the creator, and an expiry
// in the future (VALIDATION).
func (s *Store) CreateAPIKey(ctx context.Context, sc Scope, in NewAPIKey) (*APIKey, string, error) {
	name, err := requireText("name", in.Name, maxAPIKeyName)
	if err != nil {
		return nil, "", err
	}
	roles, err := apiKeyRolesOf(in)
	if err != nil {
		return nil, "", err
	}
	if err := futureTime("expiresAt", in.ExpiresAt); err != nil {
		return nil, "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	secret := APIKeySecretPrefix + secretEncoding.EncodeToString(raw)
	k := &APIKey{ID: uuid.NewString(), Name: name, Prefix: secret[:apiKeyPrefixLen], Roles: roles,
		CreatedBy: sc.Actor, ExpiresAt: in.ExpiresAt}
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO api_keys (tenant_id, id, name, prefix, secret_hash, roles, created_by, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING created_at`,
			sc.TenantID, k.ID, k.Name, k.Prefix, HashAPIKeySecret(secret), k.Roles, k.CreatedBy, k.ExpiresAt).Scan(&k.CreatedAt)
	})
	if uniqueViolation(err, "api_keys_name_key") {
		return nil, "", newError(CodeDuplicate, "name", "an API key named %q exists: revoke it or choose another name", name)
	}
	if err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	return k, secret, nil
}

// apiKeyRolesOf checks a new key's roles and returns them without repeats,
// in rank order.
func apiKeyRolesOf(in NewAPIKey) ([]string, error) {
	if len(in.Roles) == 0 {
		return nil, newError(CodeValidation, "roles", "a key needs at least one role")
	}
	for _, r := range in.Roles {
		if !slices.Contains(apiKeyRoles, r) {
			return nil, newError(CodeValidation, "roles", "unknown role %q (want viewer, operator or admin)", truncate(r, 32))
		}
	}
	var out []string
	for _, r := range apiKeyRoles {
		if !slices.Contains(in.Roles, r) {
			continue
		}
		if in.MayGrant == nil || !in.MayGrant(r) {
			return nil, newError(CodeValidation, "roles", "a key cannot have the role %s, which its creator lacks", r)
		}
		out = append(out, r)
	}
	return out, nil
}

// RevokeAPIKey revokes a key: from now on it authenticates nothing (every
// server process refuses it within a second). Revoking a revoked key
// changes nothing and returns it.
func (s *Store) RevokeAPIKey(ctx context.Context, sc Scope, id string) (*APIKey, error) {
	if !ValidID(id) {
		return nil, newError(CodeNotFound, "id", "no API key has id %q", truncate(id, 64))
	}
	var k *APIKey
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = now()
			WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL`, sc.TenantID, id); err != nil {
			return err
		}
		var err error
		k, err = rowWhere[APIKey](ctx, tx, sc, "api_keys", apiKeyColumns, "id", id, "id", "API key")
		return err
	})
	if err != nil {
		return nil, wrap(err, "revoke api key")
	}
	return k, nil
}

// APIKeys lists the tenant's keys, revoked ones too, newest first.
func (s *Store) APIKeys(ctx context.Context, sc Scope, pr PageRequest) (*Page[*APIKey], error) {
	return listNewestFirst(ctx, s, sc, newListQuery(sc), "api_keys", apiKeyColumns, "apikey", pr,
		pgx.RowToAddrOfStructByPos[APIKey], func(k *APIKey) (time.Time, string) { return k.CreatedAt, k.ID })
}

// APIKeyGrant is what a key's secret grants: the tenant, the key's name and
// roles, and whether it still may be used.
type APIKeyGrant struct {
	TenantID  string
	KeyID     string
	Name      string
	Roles     []string
	ExpiresAt *time.Time
	RevokedAt *time.Time
}

// APIKeyBySecret finds the key whose secret this is, before any tenant is
// known, and returns what it grants; nil when no key has this secret. It
// records the use in LastUsedAt, at most once per APIKeyTouchInterval.
//
// The hash is looked up through api_key_tenant, which alone may read across
// tenants; the key itself is then read under its tenant's row-level security.
func (s *Store) APIKeyBySecret(ctx context.Context, secret string) (*APIKeyGrant, error) {
	if !strings.HasPrefix(secret, APIKeySecretPrefix) {
		return nil, nil
	}
	var g *APIKeyGrant
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var found APIKeyGrant
		err := tx.QueryRow(ctx, `SELECT tenant_id, key_id, set_config('app.tenant_id', tenant_id::text, true)
			FROM api_key_tenant($1)`, HashAPIKeySecret(secret)).Scan(&found.TenantID, &found.KeyID, nil)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `WITH touch AS (
				UPDATE api_keys SET last_used_at = now()
				WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
				  AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $3))
				RETURNING id)
			SELECT name, roles, expires_at, revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2`,
			found.TenantID, found.KeyID, APIKeyTouchInterval.Seconds()).
			Scan(&found.Name, &found.Roles, &found.ExpiresAt, &found.RevokedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		g = &found
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up api key: %w", err)
	}
	return g, nil
}
