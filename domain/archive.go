package domain

import (
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// archivedCheck finds, among the items and locations a change brings stock
// into, those that are archived. The engine queues it with the change's last
// round trip: by then the ledger's foreign keys hold key-share locks on every
// item and location the change touches, which an archive's FOR UPDATE waits
// for, so a change and an archive of the same row never both succeed
// unseen by each other.
type archivedCheck struct {
	items, locations []string
}

// inflows lists the items and locations into which drafts bring new stock:
// receipts, reservations, and transfers into their destination.
func inflows(drafts []draft) (items, locations []string) {
	for _, d := range drafts {
		var loc string
		switch d.Kind {
		case KindReceipt, KindReservation:
			loc = d.Key.LocationID
		case KindTransferOut:
			loc = d.ToLocation
		default:
			continue
		}
		if !slices.Contains(items, d.Key.ItemID) {
			items = append(items, d.Key.ItemID)
		}
		if loc != "" && !slices.Contains(locations, loc) {
			locations = append(locations, loc)
		}
	}
	return items, locations
}

// queueArchivedCheck queues the check for drafts on b; it returns nil, and
// queues nothing, when they bring no new stock anywhere.
func queueArchivedCheck(b *pgx.Batch, sc Scope, drafts []draft) *archivedCheck {
	items, locations := inflows(drafts)
	if len(items) == 0 {
		return nil
	}
	c := &archivedCheck{}
	b.Queue(`SELECT (SELECT coalesce(array_agg(id::text), '{}') FROM items
			WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NOT NULL),
		(SELECT coalesce(array_agg(id::text), '{}') FROM locations
			WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND archived_at IS NOT NULL)`,
		sc.TenantID, items, locations).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&c.items, &c.locations); err != nil {
			return fmt.Errorf("check archived: %w", err)
		}
		return nil
	})
	return c
}

// archivedNamer is a command that names the input field of an archived item
// or location itself (a batch names the line).
type archivedNamer interface {
	archivedField(itemID, locationID string) []string
}

// err is INVALID_STATE when the check found anything archived.
func (c *archivedCheck) err(cmd command) error {
	if c == nil || len(c.items)+len(c.locations) == 0 {
		return nil
	}
	namer, _ := cmd.(archivedNamer)
	if len(c.items) > 0 {
		e := newError(CodeInvalidState, "itemId", "item %s is archived: it takes no new stock", c.items[0])
		if namer != nil {
			e.Field = namer.archivedField(c.items[0], "")
		}
		return e
	}
	e := newError(CodeInvalidState, "locationId", "location %s is archived: it takes no new stock", c.locations[0])
	if namer != nil {
		e.Field = namer.archivedField("", c.locations[0])
	} else if f, ok := cmd.(interface{ locationFields() [][2]string }); ok {
		for _, lf := range f.locationFields() {
			if lf[1] == c.locations[0] {
				e.Field = []string{"input", lf[0]}
			}
		}
	}
	return e
}
