package graph

import "github.com/inventory-backbone/inventory/domain"

// ReportDownloadPath is where a report's file is served.
func ReportDownloadPath(id string) string { return "/reports/" + id + "/download" }

// finished reports whether a report has reached its last status.
func finished(r *domain.Report) bool {
	return r.Status == domain.ReportSucceeded || r.Status == domain.ReportFailed
}
