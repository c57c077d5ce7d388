package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// peopleConfig configures sign-up, sign-in, invitations and identity
// providers (docs/people.md).
type peopleConfig struct {
	// SignUpClosed refuses signUp (INVENTORY_SIGNUP=closed; default open).
	SignUpClosed bool
	// PublicURL is where people reach the console, for invitation links
	// (INVENTORY_PUBLIC_URL; default http:// and the listen address).
	PublicURL string
	// SMTPURL, when set, sends invitations by email (INVENTORY_SMTP_URL), as
	// MailFrom (INVENTORY_MAIL_FROM; default no-reply@ the public host).
	SMTPURL  string
	MailFrom string
	// AccessTTL is an access token's lifetime (INVENTORY_ACCESS_TTL; default
	// 15m), SessionTTL a session's without a refresh (INVENTORY_SESSION_TTL;
	// default 720h), InvitationTTL an invitation's (INVENTORY_INVITATION_TTL;
	// default 168h).
	AccessTTL     time.Duration
	SessionTTL    time.Duration
	InvitationTTL time.Duration
	// Argon2 are the password hash costs (INVENTORY_ARGON2, e.g.
	// "m=65536,t=2,p=1"; default domain.DefaultArgon2).
	Argon2 domain.Argon2Params
	// JWKSURL is an identity provider's key set (INVENTORY_JWKS_URL); its
	// tokens carry the tenant and roles where TenantClaim and RolesClaim
	// point (INVENTORY_JWT_TENANT_CLAIM, default /tenant_id;
	// INVENTORY_JWT_ROLES_CLAIM, default /roles), and must carry JWKSIssuer
	// and JWKSAudience when set (INVENTORY_JWKS_ISSUER and
	// INVENTORY_JWKS_AUDIENCE; default INVENTORY_JWT_ISSUER and _AUDIENCE).
	JWKSURL      string
	TenantClaim  string
	RolesClaim   string
	JWKSIssuer   string
	JWKSAudience string
	// ClientIPHeader names the header a trusted reverse proxy puts the
	// client's address in (INVENTORY_CLIENT_IP_HEADER, e.g. X-Forwarded-For;
	// default none: the connection's address). Sign-in throttling counts
	// per address.
	ClientIPHeader string
}

// fromEnv reads the people settings; c is the rest of the configuration,
// read already.
func (p *peopleConfig) fromEnv(c *config) error {
	switch v := os.Getenv("INVENTORY_SIGNUP"); v {
	case "", "open":
	case "closed":
		p.SignUpClosed = true
	default:
		return fmt.Errorf("INVENTORY_SIGNUP must be open or closed, got %q", v)
	}
	p.PublicURL = envOr("INVENTORY_PUBLIC_URL", "http://"+c.Addr)
	u, err := url.Parse(p.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("INVENTORY_PUBLIC_URL must be an http(s) URL, got %q", p.PublicURL)
	}
	host := u.Hostname()
	if h, _, err := net.SplitHostPort(u.Host); err == nil {
		host = h
	}
	p.SMTPURL = os.Getenv("INVENTORY_SMTP_URL")
	p.MailFrom = envOr("INVENTORY_MAIL_FROM", "Inventory <no-reply@"+host+">")
	durations := []struct {
		name     string
		into     *time.Duration
		def, min time.Duration
	}{
		{"INVENTORY_ACCESS_TTL", &p.AccessTTL, 15 * time.Minute, time.Minute},
		{"INVENTORY_SESSION_TTL", &p.SessionTTL, 30 * 24 * time.Hour, time.Hour},
		{"INVENTORY_INVITATION_TTL", &p.InvitationTTL, 7 * 24 * time.Hour, time.Hour},
	}
	for _, d := range durations {
		*d.into = d.def
		if v := os.Getenv(d.name); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed < d.min {
				return fmt.Errorf("%s must be a duration of at least %s, got %q", d.name, d.min, v)
			}
			*d.into = parsed
		}
	}
	p.Argon2 = domain.DefaultArgon2
	if v := os.Getenv("INVENTORY_ARGON2"); v != "" {
		if _, err := fmt.Sscanf(v, "m=%d,t=%d,p=%d", &p.Argon2.MemoryKiB, &p.Argon2.Time, &p.Argon2.Threads); err != nil ||
			p.Argon2.MemoryKiB < 19*1024 || p.Argon2.Time < 1 || p.Argon2.Threads < 1 {
			return fmt.Errorf(`INVENTORY_ARGON2 must read "m=<KiB, at least 19456>,t=<passes>,p=<lanes>", got %q`, v)
		}
	}
	p.JWKSURL = os.Getenv("INVENTORY_JWKS_URL")
	p.TenantClaim = envOr("INVENTORY_JWT_TENANT_CLAIM", "/tenant_id")
	p.RolesClaim = envOr("INVENTORY_JWT_ROLES_CLAIM", "/roles")
	p.JWKSIssuer = envOr("INVENTORY_JWKS_ISSUER", c.JWTIssuer)
	p.JWKSAudience = envOr("INVENTORY_JWKS_AUDIENCE", c.JWTAudience)
	p.ClientIPHeader = os.Getenv("INVENTORY_CLIENT_IP_HEADER")
	return nil
}
