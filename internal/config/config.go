// Package config reads the service's configuration from the environment.
// Variables lists every variable it reads, with its default and meaning;
// `inventory help` prints that list.
package config

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/pg"
)

// Config is the service's configuration, read from the environment.
type Config struct {
	DatabaseURL string // DATABASE_URL
	Addr        string // INVENTORY_ADDR
	JWTSecret   string // INVENTORY_JWT_SECRET; empty: a development key kept in the database
	JWTIssuer   string // INVENTORY_JWT_ISSUER
	JWTAudience string // INVENTORY_JWT_AUDIENCE
	MaxConns    int32  // INVENTORY_DB_MAX_CONNS
	// FeedRetention is how long change-feed events are kept for resuming
	// subscribers (INVENTORY_FEED_RETENTION).
	FeedRetention time.Duration
	// ReportTTL is how long a built report's file is kept
	// (INVENTORY_REPORT_TTL).
	ReportTTL time.Duration
	LogLevel  slog.Level // INVENTORY_LOG_LEVEL
	// ImportMaxBytes is the largest CSV file an import takes
	// (INVENTORY_IMPORT_MAX_BYTES).
	ImportMaxBytes int64
	// BehindTLS says clients reach the service over HTTPS, directly or
	// through a proxy that terminates TLS: answers then carry
	// Strict-Transport-Security (INVENTORY_BEHIND_TLS).
	BehindTLS bool
	// MaxConnections caps the HTTP connections open at once
	// (INVENTORY_MAX_CONNECTIONS).
	MaxConnections int
	// TenantLiveConnections caps one tenant's live (WebSocket)
	// connections to one process (INVENTORY_TENANT_LIVE_CONNECTIONS).
	TenantLiveConnections int
	// TenantRate is the requests per second one tenant may make of one
	// process, TenantBurst how many at once (INVENTORY_TENANT_RATE,
	// INVENTORY_TENANT_BURST); a rate of 0 means no limit.
	TenantRate  float64
	TenantBurst int
	// TenantWrites is how many mutations of one tenant may run at once in
	// one process (INVENTORY_TENANT_WRITES); 0 means no limit.
	TenantWrites int
	// TenantWriteWait is how long a mutation past TenantWrites waits for a
	// running one to end before it is refused (INVENTORY_TENANT_WRITE_WAIT).
	TenantWriteWait time.Duration
	// OTLPEndpoint is where traces go (OTEL_EXPORTER_OTLP_ENDPOINT); empty:
	// tracing is off. package telemetry reads it and the other OTEL_*
	// variables.
	OTLPEndpoint string
	// People configures sign-up, sign-in, invitations and identity
	// providers: people.go.
	People People
	// Webhooks configures webhook delivery.
	Webhooks Webhooks
}

// Webhooks is the webhooks' part of the configuration.
type Webhooks struct {
	// Key seals endpoints' signing secrets (INVENTORY_WEBHOOK_KEY,
	// domain.WebhookKeySize bytes in standard base64); nil: a development
	// key kept in the database.
	Key []byte
	// RetrySchedule is the wait before each retry of a message
	// (INVENTORY_WEBHOOK_RETRY_SCHEDULE).
	RetrySchedule []time.Duration
	// AllowPrivate lets endpoints be on loopback, private and link-local
	// addresses (INVENTORY_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
}

// Variable is one environment variable the configuration reads.
type Variable struct {
	Name string
	// Default applies when the variable is unset or empty; "" means the
	// setting stays unset.
	Default string
	// Meaning says in one line what the variable sets.
	Meaning string
}

