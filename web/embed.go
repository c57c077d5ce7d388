// Package web holds the console, the single-page app of CONTRACT §6, built
// from web/src into web/dist by `npm run build` and embedded in the binary so
// that serving it needs no Node.js.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built console: index.html at its root, hashed files under assets/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the directory is embedded at build time: it exists
	}
	return sub
}
