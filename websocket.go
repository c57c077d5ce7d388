package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/live"
	"github.com/inventory-backbone/inventory/tenancy"
)

// Close codes of live connections.
const (
	closeGoingAway       = 1001 // the server is shutting down
	closeInternal        = 1011 // the server failed
	closeTokenExpired    = 4401 // the token expired while connected
	closeForbidden       = 4403 // no valid token in connection_init
	closeTooSlow         = 4408 // a subscriber fell too far behind, or the client stopped reading
	closeTooManyRequests = 4429 // the tenant has too many live connections
)

// liveCloser remembers why the server ends a live connection, so that the
// close frame says so: gqlgen closes with 1000 "terminated" whatever the
// cause, and closingConn puts the real code and reason in its place.
type liveCloser struct {
	mu     sync.Mutex
	code   int
	reason string
}

func (l *liveCloser) set(code int, reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.code == 0 {
		l.code, l.reason = code, reason
	}
}

func (l *liveCloser) get() (int, string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.code, l.reason, l.code != 0
}

type liveCloserKey struct{}

// withLiveCloser gives a WebSocket request the holder of its close reason.
func withLiveCloser(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), liveCloserKey{}, &liveCloser{}))
}

func liveCloserFrom(ctx context.Context) *liveCloser {
	l, _ := ctx.Value(liveCloserKey{}).(*liveCloser)
	return l
}

// liveImplementation accepts WebSockets with coder/websocket and wraps each
// connection so that its close frame carries the server's reason.
type liveImplementation struct {
	inner transport.CoderWebsocketImplementation
}

// Accept accepts the connection.
func (l liveImplementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := l.inner.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	return &closingConn{WebsocketConn: conn, closer: liveCloserFrom(r.Context())}, nil
}

// closingConn is a WebSocket whose close frame says why the server ended it.
type closingConn struct {
	transport.WebsocketConn
	closer *liveCloser
}

// WriteClose closes with the server's own code and reason, when it has one.
func (c *closingConn) WriteClose(code int, message string) error {
	if c.closer != nil && code == transport.WebsocketCloseNormalClosure {
		if cc, reason, ok := c.closer.get(); ok {
			code, message = cc, reason
		}
	}
	return c.WebsocketConn.WriteClose(code, message)
}

// writeTimeout bounds one message to a live client. A client that stops
// reading fills its socket; past this, the connection is closed, so it holds
// no goroutine or tenant connection slot forever.
const writeTimeout = 15 * time.Second

// WriteJSON sends a message, closing the connection if the client does not
// take it within writeTimeout.
func (c *closingConn) WriteJSON(v any) error {
	t := time.AfterFunc(writeTimeout, func() {
		if c.closer != nil {
			c.closer.set(closeTooSlow, "client stopped reading")
		}
		_ = c.WebsocketConn.Close()
	})
	defer t.Stop()
	return c.WebsocketConn.WriteJSON(v)
}

// SetReadLimit passes through to the connection.
func (c *closingConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

// SetReadDeadline passes through to the connection.
func (c *closingConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// websocketTransport is GraphQL over WebSocket: graphql-transport-ws and the
// legacy graphql-ws. The token travels in connection_init's payload; a
// missing or bad one closes the socket with 4403. A connection ends when its
// token expires.
func (a *app) websocketTransport() transport.Websocket {
	return transport.Websocket{
		Implementation: liveImplementation{inner: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			// Authentication is by token in connection_init, never by cookie,
			// so another origin gains nothing a token does not give it.
			InsecureSkipVerify: true,
		}}},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
		PingPongInterval:      30 * time.Second,
		InitFunc:              a.initLiveConnection,
		CloseFunc: func(ctx context.Context, _ int) {
			if p, ok := tenancy.FromContext(ctx); ok {
				a.hub.ReleaseConnection(p.TenantID)
				graph.CloseLiveConnection(ctx, nil) // ends its timer and subscriptions
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
	p, err := a.verify(ctx, token) // a JWT or an API key: apikey_edge.go
	if err != nil {
		return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil, err
	}
	if info := requestInfoFrom(ctx); info != nil {
		info.setPrincipal(p.TenantID, p.Subject)
	}
	if err := a.hub.AcquireConnection(p.TenantID); err != nil {
		return transport.WithWebsocketCloseCode(ctx, closeTooManyRequests), nil, err
	}
	closer := liveCloserFrom(ctx)
	ctx, cancel := context.WithCancel(tenancy.WithPrincipal(ctx, p))
	end := func(code int, reason string) {
		if closer != nil {
			closer.set(code, reason)
		}
		cancel()
	}
	exp, ok := a.verifier.Expiry(token)
	if !ok {
		exp = time.Now().Add(24 * time.Hour)
	}
	expiry := time.AfterFunc(time.Until(exp), func() {
		end(closeTokenExpired, "access token expired: reconnect with a new token")
	})
	if tenancy.IsAPIKey(token) {
		// An API key has no token expiry: the connection lasts until the
		// key is revoked or expires (4403), see watchAPIKey.
		expiry.Stop()
		go a.watchAPIKey(ctx, token, end)
	}
	ctx = graph.WithLiveConnection(ctx, &graph.LiveConnection{
		MaxSubscriptions: int32(a.hub.Config().MaxSubscriptionsPerConnection),
		Close: func(err error) {
			expiry.Stop()
			switch {
			case err == nil:
				cancel()
			case errors.Is(err, live.ErrShuttingDown):
				end(closeGoingAway, "server shutting down: reconnect (to another server) and resume with after")
			case errors.Is(err, live.ErrTooSlow):
				end(closeTooSlow, err.Error())
			default:
				end(closeInternal, "internal error")
			}
		},
	})
	ctx = transport.AppendCloseReason(graph.WithUncachedLoaders(ctx, a.store), reasonPlaceholder)
	return reasonContext{Context: ctx, closer: closer}, nil, nil
}

// reasonPlaceholder stands, in the context, for the close reason that is
// only known when the connection ends.
const reasonPlaceholder = "\x00inventory-close-reason"

// reasonContext answers gqlgen's question "why did this connection end?"
// (which it sends as a connection_error in the graphql-ws protocol) with the
// reason the server recorded, read when the connection ends.
type reasonContext struct {
	context.Context
	closer *liveCloser
}

// Value answers the close reason in place of the placeholder.
func (c reasonContext) Value(key any) any {
	v := c.Context.Value(key)
	if s, ok := v.(string); ok && s == reasonPlaceholder {
		if c.closer == nil {
			return ""
		}
		_, reason, _ := c.closer.get()
		return reason
	}
	return v
}

// isWebSocketUpgrade reports whether a request asks to become a WebSocket.
func isWebSocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
