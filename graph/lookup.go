package graph

import (
	"context"
	"errors"

	"github.com/inventory-backbone/inventory/domain"
)

// lookup runs byKey or byAlt with whichever of key and altKey was given
// (giving both or neither is a VALIDATION error), and answers null where
// nothing matches, as lookups by key do.
func lookup[T any](ctx context.Context, key, altKey *string, byKey, byAlt func(string) (*T, error)) (*T, error) {
	var (
		v   *T
		err error
	)
	switch {
	case key != nil && altKey == nil:
		v, err = byKey(*key)
	case key == nil && altKey != nil:
		v, err = byAlt(*altKey)
	default:
		return nil, queryError(ctx, &domain.Error{Code: domain.CodeValidation, Message: "give exactly one of the two arguments"})
	}
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, queryError(ctx, err)
	}
	return v, nil
}
