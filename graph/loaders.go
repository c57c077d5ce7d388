package graph

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/inventory-backbone/inventory/domain"
)

// loaders batch the lookups of one request, so that a list of levels or
// movements costs one query for their items and one for their locations, not
// one per row.
type loaders struct {
	items     *dataloadgen.Loader[string, *domain.Item]
	locations *dataloadgen.Loader[string, *domain.Location]
	levels    *dataloadgen.Loader[string, []*domain.Level]
}

type loadersKey struct{}

// WithLoaders returns a context with fresh per-request loaders over store.
func WithLoaders(ctx context.Context, store *domain.Store) context.Context {
	wait := dataloadgen.WithWait(time.Millisecond)
	l := &loaders{
		items: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*domain.Item, error) {
			sc, err := scope(ctx)
			if err != nil {
				return nil, err
			}
			items, err := store.ItemsByID(ctx, sc, ids)
			return byID(items, func(i *domain.Item) string { return i.ID }), err
		}, wait),
		locations: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*domain.Location, error) {
			sc, err := scope(ctx)
			if err != nil {
				return nil, err
			}
			locs, err := store.LocationsByID(ctx, sc, ids)
			return byID(locs, func(l *domain.Location) string { return l.ID }), err
		}, wait),
		levels: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*domain.Level, error) {
			sc, err := scope(ctx)
			if err != nil {
				return nil, err
			}
			return store.LevelsByItem(ctx, sc, ids)
		}, wait),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

func byID[T any](rows []T, id func(T) string) map[string]T {
	m := make(map[string]T, len(rows))
	for _, r := range rows {
		m[id(r)] = r
	}
	return m
}

// loadItem returns an item by id through the request's loader.
func loadItem(ctx context.Context, id string) (*domain.Item, error) {
	it, err := loadersFrom(ctx).items.Load(ctx, id)
	if it == nil && err == nil {
		return nil, queryError(ctx, &domain.Error{Code: domain.CodeNotFound, Message: "no item has id " + id})
	}
	return it, err
}

// loadLocation returns a location by id through the request's loader.
func loadLocation(ctx context.Context, id string) (*domain.Location, error) {
	loc, err := loadersFrom(ctx).locations.Load(ctx, id)
	if loc == nil && err == nil {
		return nil, queryError(ctx, &domain.Error{Code: domain.CodeNotFound, Message: "no location has id " + id})
	}
	return loc, err
}
