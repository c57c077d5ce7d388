package httpserver

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/tenancy"
)

// Close codes of live connections. The close frame's reason says more.
const (
	CloseGoingAway       = 1001 // the server is shutting down
	CloseInternal        = 1011 // the server failed
	CloseTokenExpired    = 4401 // the token expired while connected
	CloseForbidden       = 4403 // no valid token in connection_init, or its sign-in session ended
	CloseTooSlow         = 4408 // a subscriber fell too far behind, the server fell behind on a shared subscription, or the client stopped reading
	CloseTooManyRequests = 4429 // the tenant has too many live connections
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
	inner        transport.CoderWebsocketImplementation
	writeTimeout time.Duration
}

// Accept accepts the connection.
func (l liveImplementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := l.inner.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	return &closingConn{WebsocketConn: conn, closer: liveCloserFrom(r.Context()), writeTimeout: l.writeTimeout}, nil
}

// closingConn is a WebSocket whose close frame says why the server ended it.
type closingConn struct {
	transport.WebsocketConn
	closer       *liveCloser
	writeTimeout time.Duration
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

// WriteJSON sends a message, closing the connection if the client does not
// take it within the hub's WriteTimeout.
func (c *closingConn) WriteJSON(v any) error {
	t := time.AfterFunc(c.writeTimeout, func() {
		if c.closer != nil {
			c.closer.set(CloseTooSlow, "client stopped reading")
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
// token expires (4401), and when the sign-in session its token names ends
// (4403).
func (s *Server) websocketTransport() transport.Websocket {
	return transport.Websocket{
		Implementation: liveImplementation{inner: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			// Authentication is by token in connection_init, never by cookie,
			// so another origin gains nothing a token does not give it.
			InsecureSkipVerify: true,
		}}, writeTimeout: s.Hub.Config().WriteTimeout},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
		PingPongInterval:      30 * time.Second,
		InitFunc:              s.initLiveConnection,
		CloseFunc: func(ctx context.Context, _ int) {
			if p, ok := tenancy.FromContext(ctx); ok {
				s.Hub.ReleaseConnection(p.TenantID)
				graph.CloseLiveConnection(ctx, nil) // ends its timer and subscriptions
			}
		},
	}
}

// initLiveConnection authenticates a live connection by the token in
// connection_init's payload and sets up what it lives with: the tenant's
// connection slot, its end at the token's expiry, and its close reasons.
func (s *Server) initLiveConnection(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	token, ok := tenancy.BearerToken(payload.Authorization())
	if !ok {
		return refuse(ctx, CloseForbidden, `connection_init needs {"Authorization": "Bearer <token>"}`)
	}
	p, err := s.verify(ctx, token) // a JWT or an API key: apikey.go
	if err != nil {
		if !errors.Is(err, tenancy.ErrUnauthenticated) {
			s.logger.ErrorContext(ctx, "token verification failed", "request_id", requestIDFrom(ctx), "error", err.Error())
			return refuse(ctx, CloseInternal, "internal error")
		}
		return refuse(ctx, CloseForbidden, err.Error())
	}
	if info := requestInfoFrom(ctx); info != nil {
		info.setPrincipal(p.TenantID, p.Subject)
	}
	if err := s.Hub.AcquireConnection(p.TenantID); err != nil {
		return refuse(ctx, CloseTooManyRequests, err.Error())
	}
	closer := liveCloserFrom(ctx)
	ctx, cancel := context.WithCancel(tenancy.WithPrincipal(ctx, p))
	end := func(code int, reason string) {
		if closer != nil {
			closer.set(code, reason)
		}
		cancel()
	}
	exp, ok := s.verifier.Expiry(token)
	if !ok {
		exp = time.Now().Add(24 * time.Hour)
	}
	expiry := time.AfterFunc(time.Until(exp), func() {
		end(CloseTokenExpired, "access token expired: reconnect with a new token")
	})
	if tenancy.IsAPIKey(token) {
		// An API key has no token expiry: the connection lasts until the
		// key is revoked or expires (4403), see watchAPIKey.
		expiry.Stop()
		go s.watchAPIKey(ctx, token, end)
	} else if sess, ok := s.verifier.SessionOf(token); ok {
		go s.watchSession(ctx, p.TenantID, sess, end)
	}
	ctx = graph.WithLiveConnection(ctx, &graph.LiveConnection{
		MaxSubscriptions: int32(s.Hub.Config().MaxSubscriptionsPerConnection),
		Close: func(err error) {
			expiry.Stop()
			switch {
			case err == nil:
				cancel()
			case errors.Is(err, live.ErrShuttingDown):
				end(CloseGoingAway, "server shutting down: reconnect (to another server) and resume with after")
			case errors.Is(err, live.ErrTooSlow):
				end(CloseTooSlow, err.Error())
			default:
				end(CloseInternal, "internal error")
			}
		},
	})
	ctx = transport.AppendCloseReason(graph.WithUncachedLoaders(ctx, s.Store), reasonPlaceholder)
	return reasonContext{Context: ctx, closer: closer}, nil, nil
}

// sessionWatchInterval is how often a live connection asks whether its
// sign-in session still goes on.
const sessionWatchInterval = 250 * time.Millisecond

// watchSession ends a live connection with 4403 once the sign-in session of
// its token ends (signed out everywhere, the member removed), within a
// second on every server process: every sessionWatchInterval it asks the
// verifier, whose answers are at most tenancy.SessionCheckTTL old, until ctx
// ends. A failed check is logged and tried again; it ends nothing.
func (s *Server) watchSession(ctx context.Context, tenantID string, sess tenancy.Session, end func(code int, reason string)) {
	t := time.NewTicker(sessionWatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		active, err := s.verifier.SessionActive(ctx, tenantID, sess)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.logger.WarnContext(ctx, "live connection: session check failed", "request_id", requestIDFrom(ctx), "error", err.Error())
		case !active:
			end(CloseForbidden, "the session has ended; sign in again")
			return
		}
	}
}

// refuse ends a connection in connection_init: the client gets the reason as
// a connection_error (in the legacy protocol) and in the close frame, with
// the code.
func refuse(ctx context.Context, code int, reason string) (context.Context, *transport.InitPayload, error) {
	ctx = transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), closeReason(reason))
	return ctx, nil, errors.New(reason)
}

// maxCloseReason is the longest reason a close frame carries, in bytes.
const maxCloseReason = 123

// closeReason cuts a reason to what a close frame carries, on a character
// boundary.
func closeReason(reason string) string {
	if len(reason) <= maxCloseReason {
		return reason
	}
	cut := maxCloseReason - len("…")
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut] + "…"
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
