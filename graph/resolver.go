// Package graph is the GraphQL edge of the service: the schema, the code
// gqlgen generates from it, and thin resolvers. A resolver takes the
// principal from the context, makes one domain call and maps the result;
// business rules live in package domain.
package graph

import (
	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
)

//go:generate go run github.com/99designs/gqlgen generate

// Resolver holds the resolvers' dependencies. It holds no state of its own.
type Resolver struct {
	Store *domain.Store
	// Hub delivers committed changes to subscriptions.
	Hub *live.Hub
	// Accounts signs people in and manages members (people.resolvers.go).
	Accounts *domain.Accounts
}
