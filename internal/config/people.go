package config

import (
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// People configures sign-up, sign-in, invitations and identity providers
// (docs/people.md).
type People struct {
	// SignUpClosed refuses signUp (INVENTORY_SIGNUP=closed).
	SignUpClosed bool
	// PublicURL is where people reach the console, for invitation links
	// and the refresh cookie's Secure flag (INVENTORY_PUBLIC_URL; unset:
	// http:// and INVENTORY_ADDR).
	PublicURL string
	// SMTPURL, when set, sends invitations by email (INVENTORY_SMTP_URL), as
	// MailFrom (INVENTORY_MAIL_FROM; unset: no-reply@ the public host).
	SMTPURL  string
	MailFrom string
	// AccessTTL is an access token's lifetime (INVENTORY_ACCESS_TTL),
	// SessionTTL a session's without a refresh (INVENTORY_SESSION_TTL),
	// InvitationTTL an invitation's (INVENTORY_INVITATION_TTL).
	AccessTTL     time.Duration
	SessionTTL    time.Duration
	InvitationTTL time.Duration
	// Argon2 are the password hash costs (INVENTORY_ARGON2).
	Argon2 domain.Argon2Params
	// JWKSURL is an identity provider's key set (INVENTORY_JWKS_URL); its
	// tokens carry the tenant and roles where TenantClaim and RolesClaim
	// point (INVENTORY_JWT_TENANT_CLAIM, INVENTORY_JWT_ROLES_CLAIM), and
	// must carry JWKSIssuer and JWKSAudience when set
	// (INVENTORY_JWKS_ISSUER and INVENTORY_JWKS_AUDIENCE; unset: those of
	// INVENTORY_JWT_ISSUER and INVENTORY_JWT_AUDIENCE).
	JWKSURL      string
	TenantClaim  string
	RolesClaim   string
	JWKSIssuer   string
	JWKSAudience string
	// ClientIPHeader names the header a trusted reverse proxy puts the
	// client's address in (INVENTORY_CLIENT_IP_HEADER); unset, the
	// connection's address counts. Sign-in throttling counts per address.
	ClientIPHeader string
}

// readPeople reads the people settings through env, which applies the
// defaults of Variables; c is the rest of the configuration, read already.
func readPeople(env func(string) string, c *Config) (People, error) {
	var p People
	switch v := env("INVENTORY_SIGNUP"); v {
	case "open":
	case "closed":
		p.SignUpClosed = true
	default:
		return p, fmt.Errorf("INVENTORY_SIGNUP must be open or closed, got %q", v)
	}
	p.PublicURL = or(env("INVENTORY_PUBLIC_URL"), "http://"+c.Addr)
	u, err := url.Parse(p.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return p, fmt.Errorf("INVENTORY_PUBLIC_URL must be an http(s) URL, got %q", p.PublicURL)
	}
	host := u.Hostname()
	if h, _, err := net.SplitHostPort(u.Host); err == nil {
		host = h
	}
	p.SMTPURL = env("INVENTORY_SMTP_URL")
	p.MailFrom = or(env("INVENTORY_MAIL_FROM"), "Inventory <no-reply@"+host+">")
	for _, d := range []struct {
		name string
		into *time.Duration
		min  time.Duration
	}{
		{"INVENTORY_ACCESS_TTL", &p.AccessTTL, time.Minute},
		{"INVENTORY_SESSION_TTL", &p.SessionTTL, time.Hour},
		{"INVENTORY_INVITATION_TTL", &p.InvitationTTL, time.Hour},
	} {
		v := env(d.name)
		parsed, err := time.ParseDuration(v)
		if err != nil || parsed < d.min {
			return p, fmt.Errorf("%s must be a duration of at least %s, got %q", d.name, d.min, v)
		}
		*d.into = parsed
	}
	v := env("INVENTORY_ARGON2")
	if _, err := fmt.Sscanf(v, "m=%d,t=%d,p=%d", &p.Argon2.MemoryKiB, &p.Argon2.Time, &p.Argon2.Threads); err != nil ||
		p.Argon2.MemoryKiB < 19*1024 || p.Argon2.Time < 1 || p.Argon2.Threads < 1 {
		return p, fmt.Errorf(`INVENTORY_ARGON2 must read "m=<KiB, at least 19456>,t=<passes>,p=<lanes>", got %q`, v)
	}
	p.ClientIPHeader = env("INVENTORY_CLIENT_IP_HEADER")
	p.JWKSURL = env("INVENTORY_JWKS_URL")
	p.TenantClaim = env("INVENTORY_JWT_TENANT_CLAIM")
	p.RolesClaim = env("INVENTORY_JWT_ROLES_CLAIM")
	p.JWKSIssuer = or(env("INVENTORY_JWKS_ISSUER"), c.JWTIssuer)
	p.JWKSAudience = or(env("INVENTORY_JWKS_AUDIENCE"), c.JWTAudience)
	return p, nil
}

// or returns v, or def when v is empty.
func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
