package httpserver

import (
	"net/http"

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
