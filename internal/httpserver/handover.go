package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
)

// Buffer sizes of a live connection once handOverLive has taken it over. A
// client sends little (connection_init, subscribe, pong, all read in pieces
// when longer), and most messages to it are a few hundred bytes: one longer
// than the write buffer is written in two system calls rather than one.
const (
	liveReadBuffer  = 1 << 10
	liveWriteBuffer = 2 << 10
)

// handOverLive runs a WebSocket upgrade on a goroutine of its own, and lets
// net/http's goroutine for the request return as soon as the connection is
// hijacked. Otherwise net/http's goroutine lasts as long as the connection,
// and keeps what it holds for the request alive with it: the response, its
// headers, its connection's state and 4 KB read and write buffers, about
// 8 KB per live connection. The connection gets read and write buffers sized
// for live messages instead (handOver.Hijack).
//
// The rest of the chain sees a request as before, on the new goroutine: its
// log line and metrics come when the connection ends. Until the hijack, a
// client that goes away cancels the request's context, as before; after it,
// net/http's goroutine returning does not (it did not before either, being
// the one that waited), and the connection ends by its own close. A panic
// before the hijack is net/http's to recover, with the stack of the
// upgrade's goroutine in its value; after it, it is logged and the
// connection closed. A request that cannot be hijacked (HTTP/2, a test's
// recorder) is served as any other.
func (s *Server) handOverLive(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !isWebSocketUpgrade(r) || !hijackable(w) {
			next.ServeHTTP(w, r)
			return
		}
		h := &handOver{ResponseWriter: w, hijacked: make(chan struct{})}
		ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
		stop := context.AfterFunc(r.Context(), func() {
			select {
			case <-h.hijacked:
			default:
				cancel() // the client went away before the upgrade
			}
		})
		ended := make(chan any, 1) // nil, or what the chain panicked with
		go func() {
			defer cancel()
			defer stop()
			defer func() {
				v := recover()
				switch {
				case v == nil:
				case h.conn != nil:
					// Taken over: net/http's goroutine has returned.
					if v != http.ErrAbortHandler {
						s.logger.Error("panic on a live connection", "request_id", h.requestID,
							"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					}
					_ = h.conn.Close()
					v = nil
				case v != http.ErrAbortHandler:
					v = fmt.Sprintf("%v\n\nin the upgrade's goroutine:\n%s", v, debug.Stack())
				}
				ended <- v
			}()
			next.ServeHTTP(h, r.WithContext(ctx))
		}()
		select {
		case <-h.hijacked:
		case v := <-ended: // answered over HTTP (refused, or not an upgrade after all)
			if v != nil {
				panic(v) // net/http's to recover, as for any request
			}
		}
	})
}

// hijackable reports whether w, or a response it wraps, can be hijacked, as
// coder/websocket looks for it.
func hijackable(w http.ResponseWriter) bool {
	for {
		switch t := w.(type) {
		case http.Hijacker:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return false
		}
	}
}

// handOver is the response of a WebSocket upgrade that handOverLive runs.
// One goroutine uses it: the upgrade's. Once hijacked, it lets go of
// net/http's response.
type handOver struct {
	http.ResponseWriter
	hijacked  chan struct{} // closed once the connection is taken over
	conn      net.Conn
	requestID string // the request's id (requestContext), for a panic's log line
}

// Hijack takes the connection over, with buffers of its own, and tells
// handOverLive that net/http's goroutine may return.
func (h *handOver) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// What the client sent after the upgrade request, already read into
	// net/http's buffer, comes first through ours. Peek moves it into our
	// buffer: coder/websocket resets the reader onto the connection and
	// keeps only what is buffered. It is copied, so that net/http's 4 KB
	// buffer is not kept for it.
	var br *bufio.Reader
	if n := brw.Reader.Buffered(); n == 0 {
		br = bufio.NewReaderSize(conn, liveReadBuffer)
	} else {
		pending, _ := brw.Reader.Peek(n)
		br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(pending)), conn), max(liveReadBuffer, n))
		if _, err := br.Peek(n); err != nil {
			_ = conn.Close()
			return nil, nil, fmt.Errorf("carry over what the client sent with its upgrade: %w", err)
		}
	}
	// net/http flushes the 101 as it hijacks, so this writes nothing; it
	// is here so that nothing written through net/http's buffer is lost
	// should that change.
	if err := brw.Writer.Flush(); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	h.requestID = h.ResponseWriter.Header().Get("X-Request-Id")
	// coder/websocket reads the subprotocol it chose from the response's
	// headers after hijacking: that header stays (the key in its canonical
	// form).
	h.ResponseWriter = hijackedResponse{header: http.Header{
		"Sec-Websocket-Protocol": h.ResponseWriter.Header().Values("Sec-WebSocket-Protocol"),
	}}
	h.conn = conn
	close(h.hijacked)
	return conn, bufio.NewReadWriter(br, bufio.NewWriterSize(conn, liveWriteBuffer)), nil
}

// Unwrap returns the response underneath (a stand-in once hijacked).
func (h *handOver) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// hijackedResponse stands for a response whose connection was taken over.
type hijackedResponse struct{ header http.Header }

func (h hijackedResponse) Header() http.Header     { return h.header }
func (hijackedResponse) Write([]byte) (int, error) { return 0, http.ErrHijacked }
func (hijackedResponse) WriteHeader(int)           {}
func (hijackedResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("the connection was already hijacked")
}
