package httpserver

import "net/http"

// Authenticate exposes the authentication middleware to the benchmarks of
// package httpserver_test, which measure it alone.
func (s *Server) Authenticate(next http.Handler) http.Handler { return s.authenticate(next) }
