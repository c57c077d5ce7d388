package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// WebhookDeliveryStatus is where a message to an endpoint is.
type WebhookDeliveryStatus string

// The statuses of a delivery.
const (
	WebhookPending   WebhookDeliveryStatus = "PENDING"
	WebhookDelivered WebhookDeliveryStatus = "DELIVERED"
	WebhookFailed    WebhookDeliveryStatus = "FAILED"
)

// WebhookDelivery is one message to one endpoint, as the delivery log shows
// it: its attempts and how the last one went.
type WebhookDelivery struct {
	ID             string
	EndpointID     string
	MessageID      string
	EventType      string
	Status         WebhookDeliveryStatus
	Attempts       int
	LastStatusCode *int
	LastError      *string
	LastLatencyMs  *int
	NextAttemptAt  *time.Time
	DeliveredAt    *time.Time
	CreatedAt      time.Time
}

const webhookDeliveryColumns = `id, endpoint_id, message_id, event_type, status, attempts, last_status_code,
	last_error, last_latency_ms, next_attempt_at, delivered_at, created_at`

// WebhookMessage is one event of one type, as it is sent: ID is its
// webhook-id header, the same for every attempt.
type WebhookMessage struct {
	ID    string
	Type  string
	Event FeedCursor
	Body  []byte
	// Attempts is how many attempts were made before this one.
	Attempts int
}

// WebhookTarget is where and how an endpoint's messages are sent.
type WebhookTarget struct {
	TenantID string
	ID       string
	URL      string
	// Secret is the endpoint's signing secret, whsec_<base64>.
	Secret string
}

// WebhookBatch is an endpoint's next messages, in commit order.
type WebhookBatch struct {
	Target WebhookTarget
	// Messages are to be sent in order; the first failure stops the batch.
	Messages []WebhookMessage
	// Done is true when the endpoint is gone or disabled: nothing to send.
	Done bool
	// Wait, when positive, is how long until the first message is due again.
	Wait time.Duration

	events  []FeedCursor // every event the batch covers, in order
	advance FeedCursor   // where the cursor goes once every message is delivered
	start   FeedCursor   // the cursor the batch was read from
}

// Empty reports whether the batch has nothing to send.
func (b *WebhookBatch) Empty() bool { return len(b.Messages) == 0 }

// Advanced reports whether the batch, once delivered, moves the endpoint's
// cursor (past events of other types, at least).
func (b *WebhookBatch) Advanced() bool { return b.advance.After(b.start) }

// WebhookAttempt is how one attempt to send a message went.
type WebhookAttempt struct {
	Message    *WebhookMessage
	StatusCode int // 0 when no answer came
	Err        string
	Latency    time.Duration
}

// WebhookOutcome is how a batch went: the messages delivered, a prefix of
// the batch's, and the one that failed and stopped it, if any.
type WebhookOutcome struct {
	Delivered []WebhookAttempt
	Failed    *WebhookAttempt
}

// WebhookScheduler is what a Scheduler also implements when the service
// delivers webhooks: it enqueues an endpoint's delivery, and a redelivery, in
// the caller's transaction.
type WebhookScheduler interface {
	ScheduleWebhookDelivery(ctx context.Context, tx pgx.Tx, tenantID, endpointID string) error
	ScheduleWebhookRedelivery(ctx context.Context, tx pgx.Tx, tenantID, deliveryID string) error
}

func (s *Store) webhookScheduler() WebhookScheduler {
	ws, _ := s.scheduler.(WebhookScheduler)
	return ws
}

func (s *Store) scheduleWebhookDelivery(ctx context.Context, tx pgx.Tx, sc Scope, endpointID string) error {
	if ws := s.webhookScheduler(); ws != nil {
		return ws.ScheduleWebhookDelivery(ctx, tx, sc.TenantID, endpointID)
	}
	return nil
}

// webhookKinds returns the outbox event kinds that carry the types.
func webhookKinds(types []string) []string {
	all := slices.Contains(types, WebhookAllTypes)
	var kinds []string
	add := func(t, kind string) {
		if (all || slices.Contains(types, t)) && !slices.Contains(kinds, kind) {
			kinds = append(kinds, kind)
		}
	}
	add(WebhookStockChanged, EventStockChanged)
	add(WebhookReservationExpired, EventStockChanged)
	add(WebhookAlertRaised, EventAlertRaised)
	add(WebhookAlertResolved, EventAlertResolved)
	add(WebhookReportCompleted, EventReportUpdated)
	return kinds
}

