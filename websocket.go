package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/tenancy"
)

// Close codes of live connections.
const (
	closeForbidden       = 4403 // no valid token in connection_init
	closeTooManyRequests = 4429 // the tenant has too many live connections
)

// reasonPlaceholder marks the close reason that reasonContext fills in when
// the connection ends.
const reasonPlaceholder = "\x00inventory-close-reason"

// reasonContext lets a connection's close reason be decided after the
// connection started: gqlgen reads the reason from the context when the
// context ends.
type reasonContext struct {
	context.Context
	reason *atomic.Pointer[string]
}

// Value answers the close reason in place of the placeholder.
func (c reasonContext) Value(key any) any {
	v := c.Context.Value(key)
	if s, ok := v.(string); ok && s == reasonPlaceholder {
		if r := c.reason.Load(); r != nil {
			return *r
		}
		if errors.Is(c.Context.Err(), context.DeadlineExceeded) {
			return "access token expired: reconnect with a new token"
		}
		return ""
	}
	return v
}

// websocketTransport is GraphQL over WebSocket: graphql-transport-ws and the
// legacy graphql-ws. The token travels in connection_init's payload; a
// missing or bad one closes the socket with 4403. A connection ends when its
// token expires.
func (a *app) websocketTransport() transport.Websocket {
	return transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			// Authentication is by token in connection_init, never by cookie,
			// so another origin gains nothing a token does not give it.
			InsecureSkipVerify: true,
		}},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
		PingPongInterval:      30 * time.Second,
		InitFunc:              a.initLiveConnection,
		CloseFunc: func(ctx context.Context, _ int) {
			if p, ok := tenancy.FromContext(ctx); ok {
				a.hub.ReleaseConnection(p.TenantID)
				graph.CloseLiveConnection(ctx, "") // ends its timer and subscriptions
			}
		},
	}
}

func (a *app) initLiveConnection(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	token, ok := tenancy.BearerToken(payload.Authorization())
	if !ok {
		return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil,
			errors.New(`connection_init needs {"Authorization": "Bearer <token>"}`)
	}
	p, err := a.verifier.Verify(ctx, token)
	if err != nil {
		return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil, err
	}
	if info := requestInfoFrom(ctx); info != nil {
		info.setPrincipal(p.TenantID, p.Subject)
	}
	if err := a.hub.AcquireConnection(p.TenantID); err != nil {
		return transport.WithWebsocketCloseCode(ctx, closeTooManyRequests), nil, err
	}
	reason := &atomic.Pointer[string]{}
	exp, ok := a.verifier.Expiry(token)
	if !ok {
		exp = time.Now().Add(24 * time.Hour)
	}
	ctx, cancel := context.WithDeadline(tenancy.WithPrincipal(ctx, p), exp)
	ctx = graph.WithLiveConnection(ctx, &graph.LiveConnection{
		MaxSubscriptions: int32(a.hub.Config().MaxSubscriptionsPerConnection),
		Close: func(r string) {
			reason.CompareAndSwap(nil, &r)
			cancel()
		},
	})
	ctx = transport.AppendCloseReason(ctx, reasonPlaceholder)
	ctx = graph.WithLoaders(ctx, a.store)
	return reasonContext{Context: ctx, reason: reason}, nil, nil
}

// isWebSocketUpgrade reports whether a request asks to become a WebSocket.
func isWebSocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
