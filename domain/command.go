package domain

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Meta is what every stock operation takes besides its own input: the
// caller's idempotency key, its document reference (an order number) and a
// free-text reason.
type Meta struct {
	IdempotencyKey *string
	Reference      *string
	Reason         *string
}

// StockChange is the outcome of one stock operation: the movements it wrote,
// which share an operation id, and the levels they left behind.
type StockChange struct {
	OperationID string     `json:"operationId"`
	Operation   string     `json:"operation"`
	Actor       string     `json:"actor"`
	Reference   *string    `json:"reference,omitempty"`
	Reason      *string    `json:"reason,omitempty"`
	Movements   []Movement `json:"movements"`
	Levels      []Level    `json:"levels"`
	// Reservations and Transfers are the records the operation created or
	// changed, as it left them, for the operations that have them.
	Reservations []Reservation `json:"reservations,omitempty"`
	Transfers    []Transfer    `json:"transfers,omitempty"`
	// Allocations says, for allocateStock, how much each location gave.
	Allocations []Allocation `json:"allocations,omitempty"`
	CreatedAt   time.Time    `json:"createdAt"`
	// Replayed is true when the idempotency key had been used before with the
	// same input: this is the first call's outcome, and nothing was written.
	Replayed bool `json:"-"`
}

// command is one stock operation. The engine (engine.go) calls keys, then
// plan with the levels those keys name as they stand under their locks.
//
// A command's exported fields are its input, and only its input: the engine
// hashes them (as JSON, with the operation's name, reference and reason) into
// the fingerprint that tells a replay from a reuse of an idempotency key with
// another input. What a command reads or works out on the way (a reservation,
// a default expiry, the quantities it planned) goes in unexported fields. So
// a command that serves several operations carries its operation's name twice
// when the fingerprint must tell them apart: unexported for operation(),
// exported to be hashed (see reservationCmd).
type command interface {
	// operation is the operation's name, as in the API (e.g. "shipStock").
	operation() string
	// keys lists the levels the operation reads or changes; the first is its
	// main level.
	keys() []LevelKey
	// plan returns the movements the operation makes, or a business Error.
	// It must not change the levels.
	plan(levels map[LevelKey]Level, meta Meta) ([]draft, error)
}

// The optional parts of a command. The engine asks for each with a type
// assertion and calls it at its place in the transaction.
type (
	// preparer is a command that must read something before it can name its
	// levels (a reservation's item and location, the tenant's locations).
	// prepare runs inside the transaction, before any lock.
	preparer interface {
		prepare(ctx context.Context, tx pgx.Tx, sc Scope) error
	}

	// lockedLoader is a command whose plan depends on rows that the level
	// locks guard (a reservation's state). loadLocked runs after the locks,
	// before plan.
	lockedLoader interface {
		loadLocked(ctx context.Context, tx pgx.Tx, sc Scope) error
	}

	// persister is a command that writes rows of its own (a reservation, a
	// transfer) in the same transaction, after its movements are appended.
	persister interface {
		persist(ctx context.Context, tx pgx.Tx, s *Store, sc Scope, change *StockChange) error
	}

	// locationFielder is a command with more than one location field. When
	// one of its locations does not exist, the engine names the field at fault
	// from the pairs it lists: {input field name, location id}.
	locationFielder interface {
		locationFields() [][2]string
	}
)

// draft is a movement a command plans, before the ledger gives it an id.
type draft struct {
	Kind       MovementKind
	Key        LevelKey
	ToLocation string // set only when the receiving account is at another location
	Quantity   int64
	From, To   *State
}

func state(s State) *State { return &s }

// The helpers below are shared by the commands: they validate ids into level
// keys and check a level against what a plan needs.

// levelKey validates an item id and a location id.
func levelKey(itemID, locationID string) (LevelKey, error) {
	item, err := parseID("itemId", itemID)
	if err != nil {
		return LevelKey{}, err
	}
	loc, err := parseID("locationId", locationID)
	if err != nil {
		return LevelKey{}, err
	}
	return LevelKey{ItemID: item, LocationID: loc}, nil
}

// transferKeys validates the ids of a transfer between two locations.
func transferKeys(itemID, fromLocationID, toLocationID string) (from, to LevelKey, err error) {
	if from, err = levelKey(itemID, fromLocationID); err != nil {
		return from, to, renameField(err, "locationId", "fromLocationId")
	}
	if to, err = levelKey(itemID, toLocationID); err != nil {
		return from, to, renameField(err, "locationId", "toLocationId")
	}
	if from == to {
		return from, to, newError(CodeValidation, "toLocationId", "a transfer needs two different locations")
	}
	return from, to, nil
}

// renameField makes an Error about input field from name field to instead.
func renameField(err error, from, to string) error {
	if e, ok := AsError(err); ok && len(e.Field) == 2 && e.Field[1] == from {
		e.Field = []string{"input", to}
	}
	return err
}

// needAvailable is INSUFFICIENT_STOCK unless the level has quantity available.
func needAvailable(l Level, quantity int64) error {
	if l.Available < quantity {
		return newError(CodeInsufficientStock, "quantity",
			"only %d available, %d requested", l.Available, quantity)
	}
	return nil
}

// needState is INSUFFICIENT_STOCK unless the level holds quantity in state st.
func needState(l Level, st State, quantity int64) error {
	if have := *l.field(st); have < quantity {
		return newError(CodeInsufficientStock, "quantity", "only %d %s, %d requested", have, st, quantity)
	}
	return nil
}
