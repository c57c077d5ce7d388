package httpserver_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/tenancy"
)

// newReportsServer is newTestServer wired as serve wires it for background
// work and live updates together: its store enqueues jobs through the jobs
// Scheduler, a real jobs.Runner works River's queues (alert checks, report
// builds), and a hub serves subscriptions, until cleanup.
func newReportsServer(tb testing.TB) *testServer {
	tb.Helper()
	return newTestServerWith(tb, serverOptions{jobs: true})
}

// rptOwner runs fn through the owner pool in a transaction bound to the
// tenant, so that it reads the same rows whether or not the owner is subject
// to row-level security.
func rptOwner(tb testing.TB, s *testServer, tenantID string, fn func(tx pgx.Tx) error) {
	tb.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, s.db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenantID); err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		tb.Fatalf("owner query: %v", err)
	}
}

// rptRows runs a query through the owner pool for the tenant and returns its
// rows as text, each value rendered by rptCell.
func rptRows(tb testing.TB, s *testServer, tenantID, sql string, args ...any) [][]string {
	tb.Helper()
	var out [][]string
	rptOwner(tb, s, tenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				return err
			}
			rec := make([]string, len(vals))
			for i, v := range vals {
				rec[i] = rptCell(v)
			}
			out = append(out, rec)
		}
		return rows.Err()
	})
	return out
}

// rptCell renders a database value as a report's CSV file is specified to:
// times in RFC 3339 with fractions in UTC, NULL as empty, text that a
// spreadsheet would read as a formula behind an apostrophe.
func rptCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	}
	return fmt.Sprint(v)
}

// rptNow reads the database's clock: a moment after every change committed
// so far and before any made later.
func rptNow(tb testing.TB, s *testServer) time.Time {
	tb.Helper()
	var now time.Time
	if err := s.db.Owner.QueryRow(context.Background(), "SELECT clock_timestamp()").Scan(&now); err != nil {
		tb.Fatal(err)
	}
	return now
}

// rptSnapshotSQL is what a STOCK_SNAPSHOT as of $2 must list, worked out from
// the ledger: each level's states summed over its movements up to $2, its
// version (one per operation that touched it), and the time of its last
// change then, for levels that had moved by $2, optionally at the locations
// $3 only, in sku and location code order.
const rptSnapshotSQL = `
WITH entries AS (
	SELECT item_id, location_id, operation_id, from_state AS state, -quantity AS q FROM movements
	WHERE tenant_id = $1 AND from_state IS NOT NULL AND created_at <= $2
	UNION ALL
	SELECT item_id, coalesce(to_location_id, location_id), operation_id, to_state, quantity FROM movements
	WHERE tenant_id = $1 AND to_state IS NOT NULL AND created_at <= $2
), ledger AS (
	SELECT item_id, location_id,
		coalesce(sum(q) FILTER (WHERE state = 'AVAILABLE'), 0)::bigint AS available,
		coalesce(sum(q) FILTER (WHERE state = 'RESERVED'), 0)::bigint AS reserved,
		coalesce(sum(q) FILTER (WHERE state = 'DAMAGED'), 0)::bigint AS damaged,
		coalesce(sum(q) FILTER (WHERE state = 'QUALITY_CONTROL'), 0)::bigint AS quality_control,
		coalesce(sum(q) FILTER (WHERE state = 'IN_TRANSIT'), 0)::bigint AS in_transit,
		count(DISTINCT operation_id) AS version
	FROM entries GROUP BY item_id, location_id
)
SELECT i.sku, i.name, loc.code, e.available + e.reserved + e.damaged + e.quality_control, e.available, e.reserved,
	e.damaged, e.quality_control, e.in_transit, e.version,
	(SELECT max(h.at) FROM level_history h WHERE h.tenant_id = $1 AND h.item_id = e.item_id AND h.location_id = e.location_id AND h.at <= $2)
FROM ledger e
JOIN items i ON i.tenant_id = $1 AND i.id = e.item_id
JOIN locations loc ON loc.tenant_id = $1 AND loc.id = e.location_id
WHERE $3::uuid[] IS NULL OR e.location_id = ANY($3)
ORDER BY i.sku, loc.code`

