package httpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/tenancy"
)

// shareSubscription executes a live subscription once for every subscriber
// that would receive the same bytes, and hands each of them the same
// response (live.Hub.Join): subscribers of one tenant with the same roles,
// document, operation name and variables (but for a resumed
// stockChanged's after: shareKey). Executing and encoding an event
// then costs the same for one subscriber or ten thousand; what each one
// still costs is the write to its socket.
//
// The subscriber's own execution runs first, so that everything checked at
// subscribe time is checked for each subscriber as before (its roles, its
// connection's limit, its arguments), and its resolver says whether it may
// be shared (graph.SharedSlot): subscriptions that start with a current
// state are not. A resumed stockChanged (with after) replays on its own,
// then moves onto the shared frames once it has caught up (resumeThenShare).
func (s *Server) shareSubscription(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription || !graph.IsLiveConnection(ctx) {
		return next(ctx)
	}
	p, ok := tenancy.FromContext(ctx)
	if !ok {
		return next(ctx)
	}
	key, resumable, ok := shareKey(p, oc)
	if !ok {
		return next(ctx)
	}
	slot := &graph.SharedSlot{}
	feed := s.sharedFeed(next)
	if resumable {
		slot.AllowResume()
		ownCtx, cancelOwn := context.WithCancel(ctx)
		own := next(graph.WithSharedSlot(ownCtx, slot))
		if tap := slot.Resuming(); tap != nil {
			return s.resumeThenShare(ctx, key, feed, slot, tap, own, ownCtx, cancelOwn)
		}
		// Refused (e.g. an expired cursor): as it answers.
		return func(context.Context) *graphql.Response {
			r := own(ownCtx)
			if r == nil {
				cancelOwn()
			}
			return r
		}
	}
	own := next(graph.WithSharedSlot(ctx, slot))
	if !slot.Filled() {
		return own // refused, or not to be shared: as it answers
	}
	m := s.Hub.Join(ctx, key, feed)
	// Should its answers stop without an end (a panic that gqlgen
	// recovers), the subscription's end still takes it out of the group.
	context.AfterFunc(ctx, m.Leave)
	// The member reads on its own subscription's context, not on the one
	// gqlgen passes: gqlgen hands on the context of the last call of next,
	// which is the group's when this member started it.
	return func(context.Context) *graphql.Response { return nextShared(ctx, m, slot) }
}

// sharedFrame is one response of a shared execution, with the place in the
// feed of the event it tells (tagged false: a response of no event, an
// error).
type sharedFrame struct {
	resp   *graphql.Response
	cursor domain.FeedCursor
	tagged bool
}

// sharedFeed returns how a group starts its execution (live.Feed): the
// first subscriber's request, with a connection of its own, whose end (the
// hub closes its subscriber) ends the group and every member with the
// reason. next runs on the group's goroutine, and sets the first
// subscriber's operation context (gqlgen's DispatchOperation) before it
// reaches the resolver, which calls entered (graph.WithSharedFeed).
func (s *Server) sharedFeed(next graphql.OperationHandler) live.Feed {
	return func(gctx context.Context, entered func(), end func(error)) func(context.Context) (any, bool) {
		tap := &graph.CursorTap{}
		// Loaders of its own: the first subscriber's connection's would
		// make its end (a pending batch on its context) the group's.
		gctx = graph.WithUncachedLoaders(gctx, s.Store)
		gctx = graph.WithLiveConnection(graph.WithSharedFeed(gctx, entered, tap), &graph.LiveConnection{Close: end})
		responses := next(gctx)
		return func(ctx context.Context) (any, bool) {
			r := responses(ctx)
			if r == nil {
				return nil, false
			}
			// gqlgen reuses the buffer of Data for the next event.
			r.Data = bytes.Clone(r.Data)
			c, tagged := tap.Pop()
			return sharedFrame{resp: r, cursor: c, tagged: tagged}, true
		}
	}
}

// nextShared returns a member's next response, or nil at its end, when it
// gives the connection's place back and, if the member was ended, closes
// the connection with the reason.
func nextShared(ctx context.Context, m *live.Member, slot *graph.SharedSlot) *graphql.Response {
	frame, ok := m.Next(ctx)
	if !ok {
		slot.Release()
		if err := m.Err(); err != nil {
			graph.CloseLiveConnection(ctx, err)
		}
		return nil
	}
	return frame.(sharedFrame).resp
}