// webhookMessages returns the messages an event makes for an endpoint that
// wants the types, in the order they are sent. fc is the event's tenant's
// feed cursors: a message carries the event's cursor, sealed stably so that
// every attempt sends the same body, and its id is the position's tag, the
// same in every process and attempt, and as opaque as a cursor.
func webhookMessages(fc listCursors, e *Event, types []string) ([]WebhookMessage, error) {
	cursor := fc.sealStable(e.Cursor.position())
	wants := func(t string) bool { return slices.Contains(types, WebhookAllTypes) || slices.Contains(types, t) }
	var out []WebhookMessage
	add := func(t string, data any) error {
		body, err := json.Marshal(struct {
			Type      string    `json:"type"`
			Timestamp time.Time `json:"timestamp"`
			Data      any       `json:"data"`
		}{t, e.CreatedAt.UTC(), data})
		if err != nil {
			return fmt.Errorf("encode %s message: %w", t, err)
		}
		out = append(out, WebhookMessage{ID: "msg_" + fc.tag(e.Cursor.position()) + "_" + t, Type: t, Event: e.Cursor, Body: body})
		return nil
	}
	switch e.Kind {
	case EventStockChanged:
		c, err := e.StockChange()
		if err != nil {
			return nil, err
		}
		if wants(WebhookStockChanged) {
			if err := add(WebhookStockChanged, stockChangedData(cursor, c)); err != nil {
				return nil, err
			}
		}
		if wants(WebhookReservationExpired) && c.Operation == "expireReservation" && len(c.Reservations) > 0 {
			if err := add(WebhookReservationExpired, struct {
				Cursor      string         `json:"cursor"`
				Reservation Reservation    `json:"reservation"`
				StockLevels []webhookLevel `json:"stockLevels"`
			}{cursor, c.Reservations[0], webhookLevels(c.Levels)}); err != nil {
				return nil, err
			}
		}
	case EventAlertRaised, EventAlertResolved:
		if wants(e.Kind) {
			if err := add(e.Kind, e.Payload); err != nil {
				return nil, err
			}
		}
	case EventReportUpdated:
		var r Report
		if err := json.Unmarshal(e.Payload, &r); err != nil {
			return nil, fmt.Errorf("decode report event: %w", err)
		}
		if wants(WebhookReportCompleted) && (r.Status == ReportSucceeded || r.Status == ReportFailed) {
			if err := add(WebhookReportCompleted, e.Payload); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// webhookLevel is a level as a webhook carries it, with its onHand.
type webhookLevel struct {
	Level
	OnHand int64 `json:"onHand"`
}

func webhookLevels(levels []Level) []webhookLevel {
	out := make([]webhookLevel, len(levels))
	for i := range levels {
		out[i] = webhookLevel{Level: levels[i], OnHand: levels[i].OnHand()}
	}
	return out
}

// stockChangedData is a stock.changed message's data: the event as the
// stockChanged subscription gives it, so that a receiver can resume the
// pulled feed from its cursor and check each level's version.
func stockChangedData(cursor string, c *StockChange) any {
	return struct {
		Cursor      string         `json:"cursor"`
		OperationID string         `json:"operationId"`
		Operation   string         `json:"operation"`
		Actor       string         `json:"actor"`
		Reference   *string        `json:"reference"`
		Reason      *string        `json:"reason"`
		Movements   []Movement     `json:"movements"`
		StockLevels []webhookLevel `json:"stockLevels"`
		CreatedAt   time.Time      `json:"createdAt"`
	}{cursor, c.OperationID, c.Operation, c.Actor, c.Reference, c.Reason, c.Movements, webhookLevels(c.Levels), c.CreatedAt}
}

// NextWebhookBatch returns up to limit of the endpoint's next events as
// messages, after its cursor, in commit order, leaving out the messages
// already delivered. It reads only final events, like every reader of the
// feed, so an event that commits late is never skipped.
func (s *Store) NextWebhookBatch(ctx context.Context, sc Scope, endpointID string, limit int) (*WebhookBatch, error) {
	cfg, err := s.webhookConfig()
	if err != nil {
		return nil, err
	}
	b := &WebhookBatch{Target: WebhookTarget{TenantID: sc.TenantID, ID: endpointID}}
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var (
			enabled bool
			types   []string
			sealed  []byte
			xid     string
		)
		err := tx.QueryRow(ctx, `SELECT url, secret_sealed, event_types, enabled, cursor_xid::text, cursor_id
			FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`, sc.TenantID, endpointID).
			Scan(&b.Target.URL, &sealed, &types, &enabled, &xid, &b.start.ID)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && !enabled {
			b.Done = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("read endpoint: %w", err)
		}
		if b.start.XID, err = strconv.ParseUint(xid, 10, 64); err != nil {
			return fmt.Errorf("parse cursor: %w", err)
		}
		if b.Target.Secret, err = openSecret(cfg.Key, sc.TenantID, endpointID, sealed); err != nil {
			return err
		}
		// The head is read first: every event up to it is final by the time
		// the events are read, so when fewer than limit come back, the
		// cursor may move to the head past events of other kinds.
		head, err := tenantFeedHead(ctx, tx, sc)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events
			WHERE tenant_id = $1 AND kind = ANY($2) AND (xid, id) > ($3::text::xid8, $4) AND `+finalEvents+`
			ORDER BY events.xid, events.id LIMIT $5`,
			sc.TenantID, webhookKinds(types), strconv.FormatUint(b.start.XID, 10), b.start.ID, limit)
		if err != nil {
			return err
		}
		events, err := scanEvents(rows)
		if err != nil {
			return fmt.Errorf("read events: %w", err)
		}
		b.advance = b.start
		for i := range events {
			msgs, err := s.messages.messages(s.cursors(sc, feedList), &events[i], types)
			if err != nil {
				return err
			}
			b.events = append(b.events, events[i].Cursor)
			b.Messages = append(b.Messages, msgs...)
			b.advance = events[i].Cursor
		}
		if len(events) < limit && head.After(b.advance) {
			b.advance = head
		}
		return s.skipDelivered(ctx, tx, sc, b)
	})
	if err != nil {
		return nil, wrap(err, "read webhook batch")
	}
	return b, nil
}

// skipDelivered drops the batch's messages already delivered (by a
// redelivery, or before a failure later in the same event), and carries over
// the attempts of the one pending.
func (s *Store) skipDelivered(ctx context.Context, tx pgx.Tx, sc Scope, b *WebhookBatch) error {
	if len(b.Messages) == 0 {
		return nil
	}
	ids := make([]string, len(b.Messages))
	for i, m := range b.Messages {
		ids[i] = m.ID
	}
	rows, _ := tx.Query(ctx, `SELECT message_id, status, attempts, next_attempt_at FROM webhook_deliveries
		WHERE tenant_id = $1 AND endpoint_id = $2 AND message_id = ANY($3)`, sc.TenantID, b.Target.ID, ids)
	type state struct {
		status   WebhookDeliveryStatus
		attempts int
		next     *time.Time
	}
	known := map[string]state{}
	var (
		id string
		st state
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &st.status, &st.attempts, &st.next}, func() error {
		known[id] = st
		return nil
	})
	if err != nil {
		return fmt.Errorf("read deliveries: %w", err)
	}
	kept := b.Messages[:0]
	for _, m := range b.Messages {
		st, ok := known[m.ID]
		if ok && st.status == WebhookDelivered {
			continue
		}
		m.Attempts = st.attempts
		if len(kept) == 0 && ok && st.next != nil {
			b.Wait = time.Until(*st.next)
		}
		kept = append(kept, m)
	}
	b.Messages = kept
	return nil
}

// RecordWebhookOutcome writes how a batch went: the delivered messages to
// the log, the endpoint's cursor past every event whose messages were all
// delivered, and, for a failure, the attempt and the time of the next one.
// A message that has failed its last attempt is FAILED and disables the
// endpoint with the reason. It returns how long until the next attempt (0
// when nothing failed or the endpoint is now disabled).
func (s *Store) RecordWebhookOutcome(ctx context.Context, sc Scope, b *WebhookBatch, o WebhookOutcome) (time.Duration, error) {
	cfg, err := s.webhookConfig()
	if err != nil {
		return 0, err
	}
	// The cursor moves past every event whose messages were all delivered:
	// when the batch stopped early (a failure, or the worker being stopped),
	// only up to the event before the first message not delivered.
	advance := b.advance
	if len(o.Delivered) < len(b.Messages) {
		stop := b.Messages[len(o.Delivered)].Event
		advance = b.start
		for _, c := range b.events {
			if c.Before(stop) {
				advance = c
			}
		}
	}
	var wait time.Duration
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		queueDelivered(batch, sc, b.Target.ID, o.Delivered)
		if f := o.Failed; f != nil {
			n := f.Message.Attempts + 1
			if n > len(cfg.RetrySchedule) {
				queueAttempt(batch, sc, b.Target.ID, *f, WebhookFailed, nil)
				reason := fmt.Sprintf("message %s (%s) failed %d attempts; last: %s", f.Message.ID, f.Message.Type, n, attemptError(*f))
				batch.Queue(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = $3 WHERE tenant_id = $1 AND id = $2`,
					sc.TenantID, b.Target.ID, truncate(reason, 1000))
			} else {
				wait = jitter(cfg.RetrySchedule[n-1])
				next := time.Now().Add(wait)
				queueAttempt(batch, sc, b.Target.ID, *f, WebhookPending, &next)
			}
		}
		if advance.After(b.start) {
			batch.Queue(`UPDATE webhook_endpoints SET cursor_xid = $3::text::xid8, cursor_id = $4
				WHERE tenant_id = $1 AND id = $2 AND (cursor_xid, cursor_id) < ($3::text::xid8, $4)`,
				sc.TenantID, b.Target.ID, strconv.FormatUint(advance.XID, 10), advance.ID)
		}
		if batch.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, batch).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("record webhook outcome: %w", err)
	}
	return wait, nil
}

