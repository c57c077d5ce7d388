package config_test

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/pg"
)

// TestHelpListsEveryVariableRead reads the configuration through a getenv
// that records what is asked for, and checks that help lists exactly those
// variables, each once, with its default.
func TestHelpListsEveryVariableRead(t *testing.T) {
	var read []string
	if _, err := config.Read(func(name string) string { read = append(read, name); return "" }); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, v := range config.Variables {
		listed = append(listed, v.Name)
	}
	slices.Sort(read)
	slices.Sort(listed)
	if !slices.Equal(slices.Compact(read), listed) {
		t.Fatalf("read %v, but Variables lists %v", read, listed)
	}
	var help strings.Builder
	config.WriteHelp(&help)
	for _, v := range config.Variables {
		def := v.Default
		if def == "" {
			def = "unset"
		}
		if n := strings.Count(help.String(), "\n  "+v.Name+" "); n != 1 {
			t.Errorf("help lists %s %d times, want once:\n%s", v.Name, n, help.String())
		}
		if !strings.Contains(help.String(), "(default: "+def+")") {
			t.Errorf("help does not give %s's default %q", v.Name, def)
		}
	}
}

// TestDefaults checks what applies when nothing is set.
func TestDefaults(t *testing.T) {
	c := config.Default()
	want := config.Config{DatabaseURL: pg.DefaultURL, Addr: "localhost:8080", MaxConns: 16,
		FeedRetention: 168 * time.Hour, ReportTTL: 24 * time.Hour, LogLevel: slog.LevelInfo,
		ImportMaxBytes: domain.DefaultImportMaxBytes,
		MaxConnections: 1000, TenantLiveConnections: 1000, TenantRate: 100, TenantBurst: 200, TenantWrites: 4, TenantWriteWait: 2 * time.Second,
		People: config.People{PublicURL: "http://localhost:8080", MailFrom: "Inventory <no-reply@localhost>",
			AccessTTL: 15 * time.Minute, SessionTTL: 720 * time.Hour, InvitationTTL: 168 * time.Hour,
			Argon2: domain.DefaultArgon2, TenantClaim: "/tenant_id", RolesClaim: "/roles"},
		Webhooks: config.Webhooks{RetrySchedule: domain.DefaultWebhookRetrySchedule}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}
}

// TestRead checks that set variables apply and bad ones are refused with the
// variable's name.
func TestRead(t *testing.T) {
	env := map[string]string{
		"DATABASE_URL": "postgres://db/x", "INVENTORY_ADDR": ":9000",
		"INVENTORY_JWT_SECRET": strings.Repeat("k", 32), "INVENTORY_JWT_ISSUER": "iss", "INVENTORY_JWT_AUDIENCE": "aud",
		"INVENTORY_DB_MAX_CONNS": "3", "INVENTORY_FEED_RETENTION": "2h", "INVENTORY_REPORT_TTL": "5m",
		"INVENTORY_LOG_LEVEL": "debug", "INVENTORY_BEHIND_TLS": "true", "INVENTORY_MAX_CONNECTIONS": "50", "INVENTORY_TENANT_LIVE_CONNECTIONS": "20000",
		"INVENTORY_TENANT_RATE": "2.5", "INVENTORY_TENANT_BURST": "10", "INVENTORY_TENANT_WRITES": "0",
		"INVENTORY_TENANT_WRITE_WAIT": "100ms",
		"INVENTORY_SIGNUP":            "closed", "INVENTORY_PUBLIC_URL": "https://console.example.com:8443",
		"INVENTORY_ACCESS_TTL": "5m", "INVENTORY_SESSION_TTL": "2h", "INVENTORY_INVITATION_TTL": "3h",
		"INVENTORY_ARGON2": "m=19456,t=1,p=2", "INVENTORY_CLIENT_IP_HEADER": "X-Real-IP",
		"INVENTORY_SMTP_URL": "smtp://mail:25", "INVENTORY_JWKS_URL": "https://idp/jwks.json",
		"INVENTORY_JWT_TENANT_CLAIM": "/t", "INVENTORY_JWT_ROLES_CLAIM": "/r",
		"INVENTORY_WEBHOOK_KEY":            base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)),
		"INVENTORY_WEBHOOK_RETRY_SCHEDULE": "1s, 2m", "INVENTORY_WEBHOOK_ALLOW_PRIVATE": "true",
		"INVENTORY_IMPORT_MAX_BYTES": "1048576",
	}
	c, err := config.Read(func(name string) string { return env[name] })
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{DatabaseURL: "postgres://db/x", Addr: ":9000", JWTSecret: strings.Repeat("k", 32),
		JWTIssuer: "iss", JWTAudience: "aud", MaxConns: 3, FeedRetention: 2 * time.Hour, ReportTTL: 5 * time.Minute,
		LogLevel: slog.LevelDebug, ImportMaxBytes: 1 << 20, BehindTLS: true, MaxConnections: 50, TenantLiveConnections: 20000, TenantRate: 2.5, TenantBurst: 10,
		TenantWrites: 0, TenantWriteWait: 100 * time.Millisecond,
		People: config.People{SignUpClosed: true, PublicURL: "https://console.example.com:8443",
			MailFrom: "Inventory <no-reply@console.example.com>", SMTPURL: "smtp://mail:25",
			AccessTTL: 5 * time.Minute, SessionTTL: 2 * time.Hour, InvitationTTL: 3 * time.Hour,
			Argon2: domain.Argon2Params{MemoryKiB: 19456, Time: 1, Threads: 2}, ClientIPHeader: "X-Real-IP",
			JWKSURL: "https://idp/jwks.json", TenantClaim: "/t", RolesClaim: "/r", JWKSIssuer: "iss", JWKSAudience: "aud"},
		Webhooks: config.Webhooks{Key: bytes.Repeat([]byte{7}, 32),
			RetrySchedule: []time.Duration{time.Second, 2 * time.Minute}, AllowPrivate: true}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}
	for name, bad := range map[string]string{
		"INVENTORY_JWT_SECRET": "short", "INVENTORY_DB_MAX_CONNS": "0", "INVENTORY_FEED_RETENTION": "30m",
		"INVENTORY_REPORT_TTL": "1s", "INVENTORY_LOG_LEVEL": "loud", "INVENTORY_BEHIND_TLS": "maybe",
		"INVENTORY_MAX_CONNECTIONS": "0", "INVENTORY_TENANT_RATE": "-1", "INVENTORY_TENANT_BURST": "0",
		"INVENTORY_TENANT_WRITES": "-1", "INVENTORY_TENANT_WRITE_WAIT": "soon",
		"INVENTORY_SIGNUP": "maybe", "INVENTORY_PUBLIC_URL": "console.example.com", "INVENTORY_ACCESS_TTL": "30s",
		"INVENTORY_SESSION_TTL": "59m", "INVENTORY_INVITATION_TTL": "soon", "INVENTORY_ARGON2": "m=1024,t=1,p=1",
		"INVENTORY_WEBHOOK_KEY": base64.StdEncoding.EncodeToString([]byte("short")), "INVENTORY_WEBHOOK_RETRY_SCHEDULE": "5s,soon",
		"INVENTORY_WEBHOOK_ALLOW_PRIVATE": "maybe", "INVENTORY_IMPORT_MAX_BYTES": "1000",
	} {
		_, err := config.Read(func(n string) string {
			if n == name {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v, want one naming the variable", name, bad, err)
		}
	}
}
