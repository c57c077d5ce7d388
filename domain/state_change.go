package domain

import (
	"context"
)

// changeableStates are the states ChangeState moves stock between. RESERVED
// and IN_TRANSIT change only through reservations and transfers.
var changeableStates = map[State]bool{Available: true, Damaged: true, QualityControl: true}

// StateChangeRequest is the input of ChangeState.
type StateChangeRequest struct {
	ItemID     string
	LocationID string
	Quantity   int64
	From, To   State
}

// ChangeState moves units between AVAILABLE, DAMAGED and QUALITY_CONTROL at
// one location (found damaged, sent to or cleared by quality control). More
// than the from state holds is INSUFFICIENT_STOCK.
func (s *Store) ChangeState(ctx context.Context, sc Scope, in StateChangeRequest, meta Meta) (*StockChange, error) {
	key, err := levelKey(in.ItemID, in.LocationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", in.Quantity); err != nil {
		return nil, err
	}
	if !changeableStates[in.From] {
		return nil, newError(CodeValidation, "fromState", "fromState must be AVAILABLE, DAMAGED or QUALITY_CONTROL")
	}
	if !changeableStates[in.To] {
		return nil, newError(CodeValidation, "toState", "toState must be AVAILABLE, DAMAGED or QUALITY_CONTROL")
	}
	if in.From == in.To {
		return nil, newError(CodeValidation, "toState", "toState must differ from fromState")
	}
	return s.execute(ctx, sc, &stateChangeCmd{Level: key, Quantity: in.Quantity, From: in.From, To: in.To}, meta)
}

type stateChangeCmd struct {
	Level    LevelKey
	Quantity int64
	From, To State
}

func (c *stateChangeCmd) operation() string { return "changeStockState" }
func (c *stateChangeCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *stateChangeCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needState(levels[c.Level], c.From, c.Quantity); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindStateChange, Key: c.Level, Quantity: c.Quantity, From: state(c.From), To: state(c.To)}}, nil
}

// WriteOff removes units that can't be sold (DAMAGED, by default, or
// QUALITY_CONTROL) from the books: an ADJUSTMENT out of that state, with a
// required reason. Available stock is removed with Adjust instead.
func (s *Store) WriteOff(ctx context.Context, sc Scope, itemID, locationID string, quantity int64, from State, meta Meta) (*StockChange, error) {
	key, err := levelKey(itemID, locationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	if from == "" {
		from = Damaged
	}
	if from != Damaged && from != QualityControl {
		return nil, newError(CodeValidation, "fromState", "a write-off takes DAMAGED or QUALITY_CONTROL stock; use adjustStock for AVAILABLE")
	}
	if meta.Reason == nil {
		return nil, newError(CodeValidation, "reason", "a write-off needs a reason")
	}
	if _, err := requireText("reason", *meta.Reason, maxReason); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &writeOffCmd{Level: key, Quantity: quantity, From: from}, meta)
}

type writeOffCmd struct {
	Level    LevelKey
	Quantity int64
	From     State
}

func (c *writeOffCmd) operation() string { return "writeOffStock" }
func (c *writeOffCmd) keys() []LevelKey  { return []LevelKey{c.Level} }
func (c *writeOffCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needState(levels[c.Level], c.From, c.Quantity); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindAdjustment, Key: c.Level, Quantity: c.Quantity, From: state(c.From)}}, nil
}