// rptHistorySQL is what a MOVEMENT_HISTORY from $2 to $3 must list: the
// ledger in that period, in order.
const rptHistorySQL = `
SELECT m.id, m.created_at, m.operation_id::text, m.kind, i.sku, loc.code, toloc.code, m.quantity,
	m.from_state, m.to_state, m.actor, m.reason, m.reference
FROM movements m
JOIN items i ON i.tenant_id = m.tenant_id AND i.id = m.item_id
JOIN locations loc ON loc.tenant_id = m.tenant_id AND loc.id = m.location_id
LEFT JOIN locations toloc ON toloc.tenant_id = m.tenant_id AND toloc.id = m.to_location_id
WHERE m.tenant_id = $1 AND m.created_at >= $2 AND m.created_at < $3
ORDER BY m.created_at, m.id`

// rptReport is a Report as the API returns it.
type rptReport struct {
	ID, Kind, Status string
	Progress         float64
	RowCount         int64
	Error            *string
	DownloadURL      *string
	FinishedAt       *time.Time
	ExpiresAt        *time.Time
}

// rptReportFields selects what the report tests read of a Report.
const rptReportFields = `id kind status progress rowCount error downloadUrl finishedAt expiresAt`

// rptRequest requests a report over the API and returns it as first
// returned.
func rptRequest(tb testing.TB, s *testServer, token string, in map[string]any) rptReport {
	tb.Helper()
	var out struct {
		RequestReport struct {
			Report     *rptReport
			UserErrors []apiUserError
		}
	}
	s.mustData(tb, token, `mutation($in: RequestReportInput!) { requestReport(input: $in) { report { `+rptReportFields+` } userErrors { field message code } } }`,
		map[string]any{"in": in}, &out)
	p := out.RequestReport
	if len(p.UserErrors) > 0 || p.Report == nil {
		tb.Fatalf("requestReport %v: %+v", in, p.UserErrors)
	}
	if p.Report.Status != "QUEUED" || p.Report.DownloadURL != nil {
		tb.Fatalf("requestReport returned %+v, want QUEUED without a downloadUrl", *p.Report)
	}
	return *p.Report
}

