package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ReservationStatus is where a reservation is in its life.
type ReservationStatus string

// The statuses of a reservation. Only an ACTIVE one holds units.
const (
	ReservationActive    ReservationStatus = "ACTIVE"
	ReservationFulfilled ReservationStatus = "FULFILLED"
	ReservationReleased  ReservationStatus = "RELEASED"
	ReservationExpired   ReservationStatus = "EXPIRED"
)

// Reservation holds units of an item at a location for an order until they
// ship (fulfilment), are given back (release), or its time runs out (expiry).
type Reservation struct {
	ID                string            `json:"id"`
	ItemID            string            `json:"itemId"`
	LocationID        string            `json:"locationId"`
	ReservedQuantity  int64             `json:"reservedQuantity"`
	FulfilledQuantity int64             `json:"fulfilledQuantity"`
	ReleasedQuantity  int64             `json:"releasedQuantity"`
	Status            ReservationStatus `json:"status"`
	Reference         *string           `json:"reference,omitempty"`
	ExpiresAt         *time.Time        `json:"expiresAt,omitempty"`
	CreatedAt         time.Time         `json:"createdAt"`
	UpdatedAt         time.Time         `json:"updatedAt"`
}

// Quantity is what the reservation still holds.
func (r *Reservation) Quantity() int64 {
	return r.ReservedQuantity - r.FulfilledQuantity - r.ReleasedQuantity
}

// Key returns the level the reservation holds units of.
func (r *Reservation) Key() LevelKey { return LevelKey{ItemID: r.ItemID, LocationID: r.LocationID} }

const reservationColumns = `id, item_id, location_id, quantity, fulfilled, released, status, reference,
	expires_at, created_at, updated_at`

// ReserveRequest is the input of Reserve.
type ReserveRequest struct {
	ItemID     string
	LocationID string
	Quantity   int64
	// ExpiresAt, when set, is when the reservation releases what it still
	// holds. When nil, the tenant's default lifetime applies, if it has one.
	ExpiresAt *time.Time
}

// Reserve holds available units for an order: AVAILABLE → RESERVED. More
// than is available is INSUFFICIENT_STOCK.
func (s *Store) Reserve(ctx context.Context, sc Scope, in ReserveRequest, meta Meta) (*StockChange, error) {
	key, err := levelKey(in.ItemID, in.LocationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", in.Quantity); err != nil {
		return nil, err
	}
	if err := futureTime("expiresAt", in.ExpiresAt); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &reserveCmd{Level: key, Quantity: in.Quantity, ExpiresAt: in.ExpiresAt}, meta)
}

type reserveCmd struct {
	Level     LevelKey
	Quantity  int64
	ExpiresAt *time.Time
	expiresAt *time.Time // ExpiresAt, or now plus the tenant's default lifetime
}

func (c *reserveCmd) operation() string { return "reserveStock" }
func (c *reserveCmd) keys() []LevelKey  { return []LevelKey{c.Level} }

func (c *reserveCmd) prepare(ctx context.Context, tx pgx.Tx, sc Scope) (err error) {
	c.expiresAt, err = expiryFor(ctx, tx, sc, c.ExpiresAt)
	return err
}

func (c *reserveCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needAvailable(levels[c.Level], c.Quantity); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindReservation, Key: c.Level, Quantity: c.Quantity, From: state(Available), To: state(Reserved)}}, nil
}

func (c *reserveCmd) persist(ctx context.Context, tx pgx.Tx, s *Store, sc Scope, change *StockChange) error {
	r, err := s.insertReservation(ctx, tx, sc, c.Level, c.Quantity, change.Reference, c.expiresAt)
	if err != nil {
		return err
	}
	change.Reservations = append(change.Reservations, *r)
	return nil
}

// expiryFor returns when a new reservation expires: at the time asked for,
// or after the tenant's default lifetime, or never.
func expiryFor(ctx context.Context, tx pgx.Tx, sc Scope, asked *time.Time) (*time.Time, error) {
	if asked != nil {
		return asked, nil
	}
	var at *time.Time
	err := tx.QueryRow(ctx, `SELECT now() + default_reservation_ttl FROM tenants WHERE id = $1`, sc.TenantID).Scan(&at)
	if err != nil {
		return nil, fmt.Errorf("read default reservation lifetime: %w", err)
	}
	return at, nil
}

