package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// TransferStatus is where a transfer in transit is in its life.
type TransferStatus string

// The statuses of a transfer.
const (
	TransferInTransit TransferStatus = "IN_TRANSIT"
	TransferReceived  TransferStatus = "RECEIVED"
	TransferCancelled TransferStatus = "CANCELLED"
)

// Transfer is stock on its way from one location to another. Until it is
// received, its units are IN_TRANSIT, held at the destination as incoming.
type Transfer struct {
	ID               string         `json:"id"`
	ItemID           string         `json:"itemId"`
	FromLocationID   string         `json:"fromLocationId"`
	ToLocationID     string         `json:"toLocationId"`
	Quantity         int64          `json:"quantity"`
	ReceivedQuantity int64          `json:"receivedQuantity"`
	DamagedQuantity  int64          `json:"damagedQuantity"`
	ReturnedQuantity int64          `json:"returnedQuantity"`
	Status           TransferStatus `json:"status"`
	Reference        *string        `json:"reference,omitempty"`
	CreatedAt        time.Time      `json:"createdAt"`
	UpdatedAt        time.Time      `json:"updatedAt"`
}

// OutstandingQuantity is what is still on its way.
func (t *Transfer) OutstandingQuantity() int64 {
	return t.Quantity - t.ReceivedQuantity - t.DamagedQuantity - t.ReturnedQuantity
}

func (t *Transfer) from() LevelKey { return LevelKey{ItemID: t.ItemID, LocationID: t.FromLocationID} }
func (t *Transfer) to() LevelKey   { return LevelKey{ItemID: t.ItemID, LocationID: t.ToLocationID} }

const transferColumns = `id, item_id, from_location_id, to_location_id, quantity, received, damaged, returned,
	status, reference, created_at, updated_at`

// ShipTransfer sends available units from one location towards another:
// AVAILABLE at the origin → IN_TRANSIT, shown as incoming at the destination,
// until ReceiveTransfer or CancelTransfer.
func (s *Store) ShipTransfer(ctx context.Context, sc Scope, itemID, fromLocationID, toLocationID string, quantity int64, meta Meta) (*StockChange, error) {
	from, to, err := transferKeys(itemID, fromLocationID, toLocationID)
	if err != nil {
		return nil, err
	}
	if err := positiveQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &shipTransferCmd{From: from, To: to, Quantity: quantity, InTransit: true}, meta)
}

type shipTransferCmd struct {
	From, To  LevelKey
	Quantity  int64
	InTransit bool `json:"inTransit"` // always true: tells the fingerprint apart from an immediate transfer
}

func (c *shipTransferCmd) operation() string { return "transferStock" }
func (c *shipTransferCmd) keys() []LevelKey  { return []LevelKey{c.From, c.To} }
func (c *shipTransferCmd) locationFields() [][2]string {
	return [][2]string{{"fromLocationId", c.From.LocationID}, {"toLocationId", c.To.LocationID}}
}

func (c *shipTransferCmd) plan(levels map[LevelKey]Level, _ Meta) ([]draft, error) {
	if err := needAvailable(levels[c.From], c.Quantity); err != nil {
		return nil, err
	}
	return []draft{{Kind: KindTransferOut, Key: c.From, ToLocation: c.To.LocationID, Quantity: c.Quantity,
		From: state(Available), To: state(InTransit)}}, nil
}

func (c *shipTransferCmd) persist(ctx context.Context, tx pgx.Tx, _ *Store, sc Scope, change *StockChange) error {
	rows, _ := tx.Query(ctx, `INSERT INTO transfers (tenant_id, id, item_id, from_location_id, to_location_id, quantity, status, reference)
		VALUES ($1, $2, $3, $4, $5, $6, 'IN_TRANSIT', $7) RETURNING `+transferColumns,
		sc.TenantID, uuid.NewString(), c.From.ItemID, c.From.LocationID, c.To.LocationID, c.Quantity, change.Reference)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Transfer])
	if err != nil {
		return fmt.Errorf("insert transfer: %w", err)
	}
	change.Transfers = append(change.Transfers, *t)
	return nil
}

// ReceiveTransfer records units of a transfer arriving at its destination:
// quantity good ones (IN_TRANSIT → AVAILABLE) and damaged ones (IN_TRANSIT →
// DAMAGED). A nil quantity means all that is still on its way, less the
// damaged ones. Receiving more than is on its way, or receiving a transfer
// that is no longer in transit, is INVALID_STATE.
func (s *Store) ReceiveTransfer(ctx context.Context, sc Scope, transferID string, quantity *int64, damaged int64, meta Meta) (*StockChange, error) {
	id, err := parseID("transferId", transferID)
	if err != nil {
		return nil, err
	}
	if quantity != nil && (*quantity < 0 || *quantity > MaxQuantity) {
		return nil, newError(CodeValidation, "quantity", "quantity must be between 0 and %d", MaxQuantity)
	}
	if damaged < 0 || damaged > MaxQuantity {
		return nil, newError(CodeValidation, "damagedQuantity", "damagedQuantity must be between 0 and %d", MaxQuantity)
	}
	if quantity != nil && *quantity == 0 && damaged == 0 {
		return nil, newError(CodeValidation, "quantity", "receive at least one unit")
	}
	return s.execute(ctx, sc, &transitCmd{Op: "receiveTransfer", TransferID: id, Good: quantity, Damaged: damaged}, meta)
}

