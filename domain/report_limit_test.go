package domain_test

import (
	"context"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// TestTenantMayQueueOnlyAFewReports checks that a tenant cannot fill the
// report queue: the sixth report while five are queued is refused, and the
// refusal writes nothing; another tenant is not affected.
func TestTenantMayQueueOnlyAFewReports(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	for i := range 5 {
		if _, err := b.store.RequestReport(ctx, b.sc, domain.ReportLowStock, domain.ReportParams{}); err != nil {
			t.Fatalf("report %d: %v", i+1, err)
		}
	}
	_, err := b.store.RequestReport(ctx, b.sc, domain.ReportLowStock, domain.ReportParams{})
	if e, ok := domain.AsError(err); !ok || e.Code != domain.CodeValidation {
		t.Fatalf("sixth report: %v, want VALIDATION", err)
	}
	var n int
	if err := b.db.Owner.QueryRow(ctx, `SELECT count(*) FROM reports WHERE tenant_id = $1`, b.sc.TenantID).Scan(&n); err != nil || n != 5 {
		t.Fatalf("reports stored: %d, %v; want 5", n, err)
	}
	other := setup(t)
	if _, err := other.store.RequestReport(ctx, other.sc, domain.ReportLowStock, domain.ReportParams{}); err != nil {
		t.Fatalf("another tenant's report: %v", err)
	}
}
