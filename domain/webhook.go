package domain

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The webhook event types an endpoint may subscribe to. WebhookAllTypes
// subscribes to every one, present and future.
const (
	WebhookStockChanged       = "stock.changed"
	WebhookAlertRaised        = "alert.raised"
	WebhookAlertResolved      = "alert.resolved"
	WebhookReservationExpired = "reservation.expired"
	WebhookReportCompleted    = "report.completed"
	WebhookAllTypes           = "*"
)

// webhookTypes lists the event types in the order one event's messages are
// sent.
var webhookTypes = []string{WebhookStockChanged, WebhookReservationExpired, WebhookAlertRaised,
	WebhookAlertResolved, WebhookReportCompleted}

// DefaultWebhookRetrySchedule is the Standard Webhooks schedule: the waits
// before the second, third, ... attempt of a message.
var DefaultWebhookRetrySchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// WebhookKeySize is the size of the key that seals endpoints' signing
// secrets (AES-256).
const WebhookKeySize = 32

// WebhookConfig configures webhooks.
type WebhookConfig struct {
	// Key seals every endpoint's signing secret at rest (AES-256-GCM); it must
	// be WebhookKeySize bytes and stay the same across restarts.
	Key []byte
	// RetrySchedule is the wait before each retry of a message; a message
	// that fails once more than it has entries fails for good. Nil takes
	// DefaultWebhookRetrySchedule.
	RetrySchedule []time.Duration
	// AllowPrivate lets endpoints be on loopback, private and link-local
	// addresses (for development and tests).
	AllowPrivate bool
	// Resolver resolves endpoint hosts when they are created or changed; nil
	// takes the system's.
	Resolver Resolver
	// AttemptTimeout bounds one attempt; 0 takes DefaultWebhookTimeout.
	// Tests shorten it.
	AttemptTimeout time.Duration
}

// DefaultWebhookTimeout is how long a receiver has to answer an attempt.
const DefaultWebhookTimeout = 10 * time.Second

// WithWebhooks enables webhooks with the configuration.
func WithWebhooks(cfg WebhookConfig) Option {
	return func(s *Store) {
		if cfg.RetrySchedule == nil {
			cfg.RetrySchedule = DefaultWebhookRetrySchedule
		}
		if cfg.AttemptTimeout <= 0 {
			cfg.AttemptTimeout = DefaultWebhookTimeout
		}
		s.webhooks = &cfg
		s.messages = newWebhookMessageCache(webhookMessageCacheSize)
	}
}

// WebhookConfig returns the webhook configuration, or nil when webhooks are
// not enabled.
func (s *Store) WebhookConfig() *WebhookConfig { return s.webhooks }

// ParseRetrySchedule reads a retry schedule written as comma-separated Go
// durations, e.g. "5s,5m,30m,2h,5h,10h,10h".
func ParseRetrySchedule(v string) ([]time.Duration, error) {
	var out []time.Duration
	for _, part := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("retry schedule %q: %q is not a non-negative duration", v, part)
		}
		out = append(out, d)
	}
	return out, nil
}

// WebhookEndpoint is a URL that receives the tenant's events of the types it
// names, in commit order.
type WebhookEndpoint struct {
	ID             string
	URL            string
	Description    *string
	EventTypes     []string
	Enabled        bool
	DisabledReason *string
	CreatedAt      time.Time
}

const webhookEndpointColumns = `id, url, description, event_types, enabled, disabled_reason, created_at`

// WebhookEndpointInput is what createWebhookEndpoint and
// updateWebhookEndpoint take; nil fields of an update stay as they are.
type WebhookEndpointInput struct {
	URL         *string
	EventTypes  []string
	Description *string
	Enabled     *bool
}

