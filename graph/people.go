package graph

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph/model"
)

// RefreshCookie names the cookie that carries a browser's refresh token.
const RefreshCookie = "inventory_refresh"

// Exchange is the HTTP exchange a sign-in mutation runs in: the request's
// cookies and client address, and the response's cookies and headers.
// Package main puts one in the context of every GraphQL request over HTTP.
type Exchange interface {
	// Cookie returns the value of a request cookie.
	Cookie(name string) (string, bool)
	// SetCookie adds a cookie to the response. The exchange decides
	// whether it is Secure.
	SetCookie(c *http.Cookie)
	// SetHeader sets a response header.
	SetHeader(name, value string)
	// ClientAddr is the client's address, for throttling.
	ClientAddr() string
}

type exchangeKey struct{}

// WithExchange returns a context that carries the HTTP exchange.
func WithExchange(ctx context.Context, ex Exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, ex)
}

// exchange returns the context's exchange, or one that does nothing (a
// WebSocket, a test without HTTP).
func exchange(ctx context.Context) Exchange {
	if ex, ok := ctx.Value(exchangeKey{}).(Exchange); ok && ex != nil {
		return ex
	}
	return noExchange{}
}

type noExchange struct{}

func (noExchange) Cookie(string) (string, bool) { return "", false }
func (noExchange) SetCookie(*http.Cookie)       {}
func (noExchange) SetHeader(string, string)     {}
func (noExchange) ClientAddr() string           { return "" }

// setRefreshCookie sets or, for an empty token, clears the refresh cookie.
// It is sent only to /graphql, never to another site.
func setRefreshCookie(ctx context.Context, token string, expires time.Time) {
	c := &http.Cookie{Name: RefreshCookie, Value: token, Path: "/graphql", HttpOnly: true, SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
		c.MaxAge = int(time.Until(expires).Seconds())
	}
	exchange(ctx).SetCookie(c)
}

// refreshToken returns the token given, or else the refresh cookie.
func refreshToken(ctx context.Context, given *string) string {
	if given != nil && strings.TrimSpace(*given) != "" {
		return strings.TrimSpace(*given)
	}
	v, _ := exchange(ctx).Cookie(RefreshCookie)
	return v
}

// authPayload maps the outcome of a sign-in: on success it also sets the
// refresh cookie; a refusal for too many attempts sets Retry-After.
func authPayload(ctx context.Context, auth *domain.Auth, err error) (*model.AuthPayload, error) {
	if wait, ok := domain.IsThrottled(err); ok {
		exchange(ctx).SetHeader("Retry-After", strconv.Itoa(int(wait/time.Second)))
	}
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	p := &model.AuthPayload{UserErrors: errs}
	if auth != nil {
		p.AccessToken, p.ExpiresAt = &auth.AccessToken, &auth.AccessExpiresAt
		p.RefreshToken, p.RefreshExpiresAt = &auth.RefreshToken, &auth.RefreshExpiresAt
		p.User, p.Tenant = auth.User, auth.Tenant
		setRefreshCookie(ctx, auth.RefreshToken, auth.RefreshExpiresAt)
	}
	return p, nil
}
