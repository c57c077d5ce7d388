package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inventory-backbone/inventory/graph"
	"github.com/inventory-backbone/inventory/internal/pg"
	"github.com/inventory-backbone/inventory/tenancy"
)

// requestInfo collects, while a request runs, what its log line reports. A
// WebSocket request runs many operations at once, hence the lock.
type requestInfo struct {
	id string

	mu        sync.Mutex
	tenant    string
	subject   string
	operation string

	// unavailable is set when an error of the request was the database's
	// absence (see answerUnavailable).
	unavailable atomic.Bool
	// rateLimited is set when a field was refused for its tenant's running
	// writes (see limitTenantWrites).
	rateLimited atomic.Bool
}

// setOperation records the request's first operation name.
func (i *requestInfo) setOperation(name string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.operation == "" {
		i.operation = name
	}
}

func (i *requestInfo) setPrincipal(tenant, subject string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.tenant, i.subject = tenant, subject
}

func (i *requestInfo) logged() (tenant, subject, operation string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.tenant, i.subject, i.operation
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

func requestIDFrom(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// requestContext gives every request an id (the caller's X-Request-Id when it
// is sane), CORS headers, a count in the metrics by route and status, and one
// structured log line when it ends: id, method, path, status, duration,
// tenant, subject and GraphQL operation name. It never logs headers, so
// tokens never reach the log. (Bodies are limited where they are read: see
// limitBody.)
func (s *Server) requestContext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: r.Header.Get("X-Request-Id")}
		if !safeRequestID.MatchString(info.id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			info.id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", info.id)
		allowCrossOrigin(w, r)
		rec := &statusRecorder{ResponseWriter: w}
		inner := r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		next.ServeHTTP(rec, inner) // a ServeMux sets inner.Pattern to the route it matched
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		elapsed := time.Since(start)
		s.metrics.observeHTTP(inner.Pattern, status, elapsed)
		tenant, subject, operation := info.logged()
		traceID := nameSpan(r.Context(), r.Method, inner.Pattern)
		s.logger.LogAttrs(r.Context(), logLevel(r.URL.Path, status), "request",
			slog.String("request_id", info.id),
			slog.String("trace_id", traceID),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slogDuration("duration", elapsed),
			slog.String("tenant", tenant),
			slog.String("subject", subject),
			slog.String("operation", operation))
	})
}

// authenticate verifies the bearer token of a GraphQL request and puts its
// principal in the context. Without a valid one the answer is HTTP 401 with a
// GraphQL error whose extensions.code is UNAUTHENTICATED.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) {
			next.ServeHTTP(w, withLiveCloser(r)) // a WebSocket authenticates in connection_init
			return
		}
		if r.Method == http.MethodOptions || s.people.public(r) { // sign-in mutations need no token: people.go
			next.ServeHTTP(w, r)
			return
		}
		token, ok := tenancy.BearerToken(r.Header.Get("Authorization"))
		if !ok {
			writeUnauthenticated(w, "a bearer token is required: Authorization: Bearer <token>")
			return
		}
		p, err := s.verify(r.Context(), token) // a JWT or an API key: apikey.go
		if err != nil {
			if pg.Unavailable(err) {
				s.logger.WarnContext(r.Context(), "database unavailable", "request_id", requestIDFrom(r.Context()), "error", err.Error())
				writeUnavailable(w)
				return
			}
			if !errors.Is(err, tenancy.ErrUnauthenticated) {
				s.logger.ErrorContext(r.Context(), "token verification failed", "request_id", requestIDFrom(r.Context()), "error", err.Error())
				http.Error(w, `{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`, http.StatusInternalServerError)
				return
			}
			writeUnauthenticated(w, err.Error())
			return
		}
		if info := requestInfoFrom(r.Context()); info != nil {
			info.setPrincipal(p.TenantID, p.Subject)
		}
		next.ServeHTTP(w, r.WithContext(tenancy.WithPrincipal(r.Context(), p)))
	})
}

func writeUnauthenticated(w http.ResponseWriter, message string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="inventory"`)
	writeGraphQLError(w, http.StatusUnauthorized, graph.CodeUnauthenticated, message)
}

// limitBody reads a request's body up to MaxBodyBytes before the handler
// sees it. A larger body is refused with HTTP 413 and a GraphQL error whose
// extensions.code is REQUEST_TOO_LARGE. A multipart request (a file upload)
// may be up to uploadBytes and is streamed to gqlgen's multipart transport,
// which enforces that limit too.
func limitBody(next http.Handler, uploadBytes int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method == http.MethodGet || isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		if isMultipart(r) {
			if r.ContentLength > uploadBytes {
				writeGraphQLError(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE",
					fmt.Sprintf("the upload is larger than %d bytes (INVENTORY_IMPORT_MAX_BYTES plus room for the request)", uploadBytes))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, uploadBytes)
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE",
				fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes))
			return
		case err != nil:
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read")
			return
		}
		r.Body = newBufferedBody(body)
		next.ServeHTTP(w, r)
	})
}

// isMultipart reports whether r is a multipart/form-data request.
func isMultipart(r *http.Request) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == "multipart/form-data"
}

// writeGraphQLError answers with one GraphQL error carrying a code.
func writeGraphQLError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

// allowCrossOrigin lets browser apps on other origins call the API. It is
// safe to allow any origin: the API authenticates by bearer token, and the
// one cookie it reads (the refresh token, for refreshSession and signOut) is
// SameSite=Strict, so the browser sends it on no request another site's
// page makes; such a page gains nothing it does not hold itself.
func allowCrossOrigin(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "X-Request-Id, Content-Disposition")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
		h.Set("Access-Control-Max-Age", "600")
	}
}
