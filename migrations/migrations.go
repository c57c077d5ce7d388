// Package migrations holds the service's SQL schema migrations, embedded in the
// binary so that a deployed service can bring its database up to date by itself.
//
// Files are named NNNNN_description.sql and use goose's annotations
// (-- +goose Up / -- +goose Down). Each file runs in its own transaction.
package migrations

import "embed"

// FS holds every migration file, in the order of their numeric prefixes.
//
//go:embed *.sql
var FS embed.FS
