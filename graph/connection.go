package graph

import (
	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
)

// connection maps a domain page to the parts of a Relay connection.
func connection[T any, E any](p *domain.Page[T], edge func(cursor string, node T) E) ([]E, []T, *model.PageInfo) {
	edges := make([]E, len(p.Rows))
	for i, r := range p.Rows {
		edges[i] = edge(p.Cursors[i], r)
	}
	info := &model.PageInfo{HasNextPage: p.HasNextPage}
	if n := len(p.Cursors); n > 0 {
		info.EndCursor = &p.Cursors[n-1]
	}
	return edges, p.Rows, info
}

func pageRequest(first *int64, after *string) domain.PageRequest {
	return domain.PageRequest{First: first, After: after}
}
