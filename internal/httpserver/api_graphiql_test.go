package httpserver_test

import (
	"context"
	"log/slog"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/tenancy"
)

// TestGraphiQLServedFromTheBinary checks the IDE at /graphiql: the page
// needs no token, carries a Content-Security-Policy that allows scripts from
// its own origin only, has no inline script and names no other host; and
// every script and stylesheet it loads is served by the binary, with its type
// and a validator.
func TestGraphiQLServedFromTheBinary(t *testing.T) {
	s := newTestServer(t)
	status, header, body := s.send(t, http.MethodGet, "/graphiql", nil, nil)
	if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /graphiql: %d %s", status, header.Get("Content-Type"))
	}
	csp := header.Get("Content-Security-Policy")
	if csp != httpserver.GraphiQLPolicy || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	page := string(body)
	if regexp.MustCompile(`https?://`).MatchString(page) {
		t.Errorf("the page names another host: %s", page)
	}
	if regexp.MustCompile(`<script>|<script\s+[^>]*>[^<]`).MatchString(page) {
		t.Errorf("the page has an inline script: %s", page)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 5 {
		t.Fatalf("the page loads %d files: %s", len(refs), page)
	}
	for _, ref := range refs {
		path := "/" + ref[1] // relative to /graphiql
		status, header, body := s.send(t, http.MethodGet, path, nil, nil)
		want := "text/javascript"
		if strings.HasSuffix(path, ".css") {
			want = "text/css"
		}
		if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), want) || len(body) == 0 {
			t.Errorf("GET %s: %d %q, %d bytes", path, status, header.Get("Content-Type"), len(body))
			continue
		}
		etag := header.Get("ETag")
		if status, _, _ := s.send(t, http.MethodGet, path, http.Header{"If-None-Match": {etag}}, nil); etag == "" || status != http.StatusNotModified {
			t.Errorf("GET %s with its ETag %q: %d, want 304", path, etag, status)
		}
	}
	for _, path := range []string{"/graphiql/nothing.js", "/graphiql/vendor/../page/index.html"} {
		if status, _, _ := s.send(t, http.MethodGet, path, nil, nil); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, status)
		}
	}
}

// TestConsoleServedAtRoot checks that / and the console's app routes serve
// the console's page (web/) without a token, under its own
// Content-Security-Policy, while unknown paths under the service's own
// prefixes stay 404 and other methods 405; and that the console's policy is
// not the IDE's, so neither breaks the other.
func TestConsoleServedAtRoot(t *testing.T) {
	s := newTestServer(t)
	_, ideHeader, _ := s.send(t, http.MethodGet, "/graphiql", nil, nil)
	idePolicy := ideHeader.Get("Content-Security-Policy")
	for _, path := range []string{"/", "/stock", "/items/123", "/settings/api-keys"} {
		status, header, body := s.send(t, http.MethodGet, path, nil, nil)
		if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/html") ||
			!strings.Contains(string(body), `<div id="root">`) {
			t.Errorf("GET %s: %d %s, want the console's page", path, status, header.Get("Content-Type"))
			continue
		}
		csp := header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-eval") || csp == idePolicy {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
	}
	for _, path := range []string{"/graphql/no-such-page", "/graphiql/no-such-page", "/assets/no-such.js", "/reports/x/y/z"} {
		if status, _, _ := s.send(t, http.MethodGet, path, nil, nil); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, status)
		}
	}
	if status, _, _ := s.send(t, http.MethodPost, "/stock", nil, nil); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /stock: %d, want 405", status)
	}
}

// browser returns a headless Chromium or Chrome, or skips the test.
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium or Chrome to run the IDE in")
	return ""
}

// TestGraphiQLInABrowser loads the IDE in headless Chromium with a token and
// checks that GraphiQL starts, that its schema fetch (graphql-js's
// introspection query) carries the token and succeeds, that no request goes
// out without it, and that the Content-Security-Policy refuses nothing the
// page needs.
func TestGraphiQLInABrowser(t *testing.T) {
	chrome := browser(t)
	logs := &lockedBuffer{}
	s := newTestServerWith(t, serverOptions{logger: slog.New(slog.NewJSONHandler(logs, nil))})
	token := s.token(t, s.tenant(t), "ide-user", tenancy.Viewer)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=15000", "--dump-dom", s.URL+"/graphiql#token="+token)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(string(dom), "graphiql-container") {
		t.Fatalf("GraphiQL did not start: %.2000s", dom)
	}
	if strings.Contains(string(dom), token) {
		t.Errorf("the token stayed in the page")
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Refused to") {
			t.Errorf("the browser refused something: %s", line)
		}
	}
	var introspected bool
	for _, line := range strings.Split(logs.String(), "\n") {
		if !strings.Contains(line, `"path":"/graphql"`) {
			continue
		}
		if !strings.Contains(line, `"status":200`) || !strings.Contains(line, `"subject":"ide-user"`) {
			t.Errorf("a request of the IDE went without its token: %s", line)
		}
		introspected = introspected || strings.Contains(line, `"operation":"IntrospectionQuery"`)
	}
	if !introspected {
		t.Errorf("the IDE fetched no schema; server log:\n%s", logs.String())
	}
}