// insertReservation records a new reservation and schedules its expiry in
// the same transaction.
func (s *Store) insertReservation(ctx context.Context, tx pgx.Tx, sc Scope, k LevelKey, quantity int64,
	reference *string, expiresAt *time.Time) (*Reservation, error) {
	rows, _ := tx.Query(ctx, `INSERT INTO reservations (tenant_id, id, item_id, location_id, quantity, status, reference, expires_at)
		VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7) RETURNING `+reservationColumns,
		sc.TenantID, uuid.NewString(), k.ItemID, k.LocationID, quantity, reference, expiresAt)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Reservation])
	if err != nil {
		return nil, fmt.Errorf("insert reservation: %w", err)
	}
	if r.ExpiresAt != nil && s.scheduler != nil {
		if err := s.scheduler.ScheduleReservationExpiry(ctx, tx, sc.TenantID, r.ID, *r.ExpiresAt); err != nil {
			return nil, fmt.Errorf("schedule expiry: %w", err)
		}
	}
	return r, nil
}

// Release gives back units a reservation holds: RESERVED → AVAILABLE. A nil
// quantity releases all it still holds. Releasing more than it holds, or
// releasing a reservation that is no longer active, is INVALID_STATE.
func (s *Store) Release(ctx context.Context, sc Scope, reservationID string, quantity *int64, meta Meta) (*StockChange, error) {
	return s.transition(ctx, sc, reservationID, quantity, meta, "releaseReservation", KindRelease)
}

// Fulfill ships units a reservation holds to the customer: RESERVED → out. A
// nil quantity fulfils all it still holds. More than it holds, or a
// reservation that is no longer active, is INVALID_STATE.
func (s *Store) Fulfill(ctx context.Context, sc Scope, reservationID string, quantity *int64, meta Meta) (*StockChange, error) {
	return s.transition(ctx, sc, reservationID, quantity, meta, "fulfillReservation", KindFulfillment)
}

// ExpireReservation releases what an active reservation still holds and marks
// it EXPIRED, if its expiry time has passed. Otherwise, or when it is no
// longer active (fulfilled, released or already expired first), it does
// nothing and returns a change with no movements. Jobs call it.
func (s *Store) ExpireReservation(ctx context.Context, sc Scope, reservationID string) (*StockChange, error) {
	return s.transition(ctx, sc, reservationID, nil, Meta{}, "expireReservation", KindExpiry)
}

func (s *Store) transition(ctx context.Context, sc Scope, reservationID string, quantity *int64, meta Meta,
	op string, kind MovementKind) (*StockChange, error) {
	id, err := parseID("reservationId", reservationID)
	if err != nil {
		return nil, err
	}
	if quantity != nil {
		if err := positiveQuantity("quantity", *quantity); err != nil {
			return nil, err
		}
	}
	return s.execute(ctx, sc, &reservationCmd{op: op, Op: op, kind: kind, ReservationID: id, Quantity: quantity}, meta)
}

// reservationCmd is a release, a fulfilment or an expiry of a reservation.
// Its operation's name is in it twice: op answers operation(), and Op, an
// exported field, is hashed with the input (see command), so that a key used
// to release cannot replay as a fulfilment.
type reservationCmd struct {
	op            string
	kind          MovementKind
	Op            string `json:"op"` // set from op, so the fingerprint tells the three apart
	ReservationID string
	Quantity      *int64
	res           *Reservation
	due           bool // for an expiry: expires_at has passed by the database's clock
	moved         int64
}

func (c *reservationCmd) operation() string { return c.op }
func (c *reservationCmd) keys() []LevelKey  { return []LevelKey{c.res.Key()} }

func (c *reservationCmd) prepare(ctx context.Context, tx pgx.Tx, sc Scope) (err error) {
	c.res, err = reservationByID(ctx, tx, sc, c.ReservationID)
	return err
}

// loadLocked reads the reservation again: under its level's lock its state
// cannot change until this transaction ends. An expiry also asks the
// database's clock, the one the expiry job was scheduled by, whether it is due.
func (c *reservationCmd) loadLocked(ctx context.Context, tx pgx.Tx, sc Scope) (err error) {
	if c.res, err = reservationByID(ctx, tx, sc, c.ReservationID); err != nil {
		return err
	}
	if c.kind == KindExpiry {
		err = tx.QueryRow(ctx, `SELECT coalesce(expires_at <= clock_timestamp(), false) FROM reservations
			WHERE tenant_id = $1 AND id = $2`, sc.TenantID, c.ReservationID).Scan(&c.due)
	}
	return err
}