// Variables are every environment variable Read reads, in the order help
// lists them. Their defaults are the ones Read applies.
var Variables = []Variable{
	{"DATABASE_URL", pg.DefaultURL,
		"PostgreSQL 15+; the database is created if it does not exist and the role may create it"},
	{"INVENTORY_ADDR", "localhost:8080", "the address serve listens on"},
	{"INVENTORY_JWT_SECRET", "",
		"HS256 signing key of at least 32 bytes; when unset, a development key kept in the database signs tokens (not for production)"},
	{"INVENTORY_JWT_ISSUER", "", "when set, tokens must carry exactly this iss"},
	{"INVENTORY_JWT_AUDIENCE", "", "when set, tokens must carry exactly this aud"},
	{"INVENTORY_DB_MAX_CONNS", "16", "the most connections the service pool opens"},
	{"INVENTORY_FEED_RETENTION", "168h", "how long change-feed events are kept for subscribers to resume (a Go duration, at least 1h)"},
	{"INVENTORY_REPORT_TTL", "24h", "how long a built report's file is kept (a Go duration, at least 1m)"},
	{"INVENTORY_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"INVENTORY_IMPORT_MAX_BYTES", "20971520", "the largest CSV file an import takes, in bytes (1024 to 1073741824)"},
	{"INVENTORY_MAX_CONNECTIONS", "1000", "the most HTTP connections (WebSockets included) open at once; more wait for one to close"},
	{"INVENTORY_TENANT_LIVE_CONNECTIONS", "1000", "the most live (WebSocket) connections one tenant may hold open to one process; beyond them a connection is closed with 4429"},
	{"INVENTORY_TENANT_RATE", "100", "requests per second one tenant may make of one process (0: no limit); with N processes, divide the tenant's share by N"},
	{"INVENTORY_TENANT_BURST", "200", "requests one tenant may make at once above its rate"},
	{"INVENTORY_TENANT_WRITES", "4", "mutations of one tenant that may run at once in one process (0: no limit)"},
	{"INVENTORY_TENANT_WRITE_WAIT", "2s", "how long a mutation past INVENTORY_TENANT_WRITES waits for one to end before it is refused with RATE_LIMITED"},
	{"OTEL_EXPORTER_OTLP_ENDPOINT", "", "when set, traces are exported there over OTLP/HTTP (e.g. http://localhost:4318); the other standard OTEL_* variables apply (OTEL_SERVICE_NAME, default inventory)"},
	{"INVENTORY_BEHIND_TLS", "false", "true when clients reach the service over HTTPS (directly or through a TLS-terminating proxy): answers carry Strict-Transport-Security"},
	// Sign-up, sign-in, invitations and identity providers (people.go).
	{"INVENTORY_SIGNUP", "open", "open: anyone may sign up a new business; closed: only invitations and user create add people"},
	{"INVENTORY_PUBLIC_URL", "", "where people reach the console, for invitation links; the refresh cookie is Secure unless it is plain http on localhost; when unset, http:// and INVENTORY_ADDR"},
	{"INVENTORY_ACCESS_TTL", "15m", "an access token's lifetime after sign-in (a Go duration, at least 1m)"},
	{"INVENTORY_SESSION_TTL", "720h", "how long a session lasts without a refresh (a Go duration, at least 1h)"},
	{"INVENTORY_INVITATION_TTL", "168h", "how long an invitation can be accepted (a Go duration, at least 1h)"},
	{"INVENTORY_ARGON2", "m=65536,t=2,p=1", "password hash costs: memory in KiB (at least 19456), passes, lanes"},
	{"INVENTORY_CLIENT_IP_HEADER", "", "the header a trusted reverse proxy puts the client's address in, e.g. X-Forwarded-For; when unset, the connection's address counts"},
	{"INVENTORY_SMTP_URL", "", "when set, invitations are emailed through this server, e.g. smtp://user:pass@host:587"},
	{"INVENTORY_MAIL_FROM", "", "the sender of invitation emails; when unset, no-reply@ the public URL's host"},
	{"INVENTORY_JWKS_URL", "", "when set, tokens signed by this identity provider's key set are accepted too"},
	{"INVENTORY_JWT_TENANT_CLAIM", "/tenant_id", "a JSON pointer to the tenant's id in an identity provider's token"},
	{"INVENTORY_JWT_ROLES_CLAIM", "/roles", "a JSON pointer to the roles in an identity provider's token"},
	{"INVENTORY_JWKS_ISSUER", "", "the iss an identity provider's tokens must carry; when unset, INVENTORY_JWT_ISSUER's"},
	{"INVENTORY_JWKS_AUDIENCE", "", "the aud an identity provider's tokens must carry; when unset, INVENTORY_JWT_AUDIENCE's"},
	{"INVENTORY_WEBHOOK_KEY", "",
		"32 random bytes in standard base64 (openssl rand -base64 32) that seal webhook signing secrets; when unset, a development key kept in the database (not for production)"},
	{"INVENTORY_WEBHOOK_RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,10h",
		"the waits before each retry of a webhook message, comma-separated Go durations; after the last the endpoint is disabled"},
	{"INVENTORY_WEBHOOK_ALLOW_PRIVATE", "false",
		"true lets webhook endpoints be on loopback, private and link-local addresses (for development)"},
}

// minSecretLen is the shortest HS256 key accepted: 256 bits.
const minSecretLen = 32

// FromEnv reads the configuration from the process's environment.
func FromEnv() (Config, error) { return Read(os.Getenv) }

// Default is the configuration when no variable is set.
func Default() Config {
	c, err := Read(func(string) string { return "" })
	if err != nil {
		panic(fmt.Sprintf("config: a default is invalid: %v", err)) // Variables is wrong
	}
	return c
}

// Read reads the configuration through getenv, applying the defaults of
// Variables to what is unset.
func Read(getenv func(string) string) (Config, error) {
	env := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		for _, v := range Variables {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	c := Config{
		DatabaseURL: env("DATABASE_URL"),
		Addr:        env("INVENTORY_ADDR"),
		JWTSecret:   env("INVENTORY_JWT_SECRET"),
		JWTIssuer:   env("INVENTORY_JWT_ISSUER"),
		JWTAudience: env("INVENTORY_JWT_AUDIENCE"),
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < minSecretLen {
		return c, fmt.Errorf("INVENTORY_JWT_SECRET must be at least %d bytes long", minSecretLen)
	}
	// An operation holds its connection for a few round trips; pgxpool's
	// default of 4 per CPU is too few, hence the default of 16.
	v := env("INVENTORY_DB_MAX_CONNS")
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 1 {
		return c, fmt.Errorf("INVENTORY_DB_MAX_CONNS must be a positive number, got %q", v)
	}
	c.MaxConns = int32(n)
	v = env("INVENTORY_FEED_RETENTION")
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Hour {
		return c, fmt.Errorf("INVENTORY_FEED_RETENTION must be a duration of at least 1h (e.g. 168h), got %q", v)
	}
	c.FeedRetention = d
	v = env("INVENTORY_REPORT_TTL")
	d, err = time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return c, fmt.Errorf("INVENTORY_REPORT_TTL must be a duration of at least 1m (e.g. 24h), got %q", v)
	}
	c.ReportTTL = d
	v = env("INVENTORY_IMPORT_MAX_BYTES")
	if c.ImportMaxBytes, err = strconv.ParseInt(v, 10, 64); err != nil || c.ImportMaxBytes < 1024 || c.ImportMaxBytes > 1<<30 {
		return c, fmt.Errorf("INVENTORY_IMPORT_MAX_BYTES must be a number of bytes between 1024 and 1073741824 (e.g. 20971520), got %q", v)
	}
	if err := c.LogLevel.UnmarshalText([]byte(env("INVENTORY_LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("INVENTORY_LOG_LEVEL: %w", err)
	}
	v = env("INVENTORY_MAX_CONNECTIONS")
	n, err = strconv.ParseInt(v, 10, 32)
	if err != nil || n < 1 {
		return c, fmt.Errorf("INVENTORY_MAX_CONNECTIONS must be a positive number, got %q", v)
	}
	c.MaxConnections = int(n)
	v = env("INVENTORY_TENANT_LIVE_CONNECTIONS")
	if n, err = strconv.ParseInt(v, 10, 32); err != nil || n < 1 {
		return c, fmt.Errorf("INVENTORY_TENANT_LIVE_CONNECTIONS must be a positive number, got %q", v)
	}
	c.TenantLiveConnections = int(n)
	v = env("INVENTORY_TENANT_RATE")
	if c.TenantRate, err = strconv.ParseFloat(v, 64); err != nil || c.TenantRate < 0 || math.IsInf(c.TenantRate, 0) || math.IsNaN(c.TenantRate) {
		return c, fmt.Errorf("INVENTORY_TENANT_RATE must be a number of requests per second, 0 or more, got %q", v)
	}
	v = env("INVENTORY_TENANT_BURST")
	if n, err = strconv.ParseInt(v, 10, 32); err != nil || n < 1 {
		return c, fmt.Errorf("INVENTORY_TENANT_BURST must be a positive number, got %q", v)
	}
	c.TenantBurst = int(n)
	v = env("INVENTORY_TENANT_WRITES")
	if n, err = strconv.ParseInt(v, 10, 32); err != nil || n < 0 {
		return c, fmt.Errorf("INVENTORY_TENANT_WRITES must be 0 or a positive number, got %q", v)
	}
	c.TenantWrites = int(n)
	v = env("INVENTORY_TENANT_WRITE_WAIT")
	if c.TenantWriteWait, err = time.ParseDuration(v); err != nil || c.TenantWriteWait < 0 {
		return c, fmt.Errorf("INVENTORY_TENANT_WRITE_WAIT must be a duration, 0 or more (e.g. 2s), got %q", v)
	}
	c.OTLPEndpoint = getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	v = env("INVENTORY_BEHIND_TLS")
	if c.BehindTLS, err = strconv.ParseBool(v); err != nil {
		return c, fmt.Errorf("INVENTORY_BEHIND_TLS must be true or false, got %q", v)
	}
	if c.People, err = readPeople(env, &c); err != nil {
		return c, err
	}
	if v := env("INVENTORY_WEBHOOK_KEY"); v != "" {
		key, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(key) != domain.WebhookKeySize {
			return c, fmt.Errorf("INVENTORY_WEBHOOK_KEY must be %d random bytes in standard base64 (e.g. from: openssl rand -base64 32)", domain.WebhookKeySize)
		}
		c.Webhooks.Key = key
	}
	if c.Webhooks.RetrySchedule, err = domain.ParseRetrySchedule(env("INVENTORY_WEBHOOK_RETRY_SCHEDULE")); err != nil {
		return c, fmt.Errorf("INVENTORY_WEBHOOK_RETRY_SCHEDULE: %w", err)
	}
	v = env("INVENTORY_WEBHOOK_ALLOW_PRIVATE")
	if c.Webhooks.AllowPrivate, err = strconv.ParseBool(v); err != nil {
		return c, fmt.Errorf("INVENTORY_WEBHOOK_ALLOW_PRIVATE must be true or false, got %q", v)
	}
	return c, nil
}

// WriteHelp lists every variable with its meaning and default, one a line.
func WriteHelp(w io.Writer) {
	fmt.Fprintln(w, "environment:")
	width := 0
	for _, v := range Variables {
		width = max(width, len(v.Name))
	}
	for _, v := range Variables {
		def := v.Default
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-*s %s (default: %s)\n", width, v.Name, v.Meaning, def)
	}
}
