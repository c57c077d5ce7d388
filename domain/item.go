package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Item is a thing the business stocks, counted in its base unit.
type Item struct {
	ID           string     `json:"id"`
	SKU          string     `json:"sku"`
	Name         string     `json:"name"`
	Unit         string     `json:"unit"`
	ReorderPoint *int64     `json:"reorderPoint"`
	CreatedAt    time.Time  `json:"createdAt"`
	Barcode      *string    `json:"barcode"`
	ArchivedAt   *time.Time `json:"archivedAt"`
}

// NewItem is the input of CreateItem.
type NewItem struct {
	SKU          string
	Name         string
	Unit         *string
	ReorderPoint *int64
	// Barcode, when set, is unique in the tenant.
	Barcode *string
}

const itemColumns = "id, sku, name, unit, reorder_point, created_at, barcode, archived_at"

// CreateItem adds an item to the catalogue. A sku already taken in the tenant
// is DUPLICATE.
func (s *Store) CreateItem(ctx context.Context, sc Scope, in NewItem) (*Item, error) {
	it := &Item{ID: uuid.NewString(), Unit: "each", ReorderPoint: in.ReorderPoint}
	var err error
	if it.SKU, err = requireText("sku", in.SKU, maxSKU); err != nil {
		return nil, err
	}
	if it.Name, err = requireText("name", in.Name, maxName); err != nil {
		return nil, err
	}
	if in.Unit != nil {
		if it.Unit, err = requireText("unit", *in.Unit, maxUnit); err != nil {
			return nil, err
		}
	}
	if in.ReorderPoint != nil && (*in.ReorderPoint < 0 || *in.ReorderPoint > MaxQuantity) {
		return nil, newError(CodeValidation, "reorderPoint", "reorderPoint must be between 0 and %d", MaxQuantity)
	}
	if it.Barcode, err = optionalText("barcode", in.Barcode, maxBarcode); err != nil {
		return nil, err
	}
	err = s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO items (tenant_id, id, sku, name, unit, reorder_point, barcode)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at`,
			sc.TenantID, it.ID, it.SKU, it.Name, it.Unit, it.ReorderPoint, it.Barcode).Scan(&it.CreatedAt)
		if err != nil {
			return err
		}
		return writeEvent(ctx, tx, sc, EventItemCreated, it)
	})
	if uniqueViolation(err, "items_sku_key") {
		return nil, newError(CodeDuplicate, "sku", "sku %q is already taken", it.SKU)
	}
	if uniqueViolation(err, "items_barcode_key") {
		return nil, newError(CodeDuplicate, "barcode", "barcode %q is already taken", *it.Barcode)
	}
	if err != nil {
		return nil, fmt.Errorf("create item: %w", err)
	}
	return it, nil
}

// Item returns the item with this id, or a NOT_FOUND Error.
func (s *Store) Item(ctx context.Context, sc Scope, id string) (*Item, error) {
	return getWhere[Item](ctx, s, sc, "items", itemColumns, "id", id, "", "item")
}

// ItemBySKU returns the item with this sku, or a NOT_FOUND Error.
func (s *Store) ItemBySKU(ctx context.Context, sc Scope, sku string) (*Item, error) {
	return getWhere[Item](ctx, s, sc, "items", itemColumns, "sku", sku, "", "item")
}

// ItemsByID returns the items with these ids, in no particular order; ids that
// name no item are left out. It serves batched loads.
func (s *Store) ItemsByID(ctx context.Context, sc Scope, ids []string) ([]*Item, error) {
	items, err := queryRows[Item](ctx, s, sc, "SELECT "+itemColumns+" FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[])",
		sc.TenantID, validIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("get items: %w", err)
	}
	return items, nil
}

// Items lists the catalogue in sku order, archived items included; see
// SearchItems for a filtered list.
func (s *Store) Items(ctx context.Context, sc Scope, pr PageRequest) (*Page[*Item], error) {
	return listByKey(ctx, s, sc, pr, "items", itemColumns, "sku", "item", func(i *Item) string { return i.SKU })
}

func validIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if ValidID(id) {
			out = append(out, id)
		}
	}
	return out
}
