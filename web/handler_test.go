package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

// TestHandler checks caching, the fallback to index.html for the app's
// routes, and 404s for missing files and the service's own paths.
func TestHandler(t *testing.T) {
	files := fstest.MapFS{
		"index.html":             {Data: []byte(`<!doctype html><div id="root"></div><script src="/assets/index-abc123.js"></script>`)},
		"assets/index-abc123.js": {Data: []byte("console.log(1)")},
		"robots.txt":             {Data: []byte("User-agent: *")},
	}
	h := Handler(files)

	rec := get(t, h, http.MethodGet, "/assets/index-abc123.js")
	if rec.Code != http.StatusOK || rec.Body.String() != "console.log(1)" {
		t.Fatalf("asset: %d %q", rec.Code, rec.Body.String())
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control = %q, want a year, immutable", cc)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("asset Content-Type = %q", ct)
	}

	for _, path := range []string{"/", "/stock", "/items/abc", "/reports", "/sign-in?next=%2Fstock", "/index.html"} {
		rec := get(t, h, http.MethodGet, path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<div id="root">`) {
			t.Errorf("GET %s: %d %.80q, want index.html", path, rec.Code, rec.Body.String())
			continue
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control = %q, want no-cache", path, cc)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type = %q", path, ct)
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
	}

	if rec := get(t, h, http.MethodGet, "/robots.txt"); rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("robots.txt: %d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	if rec := get(t, h, http.MethodHead, "/stock"); rec.Code != http.StatusOK {
		t.Errorf("HEAD /stock: %d", rec.Code)
	}

	for _, path := range []string{
		"/assets/index-old999.js", "/assets/", "/assets", "/graphql/x", "/graphiql/x", "/healthz/x",
		"/readyz/x", "/metrics/x", "/reports/abc/download", "/graphql",
	} {
		if rec := get(t, h, http.MethodGet, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if rec := get(t, h, http.MethodPost, "/stock"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /stock: %d, want 405", rec.Code)
	}
}

// TestDistIsBuilt checks that the embedded build is whole: its index.html
// names only scripts and styles that are embedded beside it.
func TestDistIsBuilt(t *testing.T) {
	files := Dist()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		t.Fatalf("web/dist has no index.html: run npm run build in web/: %v", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="/(assets/[^"]+)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) == 0 {
		t.Fatalf("index.html names no assets: %s", index)
	}
	h := Handler(files)
	for _, m := range refs {
		if _, err := fs.Stat(files, m[1]); err != nil {
			t.Errorf("index.html names %s, which is not embedded", m[1])
			continue
		}
		if rec := get(t, h, http.MethodGet, "/"+m[1]); rec.Code != http.StatusOK {
			t.Errorf("GET /%s: %d", m[1], rec.Code)
		}
	}
}
