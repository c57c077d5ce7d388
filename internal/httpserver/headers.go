package httpserver

import (
	"net/http"
	"strings"
)

// PagePolicy is the Content-Security-Policy of an HTML page the service
// serves: which sources each kind of resource may come from. A route picks
// its own (withPagePolicy); OwnScriptsOnly is the default, and a page that
// needs more says so with With.
type PagePolicy struct {
	Scripts     []string // script-src
	Styles      []string // style-src
	Images      []string // img-src
	Connections []string // connect-src: where the page's scripts may call
	Fonts       []string // font-src
}

// OwnScriptsOnly lets a page load scripts, styles, fonts and images from the
// service alone, call the service alone (including its WebSocket), and be
// framed by no one.
var OwnScriptsOnly = PagePolicy{
	Scripts:     []string{"'self'"},
	Styles:      []string{"'self'"},
	Images:      []string{"'self'", "data:"},
	Connections: []string{"'self'"},
	Fonts:       []string{"'self'"},
}

// graphiQLPolicy is the policy of the GraphQL IDE (package graphiql), which
// the binary serves whole: its scripts and stylesheets from the service, the
// fonts and icons inside GraphiQL's stylesheet as data: URLs, its queries
// and subscriptions to the service. No inline script or style element, no
// eval.
var graphiQLPolicy = OwnScriptsOnly.With(PagePolicy{Fonts: []string{"data:"}})

// With returns the policy with more sources added.
func (p PagePolicy) With(more PagePolicy) PagePolicy {
	join := func(a, b []string) []string { return append(append([]string{}, a...), b...) }
	return PagePolicy{
		Scripts:     join(p.Scripts, more.Scripts),
		Styles:      join(p.Styles, more.Styles),
		Images:      join(p.Images, more.Images),
		Connections: join(p.Connections, more.Connections),
		Fonts:       join(p.Fonts, more.Fonts),
	}
}

// String renders the policy as a Content-Security-Policy header value.
// Whatever the policy, nothing may frame the page, plugins are off, and
// <base> and form targets stay on the service.
func (p PagePolicy) String() string {
	var b strings.Builder
	b.WriteString("default-src 'none'")
	for _, d := range []struct {
		name    string
		sources []string
	}{
		{"script-src", p.Scripts}, {"style-src", p.Styles}, {"img-src", p.Images},
		{"connect-src", p.Connections}, {"font-src", p.Fonts},
	} {
		if len(d.sources) > 0 {
			b.WriteString("; " + d.name + " " + strings.Join(d.sources, " "))
		}
	}
	b.WriteString("; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	return b.String()
}

// apiPolicy is the Content-Security-Policy of every answer that is not an
// HTML page: JSON, CSV and text load nothing and may be framed by no one.
const apiPolicy = "default-src 'none'; frame-ancestors 'none'"

// hstsValue is the Strict-Transport-Security of a service behind TLS: a
// year, the commonly recommended minimum.
const hstsValue = "max-age=31536000"

// securityHeaders sets on every answer: nosniff, no Referer to other sites,
// no framing (X-Frame-Options for old browsers, frame-ancestors for the
// rest), the API's Content-Security-Policy (an HTML route replaces it with
// its page's, see withPagePolicy), and, when the operator says clients reach
// the service over HTTPS, Strict-Transport-Security.
func securityHeaders(behindTLS bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", apiPolicy)
		if behindTLS {
			h.Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}

// withPagePolicy serves an HTML page under its own Content-Security-Policy.
func withPagePolicy(p PagePolicy, next http.Handler) http.Handler {
	value := p.String()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", value)
		next.ServeHTTP(w, r)
	})
}