// CancelTransfer returns what has not arrived to the origin's available
// stock and ends the transfer. A transfer no longer in transit is
// INVALID_STATE.
func (s *Store) CancelTransfer(ctx context.Context, sc Scope, transferID string, meta Meta) (*StockChange, error) {
	id, err := parseID("transferId", transferID)
	if err != nil {
		return nil, err
	}
	return s.execute(ctx, sc, &transitCmd{Op: "cancelTransfer", TransferID: id}, meta)
}

// transitCmd receives or cancels a transfer in transit.
type transitCmd struct {
	Op         string
	TransferID string
	Good       *int64
	Damaged    int64
	t          *Transfer
	good, dmg  int64
}

func (c *transitCmd) operation() string { return c.Op }
func (c *transitCmd) keys() []LevelKey  { return []LevelKey{c.t.to(), c.t.from()} }

func (c *transitCmd) prepare(ctx context.Context, tx pgx.Tx, sc Scope) (err error) {
	c.t, err = transferByID(ctx, tx, sc, c.TransferID)
	return err
}

func (c *transitCmd) loadLocked(ctx context.Context, tx pgx.Tx, sc Scope) (err error) {
	c.t, err = transferByID(ctx, tx, sc, c.TransferID)
	return err
}

func (c *transitCmd) plan(map[LevelKey]Level, Meta) ([]draft, error) {
	t := c.t
	if t.Status != TransferInTransit {
		return nil, newError(CodeInvalidState, "transferId", "the transfer is %s, not IN_TRANSIT", t.Status)
	}
	left := t.OutstandingQuantity()
	if c.Op == "cancelTransfer" {
		c.good = left
		return []draft{{Kind: KindTransferIn, Key: t.to(), ToLocation: t.FromLocationID, Quantity: left,
			From: state(InTransit), To: state(Available)}}, nil
	}
	c.dmg = c.Damaged
	c.good = left - c.dmg
	if c.Good != nil {
		c.good = *c.Good
	}
	if c.good < 0 || c.good+c.dmg > left {
		return nil, newError(CodeInvalidState, "quantity", "only %d still in transit, %d received", left, max(c.good, 0)+c.dmg)
	}
	var drafts []draft
	if c.good > 0 {
		drafts = append(drafts, draft{Kind: KindTransferIn, Key: t.to(), Quantity: c.good, From: state(InTransit), To: state(Available)})
	}
	if c.dmg > 0 {
		drafts = append(drafts, draft{Kind: KindTransferIn, Key: t.to(), Quantity: c.dmg, From: state(InTransit), To: state(Damaged)})
	}
	return drafts, nil
}

func (c *transitCmd) persist(ctx context.Context, tx pgx.Tx, _ *Store, sc Scope, change *StockChange) error {
	set := `received = received + $3, damaged = damaged + $4,
		status = CASE WHEN received + damaged + returned + $3 + $4 = quantity THEN 'RECEIVED' ELSE 'IN_TRANSIT' END`
	args := []any{sc.TenantID, c.TransferID, c.good, c.dmg}
	if c.Op == "cancelTransfer" {
		set = `returned = returned + $3, status = 'CANCELLED'`
		args = args[:3]
	}
	rows, _ := tx.Query(ctx, `UPDATE transfers SET `+set+`, updated_at = clock_timestamp()
		WHERE tenant_id = $1 AND id = $2 RETURNING `+transferColumns, args...)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[Transfer])
	if err != nil {
		return fmt.Errorf("update transfer: %w", err)
	}
	change.Transfers = append(change.Transfers, *t)
	return nil
}

func transferByID(ctx context.Context, tx pgx.Tx, sc Scope, id string) (*Transfer, error) {
	return rowWhere[Transfer](ctx, tx, sc, "transfers", transferColumns, "id", id, "transferId", "transfer")
}

// TransferByID returns a transfer by id, or a NOT_FOUND Error. (Store.Transfer
// is the immediate transfer operation.)
func (s *Store) TransferByID(ctx context.Context, sc Scope, id string) (*Transfer, error) {
	return getWhere[Transfer](ctx, s, sc, "transfers", transferColumns, "id", id, "id", "transfer")
}

// TransferFilter narrows a transfer listing. Nil fields do not filter.
type TransferFilter struct {
	Status         *TransferStatus
	ItemID         *string
	FromLocationID *string
	ToLocationID   *string
}

// Transfers lists transfers, newest first.
func (s *Store) Transfers(ctx context.Context, sc Scope, f TransferFilter, pr PageRequest) (*Page[*Transfer], error) {
	q := newListQuery(sc)
	if f.Status != nil {
		q.where("status = $%d", string(*f.Status))
	}
	if !q.whereID("item_id = $%d", f.ItemID) || !q.whereID("from_location_id = $%d", f.FromLocationID) ||
		!q.whereID("to_location_id = $%d", f.ToLocationID) {
		return &Page[*Transfer]{}, nil
	}
	return listNewestFirst(ctx, s, sc, q, "transfers", transferColumns, "transfer", pr,
		pgx.RowToAddrOfStructByPos[Transfer], func(t *Transfer) (time.Time, string) { return t.CreatedAt, t.ID })
}
