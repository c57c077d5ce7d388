package httpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/tenancy"
)

// shareSubscription executes a live subscription once for every subscriber
// that would receive the same bytes, and hands each of them the same
// response (live.Hub.Join): subscribers of one tenant with the same roles,
// document, operation name and variables. Executing and encoding an event
// then costs the same for one subscriber or ten thousand; what each one
// still costs is the write to its socket.
//
// The subscriber's own execution runs first, so that everything checked at
// subscribe time is checked for each subscriber as before (its roles, its
// connection's limit, its arguments), and its resolver says whether it may
// be shared (graph.SharedSlot): replays (stockChanged with after) and
// subscriptions that start with a current state are not.
func (s *Server) shareSubscription(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription || !graph.IsLiveConnection(ctx) {
		return next(ctx)
	}
	p, ok := tenancy.FromContext(ctx)
	if !ok {
		return next(ctx)
	}
	key, ok := shareKey(p, oc)
	if !ok {
		return next(ctx)
	}
	slot := &graph.SharedSlot{}
	own := next(graph.WithSharedSlot(ctx, slot))
	if !slot.Filled() {
		return own // refused, or not to be shared: as it answers
	}
	m := s.Hub.Join(ctx, key, func(gctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
		// The group's execution: the first subscriber's request, with a
		// connection of its own, whose end (the hub closes its subscriber)
		// ends the group and every member with the reason. next runs on
		// the group's goroutine, and sets the first subscriber's operation
		// context (gqlgen's DispatchOperation) before it reaches the
		// resolver, which calls entered (graph.WithSharedFeed).
		gctx = graph.WithLiveConnection(graph.WithSharedFeed(gctx, entered), &graph.LiveConnection{Close: end})
		responses := next(gctx)
		return func(ctx context.Context) (any, bool) {
			r := responses(ctx)
			if r == nil {
				return nil, false
			}
			// gqlgen reuses the buffer of Data for the next event.
			r.Data = bytes.Clone(r.Data)
			return r, true
		}
	})
	// The member reads on its own subscription's context, not on the one
	// gqlgen passes: gqlgen hands on the context of the last call of next,
	// which is the group's when this member started it.
	return func(context.Context) *graphql.Response {
		frame, ok := m.Next(ctx)
		if !ok {
			slot.Release()
			if err := m.Err(); err != nil {
				graph.CloseLiveConnection(ctx, err)
			}
			return nil
		}
		return frame.(*graphql.Response)
	}
}

// shareKey names what a subscriber receives: its tenant and roles (what its
// execution may see), and the document, operation and variables (what it
// asks for). ok is false when the variables cannot be encoded.
func shareKey(p *tenancy.Principal, oc *graphql.OperationContext) (string, bool) {
	vars, err := json.Marshal(oc.Variables) // map keys sorted
	if err != nil {
		return "", false
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	slices.Sort(roles)
	h := sha256.New()
	for _, part := range []string{p.TenantID, strings.Join(roles, ","), oc.OperationName, oc.RawQuery, string(vars)} {
		// Each part with its length, so that no two keys run together.
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)), true
}
