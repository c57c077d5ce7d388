package domain

import (
	"slices"

	"github.com/jackc/pgx/v5"
)

// Archived items and locations take no new stock: no receipt, reservation
// or transfer in. A group's transaction (group_tx.go) reads, in its first
// round trip, which of the items and locations its commands name are
// archived, and locks those rows against an archive (FOR KEY SHARE, which an
// archive's FOR UPDATE waits for) until it commits; so a change and an
// archive of the same row never both succeed unseen by each other. Each
// command is then checked against what it planned, before its movements are
// applied: a command refused for an archived item or location fails alone,
// and the others of its group commit.

// readArchivedSQL locks the rows of items $2 and locations $3 of tenant $1
// and returns those that are archived. The CTEs are materialised so that
// every row named is locked, not only the archived ones.
const readArchivedSQL = `WITH i AS MATERIALIZED (
		SELECT id, archived_at FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[]) FOR KEY SHARE
	), l AS MATERIALIZED (
		SELECT id, archived_at FROM locations WHERE tenant_id = $1 AND id = ANY($3::uuid[]) FOR KEY SHARE
	)
	SELECT array(SELECT id::text FROM i WHERE archived_at IS NOT NULL),
		array(SELECT id::text FROM l WHERE archived_at IS NOT NULL)`

// mayBringStock reports whether a command may plan a movement that brings
// stock into an item or location (see inflows). Commands that only take
// stock out or move it between states skip the read of what is archived;
// any other command, including one added later, is checked.
func mayBringStock(cmd command) bool {
	switch cmd.(type) {
	case *shipCmd, *adjustCmd, *countCmd, *stateChangeCmd, *writeOffCmd, *reservationCmd, *transitCmd:
		return false
	}
	return true
}

// inflowNamer is a command that can name, before it plans, the items and
// locations it may bring stock into: a batch names those of its receipt and
// transfer lines, so that a batch of ships reads nothing.
type inflowNamer interface {
	inflowIDs() (items, locations []string)
}

// queueReadArchived queues, for a tenant's commands that may bring stock,
// the read (and lock) of their items and locations, and records in
// g.archived those that are archived.
func (g *group) queueReadArchived(b *batch, blk *tenantBlock) {
	items, locations := map[string]bool{}, map[string]bool{}
	for _, e := range blk.execs {
		if !e.live() || !mayBringStock(e.cmd) {
			continue
		}
		if n, ok := e.cmd.(inflowNamer); ok {
			is, ls := n.inflowIDs()
			for _, id := range is {
				items[id] = true
			}
			for _, id := range ls {
				locations[id] = true
			}
			continue
		}
		for _, k := range e.keys {
			items[k.ItemID], locations[k.LocationID] = true, true
		}
	}
	if len(items) == 0 {
		return
	}
	itemIDs, locationIDs := keysOf(items), keysOf(locations)
	b.queryRow("read archived", func(r pgx.Row) error {
		var archivedItems, archivedLocations []string
		if err := r.Scan(&archivedItems, &archivedLocations); err != nil {
			return err
		}
		for _, id := range append(archivedItems, archivedLocations...) {
			if g.archived == nil {
				g.archived = map[[2]string]bool{}
			}
			g.archived[[2]string{blk.tenantID, id}] = true
		}
		return nil
	}, readArchivedSQL, blk.tenantID, itemIDs, locationIDs)
}

// keysOf returns the keys of a set, sorted.
func keysOf(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkArchived is INVALID_STATE when drafts bring stock into an item or
// location that the group found archived.
func (g *group) checkArchived(e *execution, drafts []draft) error {
	if len(g.archived) == 0 {
		return nil
	}
	items, locations := inflows(drafts)
	c := &archivedCheck{}
	for _, id := range items {
		if g.archived[[2]string{e.sc.TenantID, id}] {
			c.items = append(c.items, id)
		}
	}
	for _, id := range locations {
		if g.archived[[2]string{e.sc.TenantID, id}] {
			c.locations = append(c.locations, id)
		}
	}
	return c.err(e.cmd)
}

// archivedCheck is what a command found archived among the items and
// locations it brings stock into.
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
	} else if f, ok := cmd.(locationFielder); ok {
		for _, lf := range f.locationFields() {
			if lf[1] == c.locations[0] {
				e.Field = []string{"input", lf[0]}
			}
		}
	}
	return e
}
