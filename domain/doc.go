// Package domain is the inventory core: items, locations, the append-only
// movement ledger, the stock level projection, idempotency and the outbox.
//
// Every stock operation is a command that names the levels it touches and
// plans the movements it wants, given those levels as they stand under their
// advisory locks. One engine (see Store.execute) runs every command the same
// way: it sets the tenant for the transaction, claims the idempotency key,
// locks the levels in one global order, asks the command for its movements,
// appends them to the ledger, applies them to the projection, writes the
// outbox event and commits. Rules therefore live in the commands, and the
// guarantees (atomicity, no overselling, ledger = projection) live in one place.
//
// The package knows nothing of GraphQL, HTTP or job queues. It imports only
// the standard library and pgx.
package domain
