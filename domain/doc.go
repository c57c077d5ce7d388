// Package domain is the inventory core: items, locations, the append-only
// movement ledger, the stock level projection, idempotency and the outbox,
// and the outbox's readers that keep a cursor: the pulled feed
// (feed_pull.go) and webhook endpoints (webhook*.go).
//
// # How a stock operation runs
//
// Every stock operation is a command (command.go) that names the levels it
// touches and plans the movements it wants, given those levels as they stand
// under their advisory locks. One engine (engine.go, Store.execute) runs every
// command the same way, in one transaction, which it shares with the
// commands that arrive at the same time (group commit: group.go and
// group_tx.go; each command is still planned, answered and failed on its
// own, in arrival order):
//
//  1. it sets the tenant for the transaction (set_config(..., true)) and lets
//     the command read what it needs to name its levels;
//  2. it checks that the command's item and locations exist, locks the levels
//     in one global order (LockKey), then claims the idempotency key under
//     those locks, and reads the operation's time and the levels; a key used
//     before answers with the first call's outcome (or IDEMPOTENCY_CONFLICT)
//     and writes nothing;
//  3. it asks the command for its movements;
//  4. it appends them to the ledger and applies them to the projection, with
//     each level's history row;
//  5. it writes the outbox event (outbox.go), the idempotency key's answer and
//     the alert-check marks, and commits.
//
// Rules therefore live in the commands, and the guarantees (atomicity, no
// overselling, ledger = projection) live in one place.
//
// The commands live in five files: stock.go (receive, ship, adjust, count,
// transfer at once), state_change.go (change state, write off),
// reservation.go (reserve, release, fulfil, expire), allocation.go (allocate
// across locations) and transit.go (ship, receive and cancel a transfer in
// transit).
//
// # Adding a stock operation
//
// A new operation touches these places. The last two are easy to miss: when
// one is forgotten, nothing fails until a movement of the new kind is written
// or shown.
//
//  1. the command: a type with operation, keys and plan (and prepare,
//     loadLocked, persist or locationFields when it needs them), beside its
//     kin in one of the files above. Its exported fields are its input, which
//     the idempotency fingerprint hashes (see command);
//  2. the Store method: validate the input into a command, then return
//     s.execute(ctx, sc, cmd, meta);
//  3. the schema: the mutation, its input and its payload in
//     graph/schema/*.graphqls, then `go run github.com/99designs/gqlgen
//     generate` and commit the generated code;
//  4. the resolver: authenticate, call the one Store method, map the result
//     with stockChangePayload (graph/payload.go), or a payload of its own
//     when the operation returns more than a StockChange;
//  5. a MovementKind (movement.go), if the operation records a kind of
//     movement that none of the existing ones describes;
//  6. a new migration that widens the CHECK constraint on movements.kind
//     (movements_kind_check, first declared in migrations/00001_core.sql):
//     without it the first movement of the new kind fails to insert;
//  7. the GraphQL enum MovementKind (graph/schema/stock.graphqls) and its
//     binding to the Go constant in gqlgen.yml: without them the API cannot
//     show the new movements.
//
// # Names
//
// Stock in transit is the state IN_TRANSIT, the column in_transit, and
// Level.Incoming (GraphQL incoming) at the destination: see Level.
//
// # Imports
//
// The package knows nothing of GraphQL, HTTP or job queues: it imports the
// standard library, pgx, and google/uuid for the ids it makes. Jobs reach it
// through the Scheduler interface that package jobs implements.
package domain
