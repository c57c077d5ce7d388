// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, from files
// built into the binary: the page and its start-up script (page/), and the
// GraphiQL and React bundles of their npm packages (vendor/, copied there by
// internal/tooling/vendor-graphiql.mjs). Nothing is loaded from a CDN, so the
// IDE works offline, and the page can be served under a Content-Security-Policy
// that allows scripts from this origin only (script-src 'self'), with no
// inline script or style element and no eval. The server sets that policy
// with its other security headers (graphiQLPolicy in internal/httpserver).
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

//go:embed page vendor
var files embed.FS

// asset is one file the handler serves.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// Handler serves the IDE: the page at prefix (e.g. "/graphiql"), its files
// under prefix + "/". The GraphQL endpoint it talks to is "graphql" next to
// the page: with prefix "/graphiql", "/graphql".
func Handler(prefix string) http.Handler {
	assets := map[string]asset{}
	add := func(name, file string) {
		b, err := files.ReadFile(file)
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(file))
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		assets[name] = asset{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	add(prefix, "page/index.html")
	add(prefix+"/init.js", "page/init.js")
	add(prefix+"/page.css", "page/page.css")
	vendor, _ := fs.Glob(files, "vendor/*")
	for _, f := range vendor {
		add(prefix+"/"+f, f)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == prefix+"/" {
			http.Redirect(w, r, prefix, http.StatusMovedPermanently)
			return
		}
		a, ok := assets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "no-cache") // revalidate: the ETag makes that cheap
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	})
}
