package httpserver

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/inventory-backbone/inventory/tenancy"
)

// Authenticate is s's authentication middleware around next, for the
// benchmarks of package httpserver_test.
func Authenticate(s *Server, next http.Handler) http.Handler { return s.authenticate(next) }

// AuthenticateUncached is s's authentication middleware around next with an
// API key verifier that caches nothing: every API key is looked up in the
// database.
func AuthenticateUncached(s *Server, next http.Handler) http.Handler {
	uncached := *s
	uncached.keys = tenancy.NewAPIKeyVerifier(apiKeyLookup(s.Store), 0)
	return uncached.authenticate(next)
}

// GraphiQLPolicy is the Content-Security-Policy the IDE's page is served
// with.
var GraphiQLPolicy = graphiQLPolicy.String()

// LockedBuffer is a bytes.Buffer that the server's goroutines and a test
// may use at once: a log sink the test reads while the server writes.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
