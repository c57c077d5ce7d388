package config_test

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

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
		MaxConnections: 1000, TenantRate: 100, TenantBurst: 200, TenantWrites: 4, TenantWriteWait: 2 * time.Second}
	if c != want {
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
		"INVENTORY_LOG_LEVEL": "debug", "INVENTORY_BEHIND_TLS": "true", "INVENTORY_MAX_CONNECTIONS": "50",
		"INVENTORY_TENANT_RATE": "2.5", "INVENTORY_TENANT_BURST": "10", "INVENTORY_TENANT_WRITES": "0",
		"INVENTORY_TENANT_WRITE_WAIT": "100ms",
	}
	c, err := config.Read(func(name string) string { return env[name] })
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{DatabaseURL: "postgres://db/x", Addr: ":9000", JWTSecret: strings.Repeat("k", 32),
		JWTIssuer: "iss", JWTAudience: "aud", MaxConns: 3, FeedRetention: 2 * time.Hour, ReportTTL: 5 * time.Minute,
		LogLevel: slog.LevelDebug, BehindTLS: true, MaxConnections: 50, TenantRate: 2.5, TenantBurst: 10,
		TenantWrites: 0, TenantWriteWait: 100 * time.Millisecond}
	if c != want {
		t.Fatalf("got %+v, want %+v", c, want)
	}
	for name, bad := range map[string]string{
		"INVENTORY_JWT_SECRET": "short", "INVENTORY_DB_MAX_CONNS": "0", "INVENTORY_FEED_RETENTION": "30m",
		"INVENTORY_REPORT_TTL": "1s", "INVENTORY_LOG_LEVEL": "loud", "INVENTORY_BEHIND_TLS": "maybe",
		"INVENTORY_MAX_CONNECTIONS": "0", "INVENTORY_TENANT_RATE": "-1", "INVENTORY_TENANT_BURST": "0",
		"INVENTORY_TENANT_WRITES": "-1", "INVENTORY_TENANT_WRITE_WAIT": "soon",
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
