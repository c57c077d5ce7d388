package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
)

// webhookConfig is the webhooks' part of the configuration.
type webhookConfig struct {
	// Key seals endpoints' signing secrets (INVENTORY_WEBHOOK_KEY, 32 bytes
	// in standard base64). Unset: a development key kept in the database.
	Key []byte
	// RetrySchedule is the wait before each retry of a message
	// (INVENTORY_WEBHOOK_RETRY_SCHEDULE; default 5s,5m,30m,2h,5h,10h,10h).
	RetrySchedule []time.Duration
	// AllowPrivate lets endpoints be on loopback, private and link-local
	// addresses (INVENTORY_WEBHOOK_ALLOW_PRIVATE=true; for development).
	AllowPrivate bool
}

func webhookConfigFromEnv() (webhookConfig, error) {
	c := webhookConfig{RetrySchedule: domain.DefaultWebhookRetrySchedule}
	if v := os.Getenv("INVENTORY_WEBHOOK_KEY"); v != "" {
		key, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(key) != domain.WebhookKeySize {
			return c, fmt.Errorf("INVENTORY_WEBHOOK_KEY must be %d random bytes in standard base64 (e.g. from: openssl rand -base64 32)", domain.WebhookKeySize)
		}
		c.Key = key
	}
	if v := os.Getenv("INVENTORY_WEBHOOK_RETRY_SCHEDULE"); v != "" {
		s, err := domain.ParseRetrySchedule(v)
		if err != nil {
			return c, fmt.Errorf("INVENTORY_WEBHOOK_RETRY_SCHEDULE: %w", err)
		}
		c.RetrySchedule = s
	}
	if v := os.Getenv("INVENTORY_WEBHOOK_ALLOW_PRIVATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("INVENTORY_WEBHOOK_ALLOW_PRIVATE must be true or false, got %q", v)
		}
		c.AllowPrivate = b
	}
	return c, nil
}

// webhookDevKeyName names the development webhook key in service_secrets.
const webhookDevKeyName = "webhook_dev_key"

// webhookOption enables webhooks on the store. Without INVENTORY_WEBHOOK_KEY
// it seals secrets with a random development key, generated once and kept in
// the database (whose service role cannot read it), and warns.
func webhookOption(ctx context.Context, cfg config, env *environment, logger *slog.Logger) (domain.Option, error) {
	wc := domain.WebhookConfig{Key: cfg.Webhooks.Key, RetrySchedule: cfg.Webhooks.RetrySchedule, AllowPrivate: cfg.Webhooks.AllowPrivate}
	if wc.Key != nil {
		return domain.WithWebhooks(wc), nil
	}
	logger.Warn("INVENTORY_WEBHOOK_KEY is unset: webhook secrets are sealed with a development key kept in the database; set it in production")
	fresh := make([]byte, domain.WebhookKeySize)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("generate webhook key: %w", err)
	}
	_, err := env.owner.Exec(ctx, `INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, webhookDevKeyName, fresh)
	if err != nil {
		return nil, fmt.Errorf("store development webhook key: %w", err)
	}
	err = env.owner.QueryRow(ctx, `SELECT value FROM service_secrets WHERE name = $1`, webhookDevKeyName).Scan(&wc.Key)
	if errors.Is(err, pgx.ErrNoRows) || len(wc.Key) != domain.WebhookKeySize {
		return nil, errors.New("development webhook key is missing")
	}
	if err != nil {
		return nil, fmt.Errorf("read development webhook key: %w", err)
	}
	return domain.WithWebhooks(wc), nil
}