func (c *reservationCmd) plan(map[LevelKey]Level, Meta) ([]draft, error) {
	r := c.res
	if c.kind == KindExpiry {
		if r.Status != ReservationActive || !c.due {
			return nil, nil // nothing to expire: someone else finished it, or it is not due
		}
		c.moved = r.Quantity()
		return []draft{{Kind: KindExpiry, Key: r.Key(), Quantity: c.moved, From: state(Reserved), To: state(Available)}}, nil
	}
	if r.Status != ReservationActive {
		return nil, newError(CodeInvalidState, "reservationId", "the reservation is %s, not ACTIVE", r.Status)
	}
	c.moved = r.Quantity()
	if c.Quantity != nil {
		if *c.Quantity > r.Quantity() {
			return nil, newError(CodeInvalidState, "quantity", "the reservation holds only %d, %d requested", r.Quantity(), *c.Quantity)
		}
		c.moved = *c.Quantity
	}
	d := draft{Kind: c.kind, Key: r.Key(), Quantity: c.moved, From: state(Reserved)}
	if c.kind == KindRelease {
		d.To = state(Available)
	}
	return []draft{d}, nil
}

func (c *reservationCmd) persist(ctx context.Context, tx pgx.Tx, _ *Store, sc Scope, change *StockChange) error {
	if c.moved == 0 {
		change.Reservations = append(change.Reservations, *c.res)
		return nil
	}
	column, final := "released", ReservationReleased
	switch c.kind {
	case KindFulfillment:
		column, final = "fulfilled", ReservationFulfilled
	case KindExpiry:
		final = ReservationExpired
	}
	// A reservation that ends by fulfilment after partial releases (or the
	// other way round) takes the status of the transition that ends it.
	rows, _ := tx.Query(ctx, `UPDATE reservations SET `+column+` = `+column+` + $3,
			status = CASE WHEN fulfilled + released + $3 = quantity THEN $4 ELSE 'ACTIVE' END,
			updated_at = clock_timestamp()
		WHERE tenant_id = $1 AND id = $2 RETURNING `+reservationColumns,
		sc.TenantID, c.ReservationID, c.moved, string(final))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Reservation])
	if err != nil {
		return fmt.Errorf("update reservation: %w", err)
	}
	change.Reservations = append(change.Reservations, *r)
	return nil
}

func reservationByID(ctx context.Context, tx pgx.Tx, sc Scope, id string) (*Reservation, error) {
	return rowWhere[Reservation](ctx, tx, sc, "reservations", reservationColumns, "id", id, "reservationId", "reservation")
}

// ReservationByID returns a reservation by id, or a NOT_FOUND Error. (The
// records that operations act on by id, reservations and transfers, are read
// with ReservationByID and TransferByID; Store.Transfer is an operation.)
func (s *Store) ReservationByID(ctx context.Context, sc Scope, id string) (*Reservation, error) {
	return getWhere[Reservation](ctx, s, sc, "reservations", reservationColumns, "id", id, "id", "reservation")
}

// ReservationFilter narrows a reservation listing. Nil fields do not filter.
type ReservationFilter struct {
	Status     *ReservationStatus
	ItemID     *string
	LocationID *string
	Reference  *string
}

// Reservations lists reservations, newest first.
func (s *Store) Reservations(ctx context.Context, sc Scope, f ReservationFilter, pr PageRequest) (*Page[*Reservation], error) {
	q := newListQuery(sc)
	if f.Status != nil {
		q.where("status = $%d", string(*f.Status))
	}
	if !q.whereID("item_id = $%d", f.ItemID) || !q.whereID("location_id = $%d", f.LocationID) {
		return &Page[*Reservation]{}, nil
	}
	if f.Reference != nil {
		q.where("reference = $%d", *f.Reference)
	}
	return listNewestFirst(ctx, s, sc, q, "reservations", reservationColumns, "reservation", pr,
		pgx.RowToAddrOfStructByPos[Reservation], func(r *Reservation) (time.Time, string) { return r.CreatedAt, r.ID })
}

// futureTime is VALIDATION unless t is nil or in the future.
func futureTime(field string, t *time.Time) error {
	if t != nil && !t.After(time.Now()) {
		return newError(CodeValidation, field, "%s must be in the future", field)
	}
	return nil
}