// queueAttempt writes one attempt of a message to the delivery log, creating
// its row on the first.
func queueAttempt(b *pgx.Batch, sc Scope, endpointID string, a WebhookAttempt, status WebhookDeliveryStatus, next *time.Time) {
	var code *int
	if a.StatusCode != 0 {
		code = &a.StatusCode
	}
	var errText *string
	if status != WebhookDelivered {
		e := truncate(attemptError(a), 1000)
		errText = &e
	}
	latency := int(a.Latency.Milliseconds())
	b.Queue(`INSERT INTO webhook_deliveries AS d (tenant_id, id, endpoint_id, message_id, event_type, event_xid, event_id,
			status, attempts, last_status_code, last_error, last_latency_ms, next_attempt_at, delivered_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6::text::xid8, $7, $8, 1, $9, $10, $11, $12, CASE WHEN $8 = 'DELIVERED' THEN now() END,
			clock_timestamp())
		ON CONFLICT (tenant_id, endpoint_id, message_id) DO UPDATE SET
			status = EXCLUDED.status, attempts = d.attempts + 1, last_status_code = EXCLUDED.last_status_code,
			last_error = EXCLUDED.last_error, last_latency_ms = EXCLUDED.last_latency_ms,
			next_attempt_at = EXCLUDED.next_attempt_at, delivered_at = coalesce(EXCLUDED.delivered_at, d.delivered_at),
			updated_at = now()`,
		sc.TenantID, uuid.NewString(), endpointID, a.Message.ID, a.Message.Type,
		strconv.FormatUint(a.Message.Event.XID, 10), a.Message.Event.ID, string(status), code, errText, latency, next)
}

