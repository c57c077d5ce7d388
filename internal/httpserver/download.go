package httpserver

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

// downloadReport serves GET /reports/{id}/download: a built report's CSV
// file, streamed from the database, to a token of the report's tenant.
// Another tenant's report is a 404, like one that does not exist.
func (s *Server) downloadReport(w http.ResponseWriter, r *http.Request) {
	p, ok := tenancy.FromContext(r.Context())
	if !ok {
		writeUnauthenticated(w, "a bearer token is required")
		return
	}
	sc := domain.Scope{TenantID: p.TenantID, Actor: p.Subject}
	started := false
	out := &deadlineWriter{w: w, rc: http.NewResponseController(w)}
	err := s.Store.WriteReport(r.Context(), sc, r.PathValue("id"), func(rep *domain.Report) {
		started = true
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, rep.Kind, rep.ID))
		w.Header().Set("Content-Length", fmt.Sprint(rep.ByteCount))
		w.Header().Set("Cache-Control", "private, no-store")
	}, out)
	switch {
	case err == nil:
	case started:
		// Headers are gone; all that is left is to cut the response short.
		s.logger.ErrorContext(r.Context(), "report download failed", "request_id", requestIDFrom(r.Context()), "error", err.Error())
	case errors.Is(err, domain.ErrNotFound):
		writeGraphQLError(w, http.StatusNotFound, string(domain.CodeNotFound), "no such report")
	case errors.Is(err, domain.ErrReportNotReady):
		writeGraphQLError(w, http.StatusConflict, string(domain.CodeInvalidState), err.Error())
	default:
		s.logger.ErrorContext(r.Context(), "report download failed", "request_id", requestIDFrom(r.Context()), "error", err.Error())
		writeGraphQLError(w, http.StatusInternalServerError, "INTERNAL", "internal error")
	}
}

// downloadWriteTimeout bounds each write of a download: a client that stops
// reading is cut off rather than holding its connection forever.
const downloadWriteTimeout = 30 * time.Second

// deadlineWriter sets a write deadline before each write to the client.
type deadlineWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	_ = d.rc.SetWriteDeadline(time.Now().Add(downloadWriteTimeout))
	return d.w.Write(p)
}
