package domain

import (
	"context"
)

// Receive records units arriving from outside (a supplier) into a location's
// available stock.
func (s *Store) Receive(ctx context.Context, sc Scope, itemID, locationID string, quantity int64, meta Meta) (*StockChange, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &receiveCmd{Level: key, Quantity: quantity}, meta)
}

type receiveCmd struct {
	Level    LevelKey
	Quantity int64
}

func (c *receiveCmd) operation() string { return "receiveStock" }
func (c *receiveCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *receiveCmd) plan(map[LevelKey]Level, Meta) ([]draft, error) {
	return []draft{{Kind: KindReceipt, Key: c.Level, Quantity: c.Quantity, To: state(Available)}}, nil
}

// Ship records units leaving a location's available stock for a customer.
// More than is available is INSUFFICIENT_STOCK.
func (s *Store) Ship(ctx context.Context, sc Scope, itemID, locationID string, quantity int64, meta Meta) (*StockChange, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &shipCmd{Level: key, Quantity: quantity}, meta)
}

type shipCmd struct {
	Level    LevelKey
	Quantity int64
}

func (c *shipCmd) operation() string { return "shipStock" }
func (c *shipCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *shipCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needAvailable(levels[c.Level], c.Quantity); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindShipment, Key: c.Level, Quantity: c.Quantity, From: state(Available)}}, nil
}

// Adjustment is the input of Adjust.
type Adjustment struct {
	ItemID     string
	LocationID string
	// Delta is added to the good stock: positive adds, negative removes.
	Delta int64
	// CompareQuantity, when set, makes the adjustment apply only if the
	// level's onHand equals it at that moment (optimistic concurrency).
	CompareQuantity *int64
}

// Adjust corrects a location's available stock by a signed delta. A reason is
// required. A removal beyond what is available is INSUFFICIENT_STOCK; a
// CompareQuantity that does not match onHand is VERSION_CONFLICT.
func (s *Store) Adjust(ctx context.Context, sc Scope, in Adjustment, meta Meta) (*StockChange, error) {
	key, err := levelKey(in.ItemID, in.LocationID)
	if err != nil {
		return nil, err
	}
	if in.Delta == 0 {
		return nil, newError(CodeValidation, "delta", "delta must not be zero")
	}
	if in.Delta > MaxQuantity || in.Delta < -MaxQuantity {
		return nil, newError(CodeValidation, "delta", "delta must be between -%d and %d", MaxQuantity, MaxQuantity)
	}
	if meta.Reason == nil {
		return nil, newError(CodeValidation, "reason", "an adjustment needs a reason")
	}
	if _, err := requireText("reason", *meta.Reason, maxReason); err != nil {
		return nil, err
	}
	if in.CompareQuantity != nil && *in.CompareQuantity < 0 {
		return nil, newError(CodeValidation, "compareQuantity", "compareQuantity must not be negative")
	}
	return s.execute(ctx, sc, &adjustCmd{Level: key, Delta: in.Delta, CompareQuantity: in.CompareQuantity}, meta)
}

type adjustCmd struct {
	Level           LevelKey
	Delta           int64
	CompareQuantity *int64
}

func (c *adjustCmd) operation() string { return "adjustStock" }
func (c *adjustCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *adjustCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	l := levels[c.Level]
	if c.CompareQuantity != nil && *c.CompareQuantity != l.OnHand() {
		return nil, newError(CodeVersionConflict, "compareQuantity",
			"onHand is %d, not %d: the level changed since it was read", l.OnHand(), *c.CompareQuantity)
	}
	if c.Delta > 0 {
		return []draft{{Kind: KindAdjustment, Key: c.Level, Quantity: c.Delta, To: state(Available)}}, nil
	}
	if err := needAvailable(l, -c.Delta); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindAdjustment, Key: c.Level, Quantity: -c.Delta, From: state(Available)}}, nil
}

// Count records a physical count of a location's good stock (available plus
// reserved) and writes the difference as a COUNT movement, so that afterwards
// onHand equals the count plus damaged plus quality control. A count equal to
// the books writes no movement. A count below what is reserved is
// INSUFFICIENT_STOCK: release reservations first.
func (s *Store) Count(ctx context.Context, sc Scope, itemID, locationID string, counted int64, meta Meta) (*StockChange, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	if counted < 0 || counted > MaxQuantity {
		return nil, newError(CodeValidation, "countedQuantity", "countedQuantity must be between 0 and %d", MaxQuantity)
	}
	return s.execute(ctx, sc, &countCmd{Level: key, Counted: counted}, meta)
}

type countCmd struct {
	Level   LevelKey
	Counted int64
}

func (c *countCmd) operation() string { return "countStock" }
func (c *countCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *countCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	l := levels[c.Level]
	diff := c.Counted - l.Good()
	switch {
	case diff > 0:
		return []draft{{Kind: KindCount, Key: c.Level, Quantity: diff, To: state(Available)}}, nil
	case diff < 0:
		if l.Available < -diff {
			return nil, newError(CodeInsufficientStock, "countedQuantity",
				"the count of %d is below the %d units reserved here; release reservations first", c.Counted, l.Reserved)
		}
		return []draft{{Kind: KindCount, Key: c.Level, Quantity: -diff, From: state(Available)}}, nil
	}
	return nil, nil
}

// Transfer moves available units from one location to another at once: a
// TRANSFER_OUT into transit and a TRANSFER_IN out of it, in one transaction.
func (s *Store) Transfer(ctx context.Context, sc Scope, itemID, fromLocationID, toLocationID string, quantity int64, meta Meta) (*StockChange, error) {
	from, to, err := transferKeys(itemID, fromLocationID, toLocationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &transferCmd{From: from, To: to, Quantity: quantity}, meta)
}

type transferCmd struct {
	From, To LevelKey
	Quantity int64
}

func (c *transferCmd) operation() string { return "transferStock" }
func (c *transferCmd) keys() []LevelKey  { return []LevelKey{c.From, c.To} }
func (c *transferCmd) locationFields() [][2]string {
	return [][2]string{{"fromLocationId", c.From.LocationID}, {"toLocationId", c.To.LocationID}}
}
func (c *transferCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needAvailable(levels[c.From], c.Quantity); err != nil {
		return nil, err
	}
	return []draft{
		{Kind: KindTransferOut, Key: c.From, ToLocation: c.To.LocationID, Quantity: c.Quantity,
			From: state(Available), To: state(InTransit)},
		{Kind: KindTransferIn, Key: c.To, Quantity: c.Quantity, From: state(InTransit), To: state(Available)},
	}, nil
}
