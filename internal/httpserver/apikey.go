package httpserver

import (
	"context"
	"errors"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

// This file is where API keys meet the HTTP edge: a bearer credential is an
// API key when it starts with tenancy.APIKeyPrefix, else a JWT; both end in
// the same principal.

// APIKeyWatchInterval is how often a live connection opened with an API key
// checks the key again. With tenancy.APIKeyCacheTTL, a revoked or expired
// key's connections close (4403) within a second.
const APIKeyWatchInterval = 250 * time.Millisecond

// newAPIKeyVerifier returns the API key verifier over the store.
func newAPIKeyVerifier(store *domain.Store) *tenancy.APIKeyVerifier {
	return tenancy.NewAPIKeyVerifier(apiKeyLookup(store), tenancy.APIKeyCacheTTL)
}

// apiKeyLookup finds keys in the store.
func apiKeyLookup(store *domain.Store) tenancy.APIKeyLookup {
	return func(ctx context.Context, secret string) (*tenancy.APIKey, error) {
		g, err := store.APIKeyBySecret(ctx, secret)
		if err != nil || g == nil {
			return nil, err
		}
		return &tenancy.APIKey{TenantID: g.TenantID, Name: g.Name, Roles: g.Roles,
			ExpiresAt: g.ExpiresAt, Revoked: g.RevokedAt != nil}, nil
	}
}

// verify checks a bearer credential, an API key or a JWT, and returns its
// principal.
func (s *Server) verify(ctx context.Context, credential string) (*tenancy.Principal, error) {
	if tenancy.IsAPIKey(credential) {
		return s.keys.Verify(ctx, credential)
	}
	return s.verifier.Verify(ctx, credential)
}

// watchAPIKey checks, until ctx ends, the API key a live connection was
// opened with, and ends the connection with 4403 once the key is refused
// (revoked or expired). A failed lookup (the database away) is not a
// refusal: the connection stays.
func (s *Server) watchAPIKey(ctx context.Context, secret string, end func(code int, reason string)) {
	t := time.NewTicker(APIKeyWatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.keys.Verify(ctx, secret); errors.Is(err, tenancy.ErrUnauthenticated) {
			end(CloseForbidden, err.Error())
			return
		}
	}
}
