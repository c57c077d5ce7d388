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
	return withLoaders(ctx, store, dataloadgen.WithWait(time.Millisecond))
}

// WithUncachedLoaders returns a context with loaders that batch but do not
// remember: for a live connection, whose events arrive over hours and must
// not show stale items or remembered errors.
func WithUncachedLoaders(ctx context.Context, store *domain.Store) context.Context {
	return withLoaders(ctx, store, dataloadgen.WithWait(time.Millisecond), dataloadgen.WithoutCache())
}

func withLoaders(ctx context.Context, store *domain.Store, opts ...dataloadgen.Option) context.Context {
	wait := opts
	l := &loaders{
		items: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*domain.Item, []error) {
			return inOrder(ctx, ids, store.ItemsByID, func(i *domain.Item) string { return i.ID })
		}, wait...),
		locations: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*domain.Location, []error) {
			return inOrder(ctx, ids, store.LocationsByID, func(l *domain.Location) string { return l.ID })
		}, wait...),
		levels: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]*domain.Level, []error) {
			sc, err := scope(ctx)
			if err != nil {
				return nil, []error{err}
			}
			byItem, err := store.LevelsByItem(ctx, sc, ids)
			if err != nil {
				return nil, []error{err}
			}
			out := make([][]*domain.Level, len(ids))
			for i, id := range ids {
				out[i] = byItem[id]
				if out[i] == nil {
					out[i] = []*domain.Level{} // an item that never moved has no levels
				}
			}
			return out, nil
		}, wait...),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

// inOrder fetches rows by id and lines them up with the ids asked for; an id
// that names no row gets nil (and no error), which the caller reports as
// NOT_FOUND.
func inOrder[T any](ctx context.Context, ids []string, fetch func(context.Context, domain.Scope, []string) ([]T, error),
	id func(T) string) ([]T, []error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, []error{err}
	}
	rows, err := fetch(ctx, sc, ids)
	if err != nil {
		return nil, []error{err}
	}
	byID := make(map[string]T, len(rows))
	for _, r := range rows {
		byID[id(r)] = r
	}
	out := make([]T, len(ids))
	for i, k := range ids {
		out[i] = byID[k]
	}
	return out, nil
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
