package httpserver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/mail"
	"github.com/inventory-backbone/inventory/tenancy"
)

// peopleEdge is the HTTP side of sign-in: the client address the sign-in
// mutations need, and which operations need no token.
type peopleEdge struct {
	clientIPHeader string
	// secureCookies marks the refresh cookie Secure; see secureCookies.
	secureCookies bool
	// documents are the documents gqlgen has parsed and validated, which
	// public reads rather than parsing a query again.
	documents graphql.Cache[*ast.QueryDocument]
}

// NewAccounts builds the sign-in side from the configuration: accounts whose
// access tokens tc signs, and which email invitations when pc.SMTPURL is set
// (logging, without the link, what could not be sent).
func NewAccounts(store *domain.Store, pc config.People, tc tenancy.Config, logger *slog.Logger) (*domain.Accounts, error) {
	ac := domain.AccountsConfig{
		Argon2:        pc.Argon2,
		AccessTTL:     pc.AccessTTL,
		SessionTTL:    pc.SessionTTL,
		InvitationTTL: pc.InvitationTTL,
		SignUpClosed:  pc.SignUpClosed,
		PublicURL:     pc.PublicURL,
		Issue:         sessionIssuer(tc),
		RefreshKey:    refreshKey(tc),
	}
	if pc.SMTPURL != "" {
		m, err := mail.New(pc.SMTPURL, pc.MailFrom)
		if err != nil {
			return nil, fmt.Errorf("INVENTORY_SMTP_URL: %w", err)
		}
		ac.Mailer = loggedMailer{m, logger}
	}
	return domain.NewAccounts(store, ac), nil
}

// verifierOptions are what sign-in and an identity provider add to the
// verifier: a session check, so that ended sessions' access tokens are
// refused, and the provider's key set when one is configured, kept fresh
// until ctx ends.
func verifierOptions(ctx context.Context, pc config.People, accounts *domain.Accounts, logger *slog.Logger) ([]tenancy.Option, error) {
	opts := []tenancy.Option{tenancy.WithSessionCheck(accounts.SessionActive)}
	if pc.JWKSURL != "" {
		jwks, err := tenancy.NewJWKS(ctx, tenancy.JWKSConfig{URL: pc.JWKSURL, TenantClaim: pc.TenantClaim, RolesClaim: pc.RolesClaim,
			Issuer: pc.JWKSIssuer, Audience: pc.JWKSAudience, Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("INVENTORY_JWKS_URL: %w", err)
		}
		opts = append(opts, tenancy.WithJWKS(jwks))
	}
	return opts, nil
}

// refreshKey is the key refresh tokens' successors are derived with: an
// HMAC of the signing key, which every process shares, under a label of its
// own, so that the key signs nothing else.
func refreshKey(tc tenancy.Config) []byte {
	m := hmac.New(sha256.New, tc.Key)
	m.Write([]byte("inventory refresh token successors"))
	return m.Sum(nil)
}

// sessionIssuer signs sign-in's access tokens with the service's key.
func sessionIssuer(tc tenancy.Config) domain.AccessIssuer {
	return func(g domain.AccessGrant) (string, error) {
		roles := make([]tenancy.Role, 0, len(g.Roles))
		for _, name := range g.Roles {
			r, err := tenancy.ParseRole(name)
			if err != nil {
				return "", err
			}
			roles = append(roles, r)
		}
		return tenancy.MintSession(tc, g.TenantID, g.Email, roles, tenancy.Session{UserID: g.UserID, SessionID: g.SessionID}, g.TTL)
	}
}

// loggedMailer logs what a mailer could not send, without the link.
type loggedMailer struct {
	domain.Mailer
	logger *slog.Logger
}

func (m loggedMailer) SendInvitation(ctx context.Context, inv domain.InvitationMail) error {
	err := m.Mailer.SendInvitation(ctx, inv)
	if err != nil {
		m.logger.WarnContext(ctx, "invitation email not sent", "error", err.Error())
	}
	return err
}

// withExchange gives GraphQL requests over HTTP the exchange that sign-in
// mutations use for the refresh cookie, Retry-After and the client address.
func (p *peopleEdge) withExchange(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := &httpExchange{w: w, r: r, ipHeader: p.clientIPHeader, secure: p.secureCookies}
		next.ServeHTTP(w, r.WithContext(graph.WithExchange(r.Context(), ex)))
	})
}

// httpExchange implements graph.Exchange over one HTTP request.
type httpExchange struct {
	w        http.ResponseWriter
	r        *http.Request
	ipHeader string
	// secure marks cookies Secure.
	secure bool
}

func (e *httpExchange) Cookie(name string) (string, bool) {
	c, err := e.r.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

func (e *httpExchange) SetCookie(c *http.Cookie) {
	c.Secure = e.secure
	http.SetCookie(e.w, c)
}

func (e *httpExchange) SetHeader(name, value string) { e.w.Header().Set(name, value) }

// ClientAddr is the address the trusted proxy's header names last (the one
// the proxy itself added), or else the connection's.
func (e *httpExchange) ClientAddr() string {
	if e.ipHeader != "" {
		if v := e.r.Header.Values(e.ipHeader); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(e.r.RemoteAddr)
	if err != nil {
		return e.r.RemoteAddr
	}
	return host
}

// secureCookies reports whether cookies are marked Secure for the console's
// public URL: always, except for a plain-HTTP URL on a loopback host. It is
// decided by configuration, never by the client-sent Host header, which a
// proxy may forward as localhost over TLS.
func secureCookies(publicURL string) bool {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "http" {
		return true
	}
	return !isLoopbackHost(u.Hostname())
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// publicFields are the root fields a request without a token may ask for.
var publicFields = map[string]bool{
	"signUp": true, "signIn": true, "refreshSession": true, "signOut": true, "acceptInvitation": true,
	"__typename": true,
}

// requestBody returns the whole body of r and leaves r a body that reads it
// from its start. A body limitBody has read into memory is not copied.
func requestBody(r *http.Request) ([]byte, error) {
	if b, ok := r.Body.(*bufferedBody); ok && b.Len() == len(b.data) {
		return b.data, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}

// cachedDocument returns the parsed document of query when gqlgen has
// parsed it before. Validation has annotated such a document, but its
// operations and their root fields are what the parser made of the text.
func (p *peopleEdge) cachedDocument(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	if p.documents == nil {
		return nil, false
	}
	return p.documents.Get(ctx, query)
}

// public reports whether a request is a GraphQL mutation over POST whose
// root fields are all sign-in mutations: such a request needs no token.
func (p *peopleEdge) public(r *http.Request) bool {
	if p == nil || r.Method != http.MethodPost || r.Body == nil {
		return false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return false
	}
	body, err := requestBody(r)
	if err != nil || !bytes.Contains(body, []byte("mutation")) {
		return false
	}
	var req struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if json.Unmarshal(body, &req) != nil {
		return false
	}
	doc, ok := p.cachedDocument(r.Context(), req.Query)
	if !ok {
		if doc, err = parser.ParseQuery(&ast.Source{Input: req.Query}); err != nil {
			return false
		}
	}
	var op *ast.OperationDefinition
	switch {
	case req.OperationName != "":
		op = doc.Operations.ForName(req.OperationName)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	if op == nil || op.Operation != ast.Mutation || len(op.SelectionSet) == 0 {
		return false
	}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || !publicFields[f.Name] {
			return false
		}
	}
	return true
}