// CreateWebhookEndpoint registers an endpoint and returns it with its signing
// secret (whsec_...), which is never shown again. It receives the events that
// commit from now on.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, sc Scope, in WebhookEndpointInput) (*WebhookEndpoint, string, error) {
	cfg, err := s.webhookConfig()
	if err != nil {
		return nil, "", err
	}
	if in.URL == nil {
		return nil, "", newError(CodeValidation, "url", "url is required")
	}
	u, err := checkWebhookURL(ctx, *in.URL, cfg)
	if err != nil {
		return nil, "", err
	}
	types, err := cleanEventTypes(in.EventTypes)
	if err != nil {
		return nil, "", err
	}
	desc, err := optionalText("description", in.Description, 500)
	if err != nil {
		return nil, "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", fmt.Errorf("generate webhook secret: %w", err)
	}
	secret := "whsec_" + base64.StdEncoding.EncodeToString(raw)
	id := uuid.NewString()
	sealed, err := sealSecret(cfg.Key, sc.TenantID, id, secret)
	if err != nil {
		return nil, "", err
	}
	var ep *WebhookEndpoint
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		head, err := tenantFeedHead(ctx, tx, sc)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, secret_sealed, cursor_xid, cursor_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7::text::xid8, $8) RETURNING `+webhookEndpointColumns,
			sc.TenantID, id, u, desc, types, sealed, strconv.FormatUint(head.XID, 10), head.ID)
		ep, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[WebhookEndpoint])
		return err
	})
	if err != nil {
		return nil, "", wrap(err, "create webhook endpoint")
	}
	return ep, secret, nil
}

// UpdateWebhookEndpoint changes an endpoint's URL, event types, description
// or state. Enabling a disabled endpoint resumes its deliveries from the
// event that failed, so nothing is skipped.
func (s *Store) UpdateWebhookEndpoint(ctx context.Context, sc Scope, id string, in WebhookEndpointInput) (*WebhookEndpoint, error) {
	cfg, err := s.webhookConfig()
	if err != nil {
		return nil, err
	}
	if id, err = parseID("id", id); err != nil {
		return nil, err
	}
	var u *string
	if in.URL != nil {
		v, err := checkWebhookURL(ctx, *in.URL, cfg)
		if err != nil {
			return nil, err
		}
		u = &v
	}
	var types []string
	if in.EventTypes != nil {
		if types, err = cleanEventTypes(in.EventTypes); err != nil {
			return nil, err
		}
	}
	desc, err := optionalText("description", in.Description, 500)
	if err != nil {
		return nil, err
	}
	var ep *WebhookEndpoint
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var reason *string
		if in.Enabled != nil && !*in.Enabled {
			r := "disabled by " + sc.Actor
			reason = &r
		}
		rows, _ := tx.Query(ctx, `UPDATE webhook_endpoints SET
				url = coalesce($3, url),
				event_types = coalesce($4, event_types),
				description = coalesce($5, description),
				enabled = coalesce($6, enabled),
				disabled_reason = CASE WHEN $6::boolean IS NULL THEN disabled_reason WHEN $6 THEN NULL ELSE $7 END
			WHERE tenant_id = $1 AND id = $2 RETURNING `+webhookEndpointColumns,
			sc.TenantID, id, u, types, desc, in.Enabled, reason)
		ep, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[WebhookEndpoint])
		if errors.Is(err, pgx.ErrNoRows) {
			return newError(CodeNotFound, "id", "no webhook endpoint has id %q", id)
		}
		if err != nil || in.Enabled == nil || !*in.Enabled {
			return err
		}
		// The message that failed for good is tried again, first.
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries d SET status = 'PENDING', attempts = 0,
				next_attempt_at = now(), updated_at = now()
			FROM webhook_endpoints e
			WHERE d.tenant_id = $1 AND d.endpoint_id = $2 AND d.status = 'FAILED'
			AND e.tenant_id = d.tenant_id AND e.id = d.endpoint_id AND (d.event_xid, d.event_id) > (e.cursor_xid, e.cursor_id)`,
			sc.TenantID, id); err != nil {
			return fmt.Errorf("resume deliveries: %w", err)
		}
		return s.scheduleWebhookDelivery(ctx, tx, sc, id)
	})
	if err != nil {
		return nil, wrap(err, "update webhook endpoint")
	}
	return ep, nil
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log, and
// returns it as it was.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, sc Scope, id string) (*WebhookEndpoint, error) {
	id, err := parseID("id", id)
	if err != nil {
		return nil, err
	}
	var ep *WebhookEndpoint
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING `+webhookEndpointColumns,
			sc.TenantID, id)
		ep, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[WebhookEndpoint])
		if errors.Is(err, pgx.ErrNoRows) {
			return newError(CodeNotFound, "id", "no webhook endpoint has id %q", id)
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "delete webhook endpoint")
	}
	return ep, nil
}

// WebhookEndpoint returns one endpoint, or nil when the tenant has none with
// that id.
func (s *Store) WebhookEndpoint(ctx context.Context, sc Scope, id string) (*WebhookEndpoint, error) {
	if !ValidID(id) {
		return nil, nil
	}
	rows, err := queryRows[WebhookEndpoint](ctx, s, sc, `SELECT `+webhookEndpointColumns+` FROM webhook_endpoints
		WHERE tenant_id = $1 AND id = $2`, sc.TenantID, id)
	if err != nil || len(rows) == 0 {
		return nil, wrap(err, "read webhook endpoint")
	}
	return rows[0], nil
}

// WebhookEndpoints lists the tenant's endpoints, newest first.
func (s *Store) WebhookEndpoints(ctx context.Context, sc Scope, pr PageRequest) (*Page[*WebhookEndpoint], error) {
	return listNewestFirst(ctx, s, sc, newListQuery(sc), "webhook_endpoints", webhookEndpointColumns, "webhook_endpoint", pr,
		pgx.RowToAddrOfStructByPos[WebhookEndpoint], func(e *WebhookEndpoint) (time.Time, string) { return e.CreatedAt, e.ID })
}

// cleanEventTypes checks and de-duplicates an endpoint's event types.
func cleanEventTypes(types []string) ([]string, error) {
	if len(types) == 0 {
		return nil, newError(CodeValidation, "eventTypes", "eventTypes must name at least one event type (or \"*\")")
	}
	var out []string
	for _, t := range types {
		t = strings.TrimSpace(t)
		if t != WebhookAllTypes && !slices.Contains(webhookTypes, t) {
			return nil, newError(CodeValidation, "eventTypes", "unknown event type %q: use one of %s, or *",
				truncate(t, 64), strings.Join(webhookTypes, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Store) webhookConfig() (*WebhookConfig, error) {
	if s.webhooks == nil || len(s.webhooks.Key) != WebhookKeySize {
		return nil, errors.New("webhooks are not configured with a sealing key")
	}
	return s.webhooks, nil
}

// tenantFeedHead returns the position of the tenant's newest final event:
// every event that commits from now on comes after it.
func tenantFeedHead(ctx context.Context, tx pgx.Tx, sc Scope) (FeedCursor, error) {
	c, err := scanCursor(tx.QueryRow(ctx, `SELECT xid::text AS xid_text, id FROM events
		WHERE tenant_id = $1 AND `+finalEvents+` ORDER BY events.xid DESC, events.id DESC LIMIT 1`, sc.TenantID))
	if errors.Is(err, pgx.ErrNoRows) {
		return FeedCursor{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("read tenant feed head: %w", err)
	}
	return c, nil
}

// sealSecret encrypts an endpoint's signing secret with the server key,
// bound to the endpoint, so that a sealed secret copied to another row does
// not open.
func sealSecret(key []byte, tenantID, endpointID, secret string) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal webhook secret: %w", err)
	}
	return aead.Seal(nonce, nonce, []byte(secret), []byte(tenantID+"/"+endpointID)), nil
}

// openSecret decrypts what sealSecret sealed.
func openSecret(key []byte, tenantID, endpointID string, sealed []byte) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("open webhook secret: too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(tenantID+"/"+endpointID))
	if err != nil {
		return "", fmt.Errorf("open webhook secret (was the webhook key changed?): %w", err)
	}
	return string(plain), nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("webhook key: %w", err)
	}
	return cipher.NewGCM(block)
}
