package graph

import (
	"fmt"
	"io"

	"github.com/99designs/gqlgen/graphql"

	"github.com/inventory-backbone/inventory/domain"
)

// Limits on an import's errors list.
const (
	defaultImportErrors = 100
	maxImportErrors     = 1000
)

// importErrorsLimit is how many row errors Import.errors(first) returns.
func importErrorsLimit(first *int64) int64 {
	if first == nil {
		return defaultImportErrors
	}
	return min(max(*first, 0), maxImportErrors)
}

// readUpload reads an uploaded file, up to one byte past limit, so that the
// domain can say a file is too large without the edge reading all of it.
func readUpload(u graphql.Upload, limit int64) ([]byte, error) {
	if u.Size > limit {
		return make([]byte, limit+1), nil // the domain refuses it by its size
	}
	b, err := io.ReadAll(io.LimitReader(u.File, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return b, nil
}

// change maps an omittable input field to a domain Change.
func change[T any](o graphql.Omittable[*T]) domain.Change[T] {
	v, set := o.ValueOK()
	if !set {
		return domain.Change[T]{}
	}
	return domain.Change[T]{Set: true, Value: v}
}
