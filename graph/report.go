package graph

import (
	"strings"

	"github.com/inventory-backbone/inventory/domain"
)

// ReportDownloadRoute is the route that serves a report's file, as a
// net/http ServeMux pattern; its {id} is the report's id.
const ReportDownloadRoute = "/reports/{id}/download"

// ReportDownloadPath is where a report's file is served.
func ReportDownloadPath(id string) string {
	return strings.Replace(ReportDownloadRoute, "{id}", id, 1)
}

// finished reports whether a report has reached its last status.
func finished(r *domain.Report) bool {
	return r.Status == domain.ReportSucceeded || r.Status == domain.ReportFailed
}