// queueDelivered writes delivered messages to the log in one statement:
// a batch's worth of first attempts, mostly.
func queueDelivered(b *pgx.Batch, sc Scope, endpointID string, delivered []WebhookAttempt) {
	if len(delivered) == 0 {
		return
	}
	n := len(delivered)
	ids, msgs, types, xids := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	eventIDs, codes, latencies := make([]int64, n), make([]int32, n), make([]int32, n)
	for i, a := range delivered {
		ids[i], msgs[i], types[i] = uuid.NewString(), a.Message.ID, a.Message.Type
		xids[i], eventIDs[i] = strconv.FormatUint(a.Message.Event.XID, 10), a.Message.Event.ID
		codes[i], latencies[i] = int32(a.StatusCode), int32(a.Latency.Milliseconds())
	}
	b.Queue(`INSERT INTO webhook_deliveries AS d (tenant_id, id, endpoint_id, message_id, event_type, event_xid, event_id,
			status, attempts, last_status_code, last_latency_ms, delivered_at, created_at)
		SELECT $1, u.id, $2, u.message_id, u.event_type, u.xid::xid8, u.event_id, 'DELIVERED', 1, u.code, u.latency, now(),
			clock_timestamp() + u.ord * interval '1 microsecond'
		FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[])
			WITH ORDINALITY AS u(id, message_id, event_type, xid, event_id, code, latency, ord)
		ON CONFLICT (tenant_id, endpoint_id, message_id) DO UPDATE SET
			status = 'DELIVERED', attempts = d.attempts + 1, last_status_code = EXCLUDED.last_status_code,
			last_error = NULL, last_latency_ms = EXCLUDED.last_latency_ms, next_attempt_at = NULL,
			delivered_at = EXCLUDED.delivered_at, updated_at = now()`,
		sc.TenantID, endpointID, ids, msgs, types, xids, eventIDs, codes, latencies)
}

