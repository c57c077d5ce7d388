package tenancy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// JWKSConfig is how tokens from an external identity provider are checked.
type JWKSConfig struct {
	// URL is the provider's JSON Web Key Set, e.g.
	// https://example.eu.auth0.com/.well-known/jwks.json.
	URL string
	// TenantClaim and RolesClaim point at the claims that carry the tenant's
	// id (a string) and the roles (an array of strings, or one string of
	// space-separated names). Defaults: /tenant_id and /roles.
	TenantClaim string
	RolesClaim  string
	// Issuer and Audience, when set, must match a token's iss and aud.
	Issuer   string
	Audience string
	// RefreshInterval is how often the key set is fetched again (default 15
	// minutes). UnknownKIDInterval is the shortest time between two fetches
	// caused by tokens with an unknown kid (default 30 seconds): a flood of
	// made-up kids costs the provider at most one request per interval.
	RefreshInterval    time.Duration
	UnknownKIDInterval time.Duration
	// Client fetches the key set; nil takes a client with a 10-second timeout.
	Client *http.Client
	// Logger receives fetch failures; nil takes slog's default.
	Logger *slog.Logger
}

// jwksAlgorithms are the signing algorithms accepted from a provider.
var jwksAlgorithms = []string{"RS256", "ES256", "EdDSA"}

// JWKS verifies tokens signed by an identity provider's published keys. It
// caches the keys and fetches them again on a schedule and when a token
// names a key it does not know, no more often than configured.
type JWKS struct {
	keys   keyfunc.Keyfunc
	parser *jwt.Parser
	tenant Pointer
	roles  Pointer
}

// NewJWKS fetches the key set once (a provider that does not answer yet is
// retried later, not fatal) and keeps it fresh until ctx ends.
func NewJWKS(ctx context.Context, cfg JWKSConfig) (*JWKS, error) {
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("JWKS URL %q must be http(s)", cfg.URL)
	}
	j := &JWKS{}
	var err error
	if j.tenant, err = ParsePointer(cmp(cfg.TenantClaim, "/tenant_id")); err != nil {
		return nil, fmt.Errorf("tenant claim: %w", err)
	}
	if j.roles, err = ParsePointer(cmp(cfg.RolesClaim, "/roles")); err != nil {
		return nil, fmt.Errorf("roles claim: %w", err)
	}
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = 15 * time.Minute
	}
	if cfg.UnknownKIDInterval <= 0 {
		cfg.UnknownKIDInterval = 30 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	noError := true
	j.keys, err = keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.URL}, keyfunc.Override{
		Client:          cfg.Client,
		HTTPTimeout:     10 * time.Second,
		RefreshInterval: cfg.RefreshInterval,
		// A token with an unknown kid refreshes the set at most once per
		// interval. One whose turn is more than half an interval (or 10 s)
		// away is refused at once instead of waiting; the same bound also
		// limits the fetch itself.
		RefreshUnknownKID:         rate.NewLimiter(rate.Every(cfg.UnknownKIDInterval), 1),
		RateLimitWaitMax:          min(10*time.Second, cfg.UnknownKIDInterval/2),
		NoErrorReturnFirstHTTPReq: &noError,
		RefreshErrorHandlerFunc: func(u string) func(ctx context.Context, err error) {
			return func(ctx context.Context, err error) {
				logger.WarnContext(ctx, "fetching the identity provider's keys failed", "url", u, "error", err.Error())
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	j.parser = newParser(jwksAlgorithms, cfg.Issuer, cfg.Audience)
	return j, nil
}

func cmp(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// WithJWKS makes the verifier accept tokens signed by the provider's keys
// (RS256, ES256, EdDSA) besides its own HS256 tokens. A token's alg header
// chooses the path; each path accepts only its own algorithms, so an HS256
// token signed with a provider's public key is refused.
func WithJWKS(j *JWKS) Option {
	return func(v *Verifier) { v.jwks = j }
}

// external reports whether a token's header asks for an algorithm other
// than the service's own HS256.
func external(token string) bool {
	header, _, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return false
	}
	return h.Alg != "" && h.Alg != jwt.SigningMethodHS256.Alg()
}

// verify checks a provider's token and reads its principal through the
// claim pointers.
func (j *JWKS) verify(token string) (p *Principal, kid string, expires time.Time, err error) {
	claims := jwt.MapClaims{}
	parsed, err := j.parser.ParseWithClaims(token, claims, j.keys.Keyfunc)
	if err != nil {
		return nil, "", expires, fmt.Errorf("%w: %s", ErrUnauthenticated, describeExternal(err))
	}
	sub, _ := claims["sub"].(string)
	if strings.TrimSpace(sub) == "" {
		return nil, "", expires, fmt.Errorf("%w: token has no sub", ErrUnauthenticated)
	}
	raw, _ := j.tenant.Lookup(map[string]any(claims))
	tenant, _ := raw.(string)
	if tenant == "" {
		return nil, "", expires, fmt.Errorf("%w: token has no tenant at %s", ErrUnauthenticated, j.tenant)
	}
	raw, ok := j.roles.Lookup(map[string]any(claims))
	if !ok {
		return nil, "", expires, fmt.Errorf("%w: token has no roles at %s", ErrUnauthenticated, j.roles)
	}
	p = &Principal{Subject: sub, TenantID: tenant, Roles: []Role{}}
	// A provider's role claim often holds roles of other applications too
	// (Keycloak's offline_access, for one): names that are not ours are
	// ignored, never an error.
	for _, name := range roleNames(raw) {
		if r, err := ParseRole(strings.ToLower(name)); err == nil {
			p.Roles = append(p.Roles, r)
		}
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		expires = exp.Time
	}
	kid, _ = parsed.Header["kid"].(string)
	return p, kid, expires, nil
}

func roleNames(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// describeExternal is describe for a provider's tokens.
func describeExternal(err error) string {
	switch {
	case errors.Is(err, keyfunc.ErrKeyfunc):
		return "token is signed by a key the identity provider does not publish"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid) && strings.Contains(err.Error(), "signing method"),
		errors.Is(err, jwt.ErrTokenUnverifiable):
		return "token uses an algorithm that is not accepted (want " + strings.Join(jwksAlgorithms, ", ") + ")"
	}
	return describe(err)
}

// verifyExternal verifies a provider's token and checks that its tenant
// exists.
func (v *Verifier) verifyExternal(ctx context.Context, token string) (*Principal, error) {
	p, kid, expires, err := v.jwks.verify(token)
	if err != nil {
		return nil, err
	}
	ok, err := v.tenantExists(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: unknown tenant", ErrUnauthenticated)
	}
	v.remember(token, p, expires, "", "", kid)
	return p, nil
}

// stillPublished reports whether the provider still publishes a key, so
// that a remembered token whose key was withdrawn is refused once the key
// set is fetched again.
func (j *JWKS) stillPublished(ctx context.Context, kid string) bool {
	if kid == "" {
		return false
	}
	_, err := j.keys.Storage().KeyRead(ctx, kid)
	return err == nil
}
