package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// handOverWait bounds every wait in these tests.
const handOverWait = 10 * time.Second

// echoSocket accepts a WebSocket and echoes each message until the client
// closes it.
func echoSocket(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Errorf("accept: %v", err)
			return
		}
		defer c.CloseNow()
		for {
			typ, msg, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if err := c.Write(r.Context(), typ, msg); err != nil {
				return
			}
		}
	})
}

// handOverServer serves h through handOverLive, and reports on returned
// each time net/http's goroutine for a request is done with it.
func handOverServer(t *testing.T, logs io.Writer, h http.Handler) (url string, returned <-chan struct{}) {
	return handOverServerLogging(t, logs, io.Discard, h)
}

// handOverServerLogging is handOverServer with net/http's own log (where a
// recovered panic goes) written to httpLog.
func handOverServerLogging(t *testing.T, logs, httpLog io.Writer, h http.Handler) (url string, returned <-chan struct{}) {
	s := &Server{logger: slog.New(slog.NewJSONHandler(logs, nil))}
	ret := make(chan struct{}, 16)
	handler := s.handOverLive(h)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
		ret <- struct{}{}
	}))
	srv.Config.ErrorLog = log.New(httpLog, "", 0) // net/http's word on a recovered panic
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, ret
}

func echo(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), handOverWait)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	_, got, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if string(got) != msg {
		t.Fatalf("echoed %q, want %q", got, msg)
	}
}

// TestHandOverLetsNetHTTPsGoroutineGo upgrades a connection: net/http's
// goroutine for the request is done as soon as the connection is taken
// over, while the connection goes on, with messages longer than its
// buffers both ways.
func TestHandOverLetsNetHTTPsGoroutineGo(t *testing.T) {
	url, returned := handOverServer(t, io.Discard, echoSocket(t))
	ctx, cancel := context.WithTimeout(context.Background(), handOverWait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	echo(t, c, "first")
	select {
	case <-returned:
	case <-time.After(handOverWait):
		t.Fatal("net/http's goroutine still serves the live connection")
	}
	echo(t, c, "after the hand-over")
	echo(t, c, strings.Repeat("a longer message than either buffer; ", 300))
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatalf("close: %v", err)
	}
}

// TestHandOverCarriesWhatCameWithTheUpgrade sends a message in the same
// write as the upgrade request, so that net/http has read it into its own
// buffer: the connection's new buffer still gives it first.
func TestHandOverCarriesWhatCameWithTheUpgrade(t *testing.T) {
	url, _ := handOverServer(t, io.Discard, echoSocket(t))
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), handOverWait)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(handOverWait))
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	var out bytes.Buffer
	out.WriteString("GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n\r\n")
	out.Write(maskedTextFrame("sent with the upgrade"))
	if _, err := conn.Write(out.Bytes()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d, want 101", resp.StatusCode)
	}
	head := make([]byte, 2)
	if _, err := io.ReadFull(br, head); err != nil {
		t.Fatalf("read the echo: %v", err)
	}
	payload := make([]byte, head[1]&0x7f)
	if _, err := io.ReadFull(br, payload); err != nil {
		t.Fatalf("read the echo: %v", err)
	}
	if string(payload) != "sent with the upgrade" {
		t.Fatalf("echoed %q", payload)
	}
}

// maskedTextFrame is a client's text frame of a short message.
func maskedTextFrame(msg string) []byte {
	mask := [4]byte{1, 2, 3, 4}
	f := []byte{0x81, 0x80 | byte(len(msg))}
	f = append(f, mask[:]...)
	for i := range len(msg) {
		f = append(f, msg[i]^mask[i%4])
	}
	return f
}

// TestHandOverPanics: a panic before the upgrade is net/http's to recover
// (the request fails, the server goes on), and its log has the stack of the
// goroutine that panicked; after it, it is logged with the request's id and
// the connection closed, without taking the process down.
func TestHandOverPanics(t *testing.T) {
	logs, httpLog := &LockedBuffer{}, &LockedBuffer{}
	url, _ := handOverServerLogging(t, logs, httpLog, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/before" {
			panicBeforeUpgrade()
		}
		w.Header().Set("X-Request-Id", "panicking-1") // as requestContext does
		if _, err := websocket.Accept(w, r, nil); err != nil {
			return
		}
		// Nothing here closes the connection: the hand-over must.
		panic("after the upgrade")
	}))
	ctx, cancel := context.WithTimeout(context.Background(), handOverWait)
	defer cancel()
	if _, _, err := websocket.Dial(ctx, url+"/before", nil); err == nil {
		t.Fatal("an upgrade whose handler panicked succeeded")
	}
	waitFor(t, httpLog, "before the upgrade")
	if !strings.Contains(httpLog.String(), "panicBeforeUpgrade") {
		t.Fatalf("net/http's log of the panic lacks the stack of the goroutine that panicked: %s", httpLog.String())
	}

	c, _, err := websocket.Dial(ctx, url+"/after", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if _, _, err := c.Read(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("read from a connection whose handler panicked: %v (want it closed at once)", err)
	}
	waitFor(t, logs, `"panic on a live connection"`)
	if !strings.Contains(logs.String(), "after the upgrade") || !strings.Contains(logs.String(), `"request_id":"panicking-1"`) {
		t.Fatalf("the log does not say what panicked, with the request's id: %s", logs.String())
	}
	// The server still serves.
	c2, _, err := websocket.Dial(ctx, url+"/after", nil)
	if err != nil {
		t.Fatalf("the server stopped serving: %v", err)
	}
	c2.CloseNow()
}

func panicBeforeUpgrade() { panic("before the upgrade") }

// waitFor waits until log says want.
func waitFor(t *testing.T, log *LockedBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(handOverWait); !strings.Contains(log.String(), want); {
		if time.Now().After(deadline) {
			t.Fatalf("the log never says %s: %s", want, log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHandOverKeepsCancellationUntilTheUpgrade sends a request that asks
// for an upgrade, which its handler does not make, and goes away: the
// handler's context is cancelled, as for any request.
func TestHandOverKeepsCancellationUntilTheUpgrade(t *testing.T) {
	cancelled := make(chan struct{})
	started := make(chan struct{})
	url, _ := handOverServer(t, io.Discard, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-r.Context().Done():
			close(cancelled)
		case <-time.After(handOverWait):
		}
	}))
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), handOverWait)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-started
	conn.Close()
	select {
	case <-cancelled:
	case <-time.After(handOverWait):
		t.Fatal("the handler's context was not cancelled when its client went away before an upgrade")
	}
}

// TestHandOverServesWhatCannotBeHijacked: through a response that cannot be
// hijacked, an upgrade is refused as it would be without the hand-over
// (501), not switched and then failed.
func TestHandOverServesWhatCannotBeHijacked(t *testing.T) {
	s := &Server{logger: slog.New(slog.DiscardHandler)}
	h := s.handOverLive(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = websocket.Accept(w, r, nil)
	}))
	r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Sec-WebSocket-Version", "13")
	r.Header.Set("Sec-WebSocket-Key", base64.StdEncoding.EncodeToString([]byte("0123456789abcdef")))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusNotImplemented {
		t.Fatalf("status %d, want 501", rec.Code)
	}
}
