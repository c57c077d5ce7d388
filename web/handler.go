package web

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// reserved says whether the service answers a path itself: an unknown path
// there is a 404, never the console's page. /reports alone is the console's
// Reports page; /reports/... are downloads.
func reserved(p string) bool {
	for _, r := range []string{"/graphql", "/graphiql", "/healthz", "/readyz", "/metrics", "/assets"} {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return strings.HasPrefix(p, "/reports/")
}

// contentSecurityPolicy limits what the console page may load and run.
// Nothing is allowed unless named: scripts, fonts and calls to the service
// alone; inline styles, which Mantine writes at run time.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the console from files: files under assets/ (their names
// carry a hash of their content) with a year's immutable caching, other files
// as they are, and index.html, never cached, for every other GET, so that a
// page of the app can be bookmarked and reloaded.
func Handler(files fs.FS) http.Handler {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		index = []byte("<!doctype html><title>Inventory</title><p>The console was not built: run npm run build in web/.</p>")
	}
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(files, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					h.Set("Cache-Control", "no-cache")
				}
				fileServer.ServeHTTP(w, r)
				return
			}
		}
		if reserved(r.URL.Path) {
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(index))
	})
}
