package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/tenancy"
)

type pgxpoolPool = pgxpool.Pool

// config is the service's configuration, read from the environment.
type config struct {
	DatabaseURL string // DATABASE_URL
	Addr        string // INVENTORY_ADDR
	JWTSecret   string // INVENTORY_JWT_SECRET; empty: a development key kept in the database
	JWTIssuer   string // INVENTORY_JWT_ISSUER
	JWTAudience string // INVENTORY_JWT_AUDIENCE
	MaxConns    int32  // INVENTORY_DB_MAX_CONNS; 0: pgxpool's default
	// FeedRetention is how long change-feed events are kept for resuming
	// subscribers (INVENTORY_FEED_RETENTION, a Go duration; default 168h).
	FeedRetention time.Duration
	// ReportTTL is how long a built report's file is kept
	// (INVENTORY_REPORT_TTL, a Go duration; default 24h).
	ReportTTL time.Duration
	LogLevel  slog.Level // INVENTORY_LOG_LEVEL: debug, info, warn, error
	// Webhooks: see webhooks_config.go.
	Webhooks webhookConfig
}

// minSecretLen is the shortest HS256 key accepted: 256 bits.
const minSecretLen = 32

func configFromEnv() (config, error) {
	c := config{
		DatabaseURL: envOr("DATABASE_URL", pg.DefaultURL),
		Addr:        envOr("INVENTORY_ADDR", "localhost:8080"),
		JWTSecret:   os.Getenv("INVENTORY_JWT_SECRET"),
		JWTIssuer:   os.Getenv("INVENTORY_JWT_ISSUER"),
		JWTAudience: os.Getenv("INVENTORY_JWT_AUDIENCE"),
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < minSecretLen {
		return c, fmt.Errorf("INVENTORY_JWT_SECRET must be at least %d bytes long", minSecretLen)
	}
	c.MaxConns = 16 // an operation holds its connection for a few round trips; pgxpool's 4 per CPU is too few
	if v := os.Getenv("INVENTORY_DB_MAX_CONNS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			return c, fmt.Errorf("INVENTORY_DB_MAX_CONNS must be a positive number, got %q", v)
		}
		c.MaxConns = int32(n)
	}
	c.FeedRetention = 7 * 24 * time.Hour
	if v := os.Getenv("INVENTORY_FEED_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return c, fmt.Errorf("INVENTORY_FEED_RETENTION must be a duration of at least 1h (e.g. 168h), got %q", v)
		}
		c.FeedRetention = d
	}
	c.ReportTTL = 24 * time.Hour
	if v := os.Getenv("INVENTORY_REPORT_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return c, fmt.Errorf("INVENTORY_REPORT_TTL must be a duration of at least 1m (e.g. 24h), got %q", v)
		}
		c.ReportTTL = d
	}
	var err error
	if c.Webhooks, err = webhookConfigFromEnv(); err != nil {
		return c, err
	}
	if v := os.Getenv("INVENTORY_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("INVENTORY_LOG_LEVEL: %w", err)
		}
	}
	return c, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// devKeyName names the development signing key in service_secrets.
const devKeyName = "jwt_dev_key"

// tokenConfig returns how tokens are signed and checked. Without
// INVENTORY_JWT_SECRET it uses a random development key, generated once and
// kept in the database so that serve and token agree, and warns.
func tokenConfig(ctx context.Context, cfg config, env *environment, logger *slog.Logger) (tenancy.Config, error) {
	tc := tenancy.Config{Key: []byte(cfg.JWTSecret), Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience}
	if cfg.JWTSecret != "" {
		return tc, nil
	}
	logger.Warn("INVENTORY_JWT_SECRET is unset: using a development signing key kept in the database; set it in production")
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return tc, fmt.Errorf("generate development key: %w", err)
	}
	_, err := env.owner.Exec(ctx, `INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, devKeyName, fresh)
	if err != nil {
		return tc, fmt.Errorf("store development key: %w", err)
	}
	err = env.owner.QueryRow(ctx, `SELECT value FROM service_secrets WHERE name = $1`, devKeyName).Scan(&tc.Key)
	if errors.Is(err, pgx.ErrNoRows) || len(tc.Key) == 0 {
		return tc, errors.New("development key is missing")
	}
	if err != nil {
		return tc, fmt.Errorf("read development key: %w", err)
	}
	return tc, nil
}
