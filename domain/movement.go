package domain

import (
	"time"
)

// State is one of the states a unit of stock can be in at a location.
type State string

// The states of stock. A unit is in exactly one of them.
const (
	Available      State = "AVAILABLE"
	Reserved       State = "RESERVED"
	Damaged        State = "DAMAGED"
	QualityControl State = "QUALITY_CONTROL"
	InTransit      State = "IN_TRANSIT"
)

// MovementKind says what business event a movement records.
type MovementKind string

// The kinds of movement.
const (
	KindReceipt     MovementKind = "RECEIPT"
	KindShipment    MovementKind = "SHIPMENT"
	KindAdjustment  MovementKind = "ADJUSTMENT"
	KindCount       MovementKind = "COUNT"
	KindTransferOut MovementKind = "TRANSFER_OUT"
	KindTransferIn  MovementKind = "TRANSFER_IN"
	KindReservation MovementKind = "RESERVATION"
	KindRelease     MovementKind = "RELEASE"
	KindFulfillment MovementKind = "FULFILLMENT"
	KindExpiry      MovementKind = "EXPIRY"
	KindStateChange MovementKind = "STATE_CHANGE"
)

// Movement is one immutable line of the ledger: Quantity units of an item move
// from FromState at LocationID to ToState at ToLocationID (LocationID when
// that is empty). A nil FromState means the units came from outside (a
// supplier, a found unit); a nil ToState means they left (a customer, a loss).
type Movement struct {
	ID           string       `json:"id"`
	OperationID  string       `json:"operationId"`
	Kind         MovementKind `json:"kind"`
	ItemID       string       `json:"itemId"`
	LocationID   string       `json:"locationId"`
	ToLocationID *string      `json:"toLocationId,omitempty"`
	Quantity     int64        `json:"quantity"`
	FromState    *State       `json:"fromState,omitempty"`
	ToState      *State       `json:"toState,omitempty"`
	Reason       *string      `json:"reason,omitempty"`
	Reference    *string      `json:"reference,omitempty"`
	Actor        string       `json:"actor"`
	CreatedAt    time.Time    `json:"createdAt"`
}
