package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/inventory-backbone/inventory/domain"
)

// levelsPerItem is the cost estimate of an item's stockLevels list: roughly
// how many locations an item is stocked at.
const levelsPerItem = 5

// NewSchema returns the executable schema over a resolver, with the @hasRole
// directive and the cost model the complexity limit uses: a list costs its
// children times the number of rows it may return.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	cfg := Config{Resolvers: r}
	cfg.Directives.HasRole = hasRole

	c := &cfg.Complexity
	c.Query.Items = func(child int, first *int64, _ *string) int { return pageCost(child, first) }
	c.Query.Locations = func(child int, first *int64, _ *string) int { return pageCost(child, first) }
	c.Query.Movements = func(child int, _, _ *string, first *int64, _ *string) int { return pageCost(child, first) }
	c.Item.StockLevels = func(child int) int { return 1 + child*levelsPerItem }
	// The pulled feed and webhooks (feed.graphqls, webhooks.graphqls).
	c.Query.StockEvents = func(child int, _ *string, first *int64, _, _ []string) int { return pageCost(child, first) }
	c.Query.WebhookEndpoints = func(child int, first *int64, _ *string) int { return pageCost(child, first) }
	c.Query.WebhookDeliveries = func(child int, _ string, first *int64, _ *string) int { return pageCost(child, first) }
	return NewExecutableSchema(cfg)
}

// pageCost is the cost of a connection that returns up to first rows: its
// edges and nodes each cost their children once per row.
func pageCost(child int, first *int64) int {
	n := int64(domain.DefaultPageSize)
	if first != nil && *first >= 0 && *first <= domain.MaxPageSize {
		n = *first
	}
	return 1 + child*int(max(n, 1))
}
