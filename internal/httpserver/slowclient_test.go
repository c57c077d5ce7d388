package httpserver_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

// serving runs httpserver.Serve, as the serve command does, on a loopback
// port, with the timeouts and connection cap given, and returns its address.
func serving(tb testing.TB, timeouts httpserver.Timeouts, maxConns int) string {
	tb.Helper()
	db := testdb.Get(tb)
	mig, err := pg.NewMigrator(db.Owner, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mig.Close() })
	cfg := config.Default()
	cfg.DatabaseURL = db.URL
	cfg.MaxConnections = maxConns
	srv, err := httpserver.New(httpserver.Options{Config: cfg, App: db.App, System: db.System, Owner: db.Owner, Migrator: mig,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), WithoutJobs: true, Timeouts: timeouts})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	tb.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// trickle sends msg one byte every interval until the server closes the
// connection, and returns how long that took.
func trickle(t *testing.T, addr, msg string, interval time.Duration) time.Duration {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, conn) // returns when the server closes
		close(closed)
	}()
	for i := 0; ; i++ {
		select {
		case <-closed:
			return time.Since(start)
		case <-time.After(interval):
		}
		if i < len(msg) {
			if _, err := conn.Write([]byte{msg[i]}); err != nil {
				<-closed
				return time.Since(start)
			}
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("the server kept a client sending %q one byte a second for 20 s", msg)
		}
	}
}

// TestSlowClientsAreCut checks item 8 of issue 15: a client that sends its
// headers, or its body, one byte a second is cut at the read-header or read
// timeout, and the connection cap makes the next client wait for a free
// connection rather than exhaust the process.
func TestSlowClientsAreCut(t *testing.T) {
	timeouts := httpserver.Timeouts{ReadHeader: time.Second, Read: 2 * time.Second, Write: 2 * time.Second, Idle: 2 * time.Second}
	addr := serving(t, timeouts, 0)
	t.Run("headers", func(t *testing.T) {
		took := trickle(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n", time.Second)
		if took > timeouts.ReadHeader+1500*time.Millisecond {
			t.Errorf("a client sending its headers one byte a second was cut after %v, want about %v", took, timeouts.ReadHeader)
		}
	})
	t.Run("body", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		_, _ = conn.Write([]byte("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"))
		closed := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, conn); close(closed) }()
		for {
			select {
			case <-closed:
				if took := time.Since(start); took > timeouts.Read+1500*time.Millisecond {
					t.Errorf("a client sending its body one byte a second was cut after %v, want about %v", took, timeouts.Read)
				}
				return
			case <-time.After(time.Second):
				_, _ = conn.Write([]byte("{"))
				if time.Since(start) > 20*time.Second {
					t.Fatal("the server kept a client sending its body one byte a second for 20 s")
				}
			}
		}
	})

	t.Run("connection cap", func(t *testing.T) {
		capped := serving(t, httpserver.Timeouts{ReadHeader: 2 * time.Second}, 2)
		for range 2 { // two silent connections fill the cap until the read-header timeout cuts them
			c, err := net.Dial("tcp", capped)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
		}
		time.Sleep(100 * time.Millisecond)
		start := time.Now()
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + capped + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if took := time.Since(start); resp.StatusCode != http.StatusOK || took < 1500*time.Millisecond {
			t.Errorf("a third client with the cap at 2: %d after %v; want 200 once a silent connection is cut (about 2 s)", resp.StatusCode, took)
		}
	})
}