// rptPoll reads report(id) over the API until until says it is done, or
// fails the test after 30 seconds.
func rptPoll(tb testing.TB, s *testServer, token, id string, until func(rptReport) bool) rptReport {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct{ Report *rptReport }
		s.mustData(tb, token, `query($id: ID!) { report(id: $id) { `+rptReportFields+` } }`, map[string]any{"id": id}, &out)
		if out.Report == nil {
			tb.Fatalf("report %s is not found", id)
		}
		if until(*out.Report) {
			return *out.Report
		}
		if time.Now().After(deadline) {
			tb.Fatalf("report %s after 30 s: %+v", id, *out.Report)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rptDone reports whether a report has reached its last status.
func rptDone(r rptReport) bool { return r.Status == "SUCCEEDED" || r.Status == "FAILED" }

// rptDownload GETs a report's file with the token (none when empty) and
// returns the status, the headers and the body.
func rptDownload(tb testing.TB, s *testServer, token, path string) (int, http.Header, []byte) {
	tb.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return s.send(tb, http.MethodGet, path, h, nil)
}

// rptErrorCode returns the extensions.code of an error body's first error.
func rptErrorCode(tb testing.TB, body []byte) string {
	tb.Helper()
	var out gqlResponse
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) == 0 {
		tb.Fatalf("body %q is not a GraphQL error: %v", body, err)
	}
	return out.errorCodes()[0]
}

// rptBuild requests a report over the API, waits until the runner built it,
// downloads it with the token and returns the parsed CSV.
func rptBuild(tb testing.TB, s *testServer, token string, in map[string]any) (rptReport, [][]string) {
	tb.Helper()
	r := rptRequest(tb, s, token, in)
	done := rptPoll(tb, s, token, r.ID, rptDone)
	if done.Status != "SUCCEEDED" || done.Progress != 1 || done.Error != nil || done.FinishedAt == nil || done.ExpiresAt == nil ||
		done.DownloadURL == nil || *done.DownloadURL != "/reports/"+r.ID+"/download" {
		tb.Fatalf("report %v ended %+v (error %v)", in, done, done.Error)
	}
	status, header, body := rptDownload(tb, s, token, *done.DownloadURL)
	if status != http.StatusOK || header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		header.Get("Content-Length") != fmt.Sprint(len(body)) {
		tb.Fatalf("download: status %d, headers %v, %d bytes: %s", status, header, len(body), body)
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		tb.Fatalf("the file is not CSV: %v\n%s", err, body)
	}
	if int64(len(records)-1) != done.RowCount {
		tb.Errorf("the file has %d rows, the report says %d", len(records)-1, done.RowCount)
	}
	return done, records
}

// TestReportsOverHTTP runs every report kind end to end on a service with a
// running job runner: requested over the API, built by the runner's worker,
// followed with report(id) until SUCCEEDED, and downloaded over HTTP with the
// token. Every row of every file is checked against the ledger, summed and
// listed through the owner pool, or against figures worked out by hand. The
// download is refused without a token (401), with another tenant's (404, as
// for a report that does not exist), and before the report is built (409).
func TestReportsOverHTTP(t *testing.T) {
	s := newReportsServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	viewer := s.token(t, tenant, "vera", tenancy.Viewer)
	itemA, locs := s.catalogue(t, admin, "RPT-A", "L1", "L2")
	itemB, _ := s.catalogue(t, admin, "RPT-B")
	l1, l2 := locs[0], locs[1]
	for _, p := range []map[string]any{
		{"itemId": itemA, "reorderPoint": 5},
		{"itemId": itemB, "reorderPoint": 10},
		{"itemId": itemB, "locationId": l2, "reorderPoint": 1},
	} {
		var out struct {
			SetReorderPoint struct{ UserErrors []apiUserError }
		}
		s.mustData(t, admin, `mutation($in: SetReorderPointInput!) { setReorderPoint(input: $in) { userErrors { field message code } } }`,
			map[string]any{"in": p}, &out)
		if len(out.SetReorderPoint.UserErrors) > 0 {
			t.Fatalf("setReorderPoint %v: %+v", p, out.SetReorderPoint.UserErrors)
		}
	}

	const formula = `=HYPERLINK("http://example.com")`
	m0 := rptNow(t, s)
	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemA, "locationId": l1, "quantity": 10, "reference": "PO-1"})
	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemA, "locationId": l2, "quantity": 3})
	m1 := rptNow(t, s)
	s.mustChange(t, admin, "shipStock", map[string]any{"itemId": itemA, "locationId": l1, "quantity": 6, "reason": formula, "reference": "SO-1"})
	var reserved struct {
		ReserveStock struct{ UserErrors []apiUserError }
	}
	s.mustData(t, admin, `mutation($in: ReserveStockInput!) { reserveStock(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"itemId": itemA, "locationId": l1, "quantity": 1}}, &reserved)
	if len(reserved.ReserveStock.UserErrors) > 0 {
		t.Fatalf("reserveStock: %+v", reserved.ReserveStock.UserErrors)
	}
	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemB, "locationId": l1, "quantity": 8})
	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": itemB, "locationId": l2, "quantity": 2})
	s.mustChange(t, admin, "transferStock", map[string]any{"itemId": itemB, "fromLocationId": l1, "toLocationId": l2, "quantity": 3, "inTransit": true})
	m2 := rptNow(t, s)
	s.mustChange(t, admin, "shipStock", map[string]any{"itemId": itemA, "locationId": l2, "quantity": 1})
	m3 := rptNow(t, s)
	s.checkLedger(t, tenant)

	snapshotHeader := []string{"sku", "item_name", "location_code", "on_hand", "available", "reserved", "damaged",
		"quality_control", "incoming", "version", "last_changed_at"}
	t.Run("STOCK_SNAPSHOT as of a past moment", func(t *testing.T) {
		_, got := rptBuild(t, s, viewer, map[string]any{"kind": "STOCK_SNAPSHOT", "asOf": m2.Format(time.RFC3339Nano)})
		want := append([][]string{snapshotHeader}, rptRows(t, s, tenant, rptSnapshotSQL, tenant, m2, nil)...)
		if len(want) != 5 || !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("file:\n%q\nwant (from the ledger)\n%q", got, want)
		}
		// By hand: RPT-A at L1 has 3 available and 1 reserved; RPT-B at L2
		// has 2 and 3 incoming.
		if len(got) == 5 && (!slices.Equal(got[1][3:9], []string{"4", "3", "1", "0", "0", "0"}) ||
			!slices.Equal(got[4][3:9], []string{"2", "2", "0", "0", "0", "3"})) {
			t.Errorf("figures %q and %q, want 4 3 1 0 0 0 and 2 2 0 0 0 3", got[1][3:9], got[4][3:9])
		}
	})
	t.Run("STOCK_SNAPSHOT now at one location", func(t *testing.T) {
		_, got := rptBuild(t, s, viewer, map[string]any{"kind": "STOCK_SNAPSHOT", "locationIds": []string{l2}})
		want := append([][]string{snapshotHeader}, rptRows(t, s, tenant, rptSnapshotSQL, tenant, m3, []string{l2})...)
		if len(want) != 3 || !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("file:\n%q\nwant (from the ledger)\n%q", got, want)
		}
	})
	t.Run("STOCK_SNAPSHOT before anything moved", func(t *testing.T) {
		_, got := rptBuild(t, s, viewer, map[string]any{"kind": "STOCK_SNAPSHOT", "asOf": m0.Format(time.RFC3339Nano)})
		if !slices.EqualFunc(got, [][]string{snapshotHeader}, slices.Equal) {
			t.Errorf("file %q, want the header alone", got)
		}
	})
	t.Run("MOVEMENT_HISTORY", func(t *testing.T) {
		_, got := rptBuild(t, s, viewer, map[string]any{"kind": "MOVEMENT_HISTORY",
			"from": m1.Format(time.RFC3339Nano), "to": m3.Format(time.RFC3339Nano)})
		want := append([][]string{{"movement_id", "created_at", "operation_id", "kind", "sku", "location_code",
			"to_location_code", "quantity", "from_state", "to_state", "actor", "reason", "reference"}},
			rptRows(t, s, tenant, rptHistorySQL, tenant, m1, m3)...)
		if len(want) != 7 || !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("file:\n%q\nwant (from the ledger)\n%q", got, want)
		}
		if len(got) > 1 && (got[1][3] != "SHIPMENT" || got[1][10] != "alice" || got[1][11] != "'"+formula || got[1][12] != "SO-1") {
			t.Errorf("the shipment's row %q, want its actor, its reason defused and its reference", got[1])
		}
	})
	t.Run("LOW_STOCK", func(t *testing.T) {
		_, got := rptBuild(t, s, viewer, map[string]any{"kind": "LOW_STOCK"})
		want := [][]string{
			{"sku", "item_name", "location_code", "available", "reorder_point", "to_reach_reorder_point"},
			{"RPT-A", "Item", "L1", "3", "5", "2"},
			{"RPT-A", "Item", "L2", "2", "5", "3"},
			{"RPT-B", "Item", "L1", "5", "10", "5"},
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("file:\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("download refusals", func(t *testing.T) {
		// A report held RUNNING: its query waits on a lock the test holds.
		ctx := context.Background()
		lock, err := s.db.Owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = lock.Rollback(ctx) }()
		if _, err := lock.Exec(ctx, "LOCK TABLE level_history IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		r := rptRequest(t, s, viewer, map[string]any{"kind": "STOCK_SNAPSHOT"})
		running := rptPoll(t, s, viewer, r.ID, func(r rptReport) bool { return r.Status != "QUEUED" })
		if running.Status != "RUNNING" || running.DownloadURL != nil {
			t.Fatalf("report while its query waits: %+v, want RUNNING without a downloadUrl", running)
		}
		path := "/reports/" + r.ID + "/download"
		if status, _, body := rptDownload(t, s, viewer, path); status != http.StatusConflict || rptErrorCode(t, body) != "INVALID_STATE" {
			t.Errorf("download of a RUNNING report: %d %s, want 409 INVALID_STATE", status, body)
		}
		if err := lock.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if done := rptPoll(t, s, viewer, r.ID, rptDone); done.Status != "SUCCEEDED" {
			t.Fatalf("report after the lock was released: %+v", done)
		}

		other := s.tenant(t)
		for _, c := range []struct {
			name, token, path string
			status            int
			code              string
		}{
			{"no token", "", path, http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"a bad token", "not-a-token", path, http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"another tenant's token", s.token(t, other, "mallory", tenancy.Admin), path, http.StatusNotFound, "NOT_FOUND"},
			{"an id that does not exist", viewer, "/reports/5f1c8a2e-0c3b-4d7e-9a41-2b6f0e9d3c14/download", http.StatusNotFound, "NOT_FOUND"},
			{"a malformed id", viewer, "/reports/nope/download", http.StatusNotFound, "NOT_FOUND"},
		} {
			status, _, body := rptDownload(t, s, c.token, c.path)
			if status != c.status || rptErrorCode(t, body) != c.code || strings.Contains(string(body), "sku,") {
				t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.code)
			}
		}
		if status, _, body := rptDownload(t, s, viewer, path); status != http.StatusOK || !strings.HasPrefix(string(body), "sku,") {
			t.Errorf("download with the tenant's token after the refusals: %d %s", status, body)
		}
		var page struct {
			Reports struct{ Nodes []rptReport }
		}
		s.mustData(t, s.token(t, other, "mallory", tenancy.Admin), `{ reports { nodes { id } } }`, nil, &page)
		if len(page.Reports.Nodes) != 0 {
			t.Errorf("another tenant lists %d reports", len(page.Reports.Nodes))
		}
	})
}

// rptLevel is a StockLevel's figures as the as-of test reads them.
type rptLevel struct {
	Available, Reserved, Damaged, QualityControl, Incoming, Version int64
}

// TestStockLevelAsOfOverHTTP takes two levels through receipts, a
// shipment, a reservation, a transfer in transit and a state change over the
// API, then asks stockLevel(asOf:) for each level at the moment before
// anything moved and between every two changes: each answer equals the
// ledger summed up to that moment through the owner pool.
func TestStockLevelAsOfOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	viewer := s.token(t, tenant, "vera", tenancy.Viewer)
	item, locs := s.catalogue(t, admin, "ASOF-1", "A", "B")
	a, b := locs[0], locs[1]
	moments := []time.Time{rptNow(t, s)}
	for _, c := range []struct {
		op string
		in map[string]any
	}{
		{"receiveStock", map[string]any{"itemId": item, "locationId": a, "quantity": 20}},
		{"shipStock", map[string]any{"itemId": item, "locationId": a, "quantity": 4}},
		{"transferStock", map[string]any{"itemId": item, "fromLocationId": a, "toLocationId": b, "quantity": 5, "inTransit": true}},
		{"transferStock", map[string]any{"itemId": item, "fromLocationId": a, "toLocationId": b, "quantity": 2}},
		{"adjustStock", map[string]any{"itemId": item, "locationId": b, "delta": -1, "reason": "lost"}},
		{"receiveStock", map[string]any{"itemId": item, "locationId": b, "quantity": 6}},
	} {
		s.mustChange(t, admin, c.op, c.in)
		moments = append(moments, rptNow(t, s))
	}
	var res struct {
		ReserveStock struct{ UserErrors []apiUserError }
	}
	s.mustData(t, admin, `mutation($in: ReserveStockInput!) { reserveStock(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"itemId": item, "locationId": a, "quantity": 3}}, &res)
	moments = append(moments, rptNow(t, s))
	var dmg struct {
		ChangeStockState struct{ UserErrors []apiUserError }
	}
	s.mustData(t, admin, `mutation($in: ChangeStockStateInput!) { changeStockState(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"itemId": item, "locationId": a, "quantity": 1, "fromState": "AVAILABLE", "toState": "DAMAGED", "reason": "dropped"}}, &dmg)
	if len(res.ReserveStock.UserErrors)+len(dmg.ChangeStockState.UserErrors) > 0 {
		t.Fatalf("reserve %+v, change state %+v", res.ReserveStock.UserErrors, dmg.ChangeStockState.UserErrors)
	}
	moments = append(moments, rptNow(t, s))

	const replay = `
		WITH entries AS (
			SELECT operation_id, from_state AS state, -quantity AS q FROM movements
			WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3 AND from_state IS NOT NULL AND created_at <= $4
			UNION ALL
			SELECT operation_id, to_state, quantity FROM movements
			WHERE tenant_id = $1 AND item_id = $2 AND coalesce(to_location_id, location_id) = $3 AND to_state IS NOT NULL AND created_at <= $4
		)
		SELECT coalesce(sum(q) FILTER (WHERE state = 'AVAILABLE'), 0)::bigint, coalesce(sum(q) FILTER (WHERE state = 'RESERVED'), 0)::bigint,
			coalesce(sum(q) FILTER (WHERE state = 'DAMAGED'), 0)::bigint, coalesce(sum(q) FILTER (WHERE state = 'QUALITY_CONTROL'), 0)::bigint,
			coalesce(sum(q) FILTER (WHERE state = 'IN_TRANSIT'), 0)::bigint, count(DISTINCT operation_id)
		FROM entries`
	for _, loc := range []string{a, b} {
		for i, at := range moments {
			var got struct{ StockLevel rptLevel }
			s.mustData(t, viewer, `query($i: ID!, $l: ID!, $at: Time) { stockLevel(itemId: $i, locationId: $l, asOf: $at) {
					available reserved damaged qualityControl incoming version } }`,
				map[string]any{"i": item, "l": loc, "at": at.Format(time.RFC3339Nano)}, &got)
			var want rptLevel
			rptOwner(t, s, tenant, func(tx pgx.Tx) error {
				return tx.QueryRow(context.Background(), replay, tenant, item, loc, at).Scan(&want.Available, &want.Reserved,
					&want.Damaged, &want.QualityControl, &want.Incoming, &want.Version)
			})
			if got.StockLevel != want {
				t.Errorf("location %d as of moment %d: %+v, ledger %+v", slices.Index(locs, loc), i, got.StockLevel, want)
			}
		}
	}
	// By hand, now: A has 20-4-5-2 = 9, 3 of them reserved and 1 damaged;
	// B has 2-1+6 = 7 and 5 incoming.
	now := map[string]figures{
		a: {OnHand: 9, Available: 5, Reserved: 3, Damaged: 1, Version: 6},
		b: {OnHand: 7, Available: 7, Incoming: 5, Version: 4},
	}
	for loc, want := range now {
		if got := s.level(t, viewer, item, loc).figures(); got != want {
			t.Errorf("level now: %+v, want %+v", got, want)
		}
	}
}

// rptAlert is an Alert as the API returns it.
type rptAlert struct {
	ID, Kind, Status     string
	Item, Location       ref
	Available, Threshold *int64
	AcknowledgedBy       *string
}

// rptAlertFields selects what the alert test reads of an Alert.
const rptAlertFields = `id kind status item { id } location { id } available threshold acknowledgedBy`

// TestAlertsOverHTTP crosses a reorder point with a shipment over the API on
// a service with a running job runner: the runner's alert check raises one
// LOW_STOCK alert, which alerts() shows (polled, within 30 seconds) and the
// alertRaised subscription delivers. An operator acknowledges it, a viewer
// may not, and a receipt back above the point gets it resolved by the next
// check.
func TestAlertsOverHTTP(t *testing.T) {
	s := newReportsServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	operator := s.token(t, tenant, "oscar", tenancy.Operator)
	viewer := s.token(t, tenant, "vera", tenancy.Viewer)
	var item struct {
		CreateItem struct{ Item struct{ ID string } }
	}
	s.mustData(t, admin, `mutation { createItem(input: {sku: "ALERT-1", name: "Item", reorderPoint: 5}) { item { id } } }`, nil, &item)
	itemID := item.CreateItem.Item.ID
	_, locs := s.catalogue(t, admin, "ALERT-0", "A")
	loc := locs[0]

	c := mustDial(t, s, viewer)
	c.subscribe(t, "1", `subscription($i: [ID!]) { alertRaised(itemIds: $i) { `+rptAlertFields+` } }`,
		map[string]any{"i": []string{itemID}})
	waitSubscribers(t, s.hub, 1)

	s.mustChange(t, operator, "receiveStock", map[string]any{"itemId": itemID, "locationId": loc, "quantity": 8})
	s.mustChange(t, operator, "shipStock", map[string]any{"itemId": itemID, "locationId": loc, "quantity": 4})

	pollAlerts := func(until func([]rptAlert) bool) []rptAlert {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			var out struct {
				Alerts struct{ Nodes []rptAlert }
			}
			s.mustData(t, viewer, `query($i: ID) { alerts(itemId: $i) { nodes { `+rptAlertFields+` } } }`, map[string]any{"i": itemID}, &out)
			if until(out.Alerts.Nodes) {
				return out.Alerts.Nodes
			}
			if time.Now().After(deadline) {
				t.Fatalf("alerts after 30 s: %+v", out.Alerts.Nodes)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	alerts := pollAlerts(func(as []rptAlert) bool { return len(as) > 0 })
	a := alerts[0]
	if len(alerts) != 1 || a.Kind != "LOW_STOCK" || a.Status != "OPEN" || a.Item.ID != itemID || a.Location.ID != loc ||
		a.Available == nil || *a.Available != 4 || a.Threshold == nil || *a.Threshold != 5 {
		t.Fatalf("alerts: %+v, want one LOW_STOCK at 4 under 5", alerts)
	}

	m := c.next(t)
	typ, id, payload := m.Type, m.ID, m.Payload
	var got struct {
		Data struct{ AlertRaised rptAlert }
	}
	if err := json.Unmarshal(payload, &got); err != nil {
		t.Fatal(err)
	}
	if typ != "next" || id != "1" || got.Data.AlertRaised.ID != a.ID || got.Data.AlertRaised.Kind != "LOW_STOCK" ||
		got.Data.AlertRaised.Location.ID != loc {
		t.Fatalf("subscription delivered %s %s %s, want alert %s", typ, id, payload, a.ID)
	}

	const ack = `mutation($id: ID!) { acknowledgeAlert(input: {alertId: $id}) { alert { ` + rptAlertFields + ` } userErrors { code } } }`
	status, resp := s.post(t, viewer, ack, map[string]any{"id": a.ID})
	if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
		t.Errorf("a viewer acknowledging: %d %v, want FORBIDDEN", status, resp.errorCodes())
	}
	var acked struct {
		AcknowledgeAlert struct {
			Alert      rptAlert
			UserErrors []apiUserError
		}
	}
	s.mustData(t, operator, ack, map[string]any{"id": a.ID}, &acked)
	if p := acked.AcknowledgeAlert; len(p.UserErrors) > 0 || p.Alert.Status != "ACKNOWLEDGED" || p.Alert.AcknowledgedBy == nil ||
		*p.Alert.AcknowledgedBy != "oscar" {
		t.Errorf("acknowledgeAlert: %+v", p)
	}

	s.mustChange(t, operator, "receiveStock", map[string]any{"itemId": itemID, "locationId": loc, "quantity": 10})
	alerts = pollAlerts(func(as []rptAlert) bool { return len(as) == 1 && as[0].Status == "RESOLVED" })
	if alerts[0].Available == nil || *alerts[0].Available != 14 {
		t.Errorf("resolved alert: %+v, want available 14", alerts[0])
	}
	s.mustData(t, operator, ack, map[string]any{"id": a.ID}, &acked)
	if codes := acked.AcknowledgeAlert.UserErrors; len(codes) != 1 || codes[0].Code != "INVALID_STATE" {
		t.Errorf("acknowledging a resolved alert: %+v, want INVALID_STATE", codes)
	}
}

// TestAuditLedgerOverHTTP ships concurrently over the API and then audits
// the ledger as an admin: every item and level is checked and none drifts.
// An operator and a viewer may not audit.
func TestAuditLedgerOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "AUDIT-1", "A", "B")
	s.mustChange(t, admin, "receiveStock", map[string]any{"itemId": item, "locationId": locs[0], "quantity": 30})
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Go(func() {
			op, in := "shipStock", map[string]any{"itemId": item, "locationId": locs[0], "quantity": 1}
			if i%3 == 0 {
				op, in = "transferStock", map[string]any{"itemId": item, "fromLocationId": locs[0], "toLocationId": locs[1], "quantity": 2}
			}
			_, errs[i] = s.mutate(admin, op, in)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	const audit = `mutation { auditLedger { itemsChecked levelsChecked alertsRaised drifts { item { id } } startedAt finishedAt } }`
	var out struct {
		AuditLedger struct {
			ItemsChecked, LevelsChecked, AlertsRaised int
			Drifts                                    []struct{ Item ref }
			StartedAt, FinishedAt                     time.Time
		}
	}
	s.mustData(t, admin, audit, nil, &out)
	if r := out.AuditLedger; r.ItemsChecked != 1 || r.LevelsChecked != 2 || r.AlertsRaised != 0 || len(r.Drifts) != 0 ||
		r.FinishedAt.Before(r.StartedAt) {
		t.Errorf("auditLedger: %+v, want 1 item, 2 levels, no drift", r)
	}
	if l := s.level(t, admin, item, locs[0]); l.Available != 30-8-2*4 {
		t.Errorf("A has %d available after the burst, want %d", l.Available, 30-8-2*4)
	}
	for _, role := range []tenancy.Role{tenancy.Operator, tenancy.Viewer} {
		status, resp := s.post(t, s.token(t, tenant, "someone", role), audit, nil)
		if status != http.StatusOK || !slices.Equal(resp.errorCodes(), []string{"FORBIDDEN"}) {
			t.Errorf("auditLedger as %s: %d %v, want FORBIDDEN", role, status, resp.errorCodes())
		}
	}
}