func attemptError(a WebhookAttempt) string {
	if a.Err != "" {
		return a.Err
	}
	if a.StatusCode != 0 && (a.StatusCode < 200 || a.StatusCode > 299) {
		return fmt.Sprintf("HTTP status %d", a.StatusCode)
	}
	return ""
}

// jitter adds up to a tenth to d, so that endpoints that failed together do
// not all retry at the same instant.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d + time.Duration(rand.Int64N(int64(d/10)+1))
}

// WebhookEndpointRef names an endpoint of some tenant.
type WebhookEndpointRef struct {
	TenantID string
	ID       string
}

// WebhookEndpointsBehind lists, across tenants, the enabled endpoints that
// have final events after their cursor and no retry waiting: those whose
// delivery job should run now. It runs as the system role (inSystem), which
// may read the endpoints' and deliveries' columns this needs and nothing
// else of them, and change none (migration 00012), as the hub reads the feed.
func (s *Store) WebhookEndpointsBehind(ctx context.Context) ([]WebhookEndpointRef, error) {
	var out []WebhookEndpointRef
	err := s.inSystem(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT e.tenant_id::text, e.id::text FROM webhook_endpoints e
			WHERE e.enabled
			AND EXISTS (SELECT 1 FROM events v WHERE v.tenant_id = e.tenant_id
				AND (v.xid, v.id) > (e.cursor_xid, e.cursor_id) AND v.`+finalEvents+`)
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.tenant_id = e.tenant_id AND d.endpoint_id = e.id
				AND d.status = 'PENDING' AND d.next_attempt_at > now() AND (d.event_xid, d.event_id) > (e.cursor_xid, e.cursor_id))
			ORDER BY e.tenant_id, e.id`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[WebhookEndpointRef])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints behind: %w", err)
	}
	return out, nil
}

// WebhookDeliveries lists an endpoint's delivery log, newest first. An
// endpoint that does not exist is NOT_FOUND.
func (s *Store) WebhookDeliveries(ctx context.Context, sc Scope, endpointID string, pr PageRequest) (*Page[*WebhookDelivery], error) {
	ep, err := s.WebhookEndpoint(ctx, sc, endpointID)
	if err != nil {
		return nil, err
	}
	if ep == nil {
		return nil, &Error{Code: CodeNotFound, Field: []string{"endpointId"}, Message: fmt.Sprintf("no webhook endpoint has id %q", truncate(endpointID, 64))}
	}
	q := newListQuery(sc)
	q.where("endpoint_id = $%d", ep.ID)
	return listNewestFirst(ctx, s, sc, q, "webhook_deliveries", webhookDeliveryColumns, "webhook_delivery", pr,
		pgx.RowToAddrOfStructByPos[WebhookDelivery], func(d *WebhookDelivery) (time.Time, string) { return d.CreatedAt, d.ID })
}

// RedeliverWebhook sends a logged message again (its webhook-id unchanged,
// so a receiver that already has it can tell), out of the endpoint's order,
// and returns the delivery, PENDING until the attempt is made.
func (s *Store) RedeliverWebhook(ctx context.Context, sc Scope, deliveryID string) (*WebhookDelivery, error) {
	deliveryID, err := parseID("deliveryId", deliveryID)
	if err != nil {
		return nil, err
	}
	ws := s.webhookScheduler()
	if ws == nil {
		return nil, errors.New("redeliver webhook: no job scheduler")
	}
	var d *WebhookDelivery
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		var kept bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events v JOIN webhook_deliveries d
				ON v.tenant_id = d.tenant_id AND v.xid = d.event_xid AND v.id = d.event_id
			WHERE d.tenant_id = $1 AND d.id = $2)`, sc.TenantID, deliveryID).Scan(&kept)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), updated_at = now()
			WHERE tenant_id = $1 AND id = $2 RETURNING `+webhookDeliveryColumns, sc.TenantID, deliveryID)
		d, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[WebhookDelivery])
		if errors.Is(err, pgx.ErrNoRows) {
			return newError(CodeNotFound, "deliveryId", "no webhook delivery has id %q", deliveryID)
		}
		if err != nil {
			return err
		}
		if !kept {
			return newError(CodeInvalidState, "deliveryId", "the event of this delivery is no longer kept and cannot be sent again")
		}
		return ws.ScheduleWebhookRedelivery(ctx, tx, sc.TenantID, deliveryID)
	})
	if err != nil {
		return nil, wrap(err, "redeliver webhook")
	}
	return d, nil
}

// WebhookRedelivery returns what a redelivery sends: the endpoint and the
// message, rebuilt from the event. done is true when there is nothing to send
// (the delivery or its endpoint is gone, or it is no longer PENDING).
func (s *Store) WebhookRedelivery(ctx context.Context, sc Scope, deliveryID string) (t *WebhookTarget, m *WebhookMessage, done bool, err error) {
	cfg, err := s.webhookConfig()
	if err != nil {
		return nil, nil, false, err
	}
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		t = &WebhookTarget{TenantID: sc.TenantID}
		var (
			sealed    []byte
			status    WebhookDeliveryStatus
			messageID string
			attempts  int
		)
		err := tx.QueryRow(ctx, `SELECT e.id, e.url, e.secret_sealed, d.status, d.message_id, d.attempts
			FROM webhook_deliveries d JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
			WHERE d.tenant_id = $1 AND d.id = $2`, sc.TenantID, deliveryID).
			Scan(&t.ID, &t.URL, &sealed, &status, &messageID, &attempts)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && status != WebhookPending {
			done = true
			return nil
		}
		if err != nil {
			return err
		}
		if t.Secret, err = openSecret(cfg.Key, sc.TenantID, t.ID, sealed); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events v
			WHERE (v.tenant_id, v.xid, v.id) = (SELECT tenant_id, event_xid, event_id FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2)`,
			sc.TenantID, deliveryID)
		if err != nil {
			return err
		}
		events, err := scanEvents(rows)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			done = true
			return nil
		}
		msgs, err := webhookMessages(s.cursors(sc, feedList), &events[0], []string{WebhookAllTypes})
		if err != nil {
			return err
		}
		for i := range msgs {
			if msgs[i].ID == messageID {
				m = &msgs[i]
				m.Attempts = attempts
			}
		}
		done = m == nil
		return nil
	})
	if err != nil {
		return nil, nil, false, fmt.Errorf("read webhook redelivery: %w", err)
	}
	return t, m, done, nil
}

// RecordWebhookRedelivery writes how a redelivery's attempt went: DELIVERED,
// or PENDING until its last attempt, then FAILED. A redelivery never
// disables the endpoint nor moves its cursor.
func (s *Store) RecordWebhookRedelivery(ctx context.Context, sc Scope, endpointID string, a WebhookAttempt, ok, last bool, next *time.Time) error {
	status := WebhookPending
	switch {
	case ok:
		status, next = WebhookDelivered, nil
	case last:
		status, next = WebhookFailed, nil
	}
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queueAttempt(b, sc, endpointID, a, status, next)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("record webhook redelivery: %w", err)
	}
	return nil
}

// PruneWebhookDeliveries forgets the tenant's delivered and failed messages
// older than age and returns how many it removed.
func (s *Store) PruneWebhookDeliveries(ctx context.Context, sc Scope, age time.Duration) (int64, error) {
	var n int64
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE tenant_id = $1 AND status <> 'PENDING'
			AND updated_at < now() - make_interval(secs => $2)`, sc.TenantID, age.Seconds())
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	return n, nil
}
