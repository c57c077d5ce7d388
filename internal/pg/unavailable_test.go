package pg_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inventory-backbone/inventory/internal/pg"
)

// TestUnavailable checks which errors count as the database's absence: lost
// connections and the server's shutdown codes do; a query the server refused
// does not.
func TestUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("ship: %w", &pgconn.PgError{Code: "57P01"}), true}, // terminated by pg_terminate_backend or a restart
		{&pgconn.PgError{Code: "57P03"}, true},                         // starting up
		{&pgconn.PgError{Code: "08006"}, true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{pgconn.ErrConnClosed, true},
		{&pgconn.PgError{Code: "23505"}, false}, // unique violation
		{&pgconn.PgError{Code: "42501"}, false}, // insufficient privilege
		{errors.New("boom"), false},
		{nil, false},
	} {
		if got := pg.Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