// resumeThenShare answers a resumed subscription with its own execution
// (its replay, then live events) until it can take the shared frames of
// its key without a gap or a repeat. Once its own execution has caught up,
// it joins the key's group at the hub's current cursor: the group makes a
// frame for it of every event after that. At its own response of the first
// such event at the latest (or earlier, for an event whose shared frame
// reaches it anyway: one the group had not yet told when it joined), it waits for the group's frame of the same
// event (dropping those of earlier events, which its own execution told),
// ends its own execution, and goes on with the shared frames after it.
// Should the group end first, or its queue overflow, it goes on on its own,
// and joins again later.
func (s *Server) resumeThenShare(ctx context.Context, key string, feed live.Feed, slot *graph.SharedSlot,
	tap *graph.CursorTap, own graphql.ResponseHandler, ownCtx context.Context, cancelOwn context.CancelFunc) graphql.ResponseHandler {
	var m *live.Member
	var joinedAt domain.FeedCursor // every event after it reaches m
	var stop func() bool           // ends the tie of m to ctx
	shared := false
	leave := func() {
		stop()
		m.Leave()
		m = nil
	}
	return func(context.Context) *graphql.Response {
		if shared {
			return nextShared(ctx, m, slot)
		}
		r := own(ownCtx)
		if r == nil {
			cancelOwn()
			if m != nil {
				leave()
			}
			slot.Release()
			return nil
		}
		cur, tagged := tap.Pop()
		if !tagged {
			return r // a response of no event
		}
		if m != nil && m.Ended() {
			leave() // its group ended: join another once caught up
		}
		if m == nil {
			if !tap.Live() {
				return r
			}
			m = s.Hub.Join(ctx, key, feed)
			joinedAt = s.Hub.Cursor()
			stop = context.AfterFunc(ctx, m.Leave) // as in shareSubscription
		}
		for {
			if m.Ended() {
				leave() // its group ended: on its own, and join again later
				return r
			}
			if atSeam(m, cur) {
				shared = true
				cancelOwn()
				return r
			}
			if !cur.After(joinedAt) {
				return r // the group may never make this event's frame
			}
			if _, queued := m.Peek(); queued {
				leave() // the group's frames passed this event: it cannot happen, but if it does, on its own
				return r
			}
			if !m.Wait(ctx) {
				if ctx.Err() == nil {
					leave() // the group ended
				}
				return r
			}
		}
	}
}

// frameQueue is a member's queue of shared frames, as atSeam reads it.
type frameQueue interface {
	Peek() (any, bool)
	Drop()
}

// atSeam reports whether the shared frames q holds take over from a
// resumed subscription's own response of the event at cur: it drops the
// frames of events up to cur (its own execution told them), and says yes
// when one of them was cur itself, so that the next shared frame is the
// next event. It says no, dropping nothing more, when q holds no frame yet,
// or only later ones (its own execution has events to tell before them).
func atSeam(q frameQueue, cur domain.FeedCursor) bool {
	for {
		f, ok := q.Peek()
		if !ok {
			return false
		}
		frame := f.(sharedFrame)
		switch {
		case !frame.tagged || frame.cursor.Before(cur):
			q.Drop() // told by the own execution already
		case frame.cursor == cur:
			q.Drop() // told by this response
			return true
		default:
			return false
		}
	}
}

// shareKey names what a subscriber receives: its tenant and roles (what its
// execution may see), and the document, operation and variables (what it
// asks for). A stockChanged whose after is a variable used nowhere else is
// keyed without that variable: with it or without, the subscriber then
// receives the same live frames, and resumable says whether it has one
// (it replays first). ok is false when the variables cannot be encoded.
func shareKey(p *tenancy.Principal, oc *graphql.OperationContext) (key string, resumable, ok bool) {
	variables := oc.Variables
	if name, ok := resumeVariable(oc); ok {
		resumable = variables[name] != nil
		variables = maps.Clone(variables)
		delete(variables, name)
	}
	vars, err := json.Marshal(variables) // map keys sorted
	if err != nil {
		return "", false, false
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
	return hex.EncodeToString(h.Sum(nil)), resumable, true
}

// resumeVariable returns the name of the variable given as the after of a
// stockChanged subscription, when the document uses it nowhere else (so
// that its value changes nothing but where the subscription starts).
func resumeVariable(oc *graphql.OperationContext) (string, bool) {
	if len(oc.Operation.SelectionSet) != 1 {
		return "", false
	}
	f, ok := oc.Operation.SelectionSet[0].(*ast.Field)
	if !ok || f.Name != "stockChanged" {
		return "", false
	}
	arg := f.Arguments.ForName("after")
	if arg == nil || arg.Value == nil || arg.Value.Kind != ast.Variable {
		return "", false
	}
	// This one use, and no other: in arguments and directives anywhere in
	// the operation, through its fragments.
	uses := directiveUses(oc.Operation.Directives, arg.Value.Raw) +
		variableUses(oc.Operation.SelectionSet, arg.Value.Raw, map[string]bool{})
	if uses != 1 {
		return "", false
	}
	return arg.Value.Raw, true
}

// variableUses counts the uses of the variable name in a selection set:
// in its fields' and fragments' arguments and directives, and below them.
// seen holds the fragments counted already.
func variableUses(set ast.SelectionSet, name string, seen map[string]bool) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			for _, a := range sel.Arguments {
				n += valueUses(a.Value, name)
			}
			n += directiveUses(sel.Directives, name)
			n += variableUses(sel.SelectionSet, name, seen)
		case *ast.InlineFragment:
			n += directiveUses(sel.Directives, name)
			n += variableUses(sel.SelectionSet, name, seen)
		case *ast.FragmentSpread:
			n += directiveUses(sel.Directives, name)
			switch {
			case sel.Definition == nil:
				n += 2 // not resolved: count it as a use, and another
			case !seen[sel.Name]:
				seen[sel.Name] = true
				n += directiveUses(sel.Definition.Directives, name)
				n += variableUses(sel.Definition.SelectionSet, name, seen)
			}
		}
	}
	return n
}

// directiveUses counts the uses of the variable name in directives.
func directiveUses(ds ast.DirectiveList, name string) int {
	n := 0
	for _, d := range ds {
		for _, a := range d.Arguments {
			n += valueUses(a.Value, name)
		}
	}
	return n
}

// valueUses counts the uses of the variable name in a value, and in the
// values of its lists and objects.
func valueUses(v *ast.Value, name string) int {
	if v == nil {
		return 0
	}
	if v.Kind == ast.Variable {
		if v.Raw == name {
			return 1
		}
		return 0
	}
	n := 0
	for _, c := range v.Children {
		n += valueUses(c.Value, name)
	}
	return n
}
