package httpserver

import (
	"context"
	"log/slog"
	"time"
)

// slogDuration logs a duration as milliseconds, under k + "_ms".
func slogDuration(k string, v time.Duration) slog.Attr {
	return slog.Float64(k+"_ms", float64(v.Microseconds())/1000)
}

// logLevel keeps probes quiet: health, readiness and metrics requests log at
// debug unless they fail.
func logLevel(path string, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case path == "/healthz" || path == "/readyz" || path == "/metrics":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// quieter is a log handler that drops records below min: River logs routine
// progress at info level, which would drown the service's own lines.
type quieter struct {
	slog.Handler
	min slog.Level
}

// Enabled reports whether a record of this level is logged.
func (q quieter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= q.min && q.Handler.Enabled(ctx, l)
}

// WithAttrs keeps the minimum level.
func (q quieter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quieter{q.Handler.WithAttrs(attrs), q.min}
}

// WithGroup keeps the minimum level.
func (q quieter) WithGroup(name string) slog.Handler {
	return quieter{q.Handler.WithGroup(name), q.min}
}
