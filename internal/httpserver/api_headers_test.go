package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/internal/config"
)

// TestSecurityHeaders checks finding 6 of issue 15: every answer carries
// nosniff, a Referrer-Policy and no-framing headers; the HTML page's
// Content-Security-Policy names where its scripts may come from and never
// allows any source; HSTS is sent only when the operator says the service is
// behind TLS.
func TestSecurityHeaders(t *testing.T) {
	s := newTestServer(t)
	for _, path := range []string{"/", "/graphql", "/healthz", "/metrics", "/no-such-page"} {
		_, h, _ := s.send(t, http.MethodGet, path, nil, nil)
		csp := h.Get("Content-Security-Policy")
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: nosniff %q, Referrer-Policy %q, X-Frame-Options %q, CSP %q", path,
				h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"), h.Get("X-Frame-Options"), csp)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("GET %s: HSTS without INVENTORY_BEHIND_TLS", path)
		}
	}
	_, h, body := s.send(t, http.MethodGet, "/", nil, nil)
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(string(body), "<html") || !strings.Contains(csp, "script-src 'self'") ||
		strings.Contains(csp, " * ") || strings.Contains(csp, "script-src *") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("the console page's CSP %q: want default-src 'none' and script-src from named sources", csp)
	}

	tls := newTestServerWith(t, serverOptions{config: func(c *config.Config) { c.BehindTLS = true }})
	if _, h, _ := tls.send(t, http.MethodGet, "/healthz", nil, nil); !strings.HasPrefix(h.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("behind TLS: Strict-Transport-Security %q", h.Get("Strict-Transport-Security"))
	}
}
