package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

const recordMutation = `mutation($input: RecordStockChangesInput!) {
	recordStockChanges(input: $input) {
		movements { kind quantity }
		stockLevels { available item { sku } location { code } }
		userErrors { field code message }
	}
}`

type recordResult struct {
	RecordStockChanges struct {
		Movements   []struct{ Kind string }
		StockLevels []struct {
			Available int
			Item      struct{ SKU string }
			Location  struct{ Code string }
		}
		UserErrors []struct {
			Field   []string
			Code    string
			Message string
		}
	}
}

// TestRecordStockChangesOverHTTP syncs by sku through the API: a batch of
// receipts and ships, a failing line named by its path, the line limit, and
// the operator role.
func TestRecordStockChangesOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	operator := s.token(t, tenant, "shop-sync", tenancy.Operator)
	viewer := s.token(t, tenant, "v", tenancy.Viewer)
	s.catalogue(t, admin, "SYNC-1", "WH")
	s.catalogue(t, admin, "SYNC-2")

	lines := []map[string]any{
		{"kind": "RECEIVE", "sku": "SYNC-1", "locationCode": "WH", "quantity": 10},
		{"kind": "RECEIVE", "sku": "SYNC-2", "locationCode": "WH", "quantity": 5},
		{"kind": "SHIP", "sku": "SYNC-1", "locationCode": "WH", "quantity": 4, "reference": "order-1"},
	}
	var out recordResult
	s.mustData(t, operator, recordMutation, map[string]any{"input": map[string]any{"lines": lines, "idempotencyKey": "night-1"}}, &out)
	r := out.RecordStockChanges
	if len(r.UserErrors) != 0 || len(r.Movements) != 3 || len(r.StockLevels) != 2 || r.StockLevels[0].Available != 6 || r.StockLevels[0].Item.SKU != "SYNC-1" {
		t.Fatalf("batch: %+v", r)
	}

	// A ship of more than the earlier lines leave fails the whole batch.
	bad := append(lines[:2:2], map[string]any{"kind": "SHIP", "sku": "SYNC-1", "locationCode": "WH", "quantity": 17})
	s.mustData(t, operator, recordMutation, map[string]any{"input": map[string]any{"lines": bad}}, &out)
	r = out.RecordStockChanges
	if len(r.UserErrors) != 1 || r.UserErrors[0].Code != "INSUFFICIENT_STOCK" || strings.Join(r.UserErrors[0].Field, ".") != "input.lines.2.quantity" || len(r.Movements) != 0 {
		t.Fatalf("failing batch: %+v", r)
	}
	var lvl struct {
		Item struct{ StockLevels []struct{ Available int } }
	}
	s.mustData(t, viewer, `{ item(sku: "SYNC-1") { stockLevels { available } } }`, nil, &lvl)
	if lvl.Item.StockLevels[0].Available != 6 {
		t.Errorf("after a failed batch: available %d, want 6", lvl.Item.StockLevels[0].Available)
	}

	many := make([]map[string]any, 1001)
	for i := range many {
		many[i] = lines[0]
	}
	s.mustData(t, operator, recordMutation, map[string]any{"input": map[string]any{"lines": many}}, &out)
	r = out.RecordStockChanges
	if len(r.UserErrors) != 1 || r.UserErrors[0].Code != "VALIDATION" || strings.Join(r.UserErrors[0].Field, ".") != "input.lines" {
		t.Fatalf("1,001 lines: %+v", r)
	}

	status, resp := s.post(t, viewer, recordMutation, map[string]any{"input": map[string]any{"lines": lines}})
	if status != http.StatusOK || len(resp.errorCodes()) != 1 || resp.errorCodes()[0] != "FORBIDDEN" {
		t.Errorf("viewer: status %d, codes %v", status, resp.errorCodes())
	}
}

// uploadImport sends startImport as a GraphQL multipart request, as Apollo's
// upload client does, and returns the HTTP status and body.
func (s *testServer) uploadImport(tb testing.TB, token, kind string, dryRun bool, file []byte) (int, *gqlResponse) {
	tb.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query": `mutation($input: StartImportInput!) { startImport(input: $input) {
			import { id status kind dryRun } userErrors { field code message } } }`,
		"variables": map[string]any{"input": map[string]any{"kind": kind, "dryRun": dryRun, "file": nil}},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.input.file"]}`)
	part, _ := w.CreateFormFile("0", "items.csv")
	_, _ = part.Write(file)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	return res.StatusCode, &out
}

type startImportResult struct {
	StartImport struct {
		Import *struct {
			ID, Status string
		}
		UserErrors []struct {
			Field   []string
			Code    string
			Message string
		}
	}
}

// TestImportOverHTTP uploads a CSV by multipart request, follows the import
// over importUpdated until it SUCCEEDS, then searches what it created; a
// file that is not CSV is refused at once.
func TestImportOverHTTP(t *testing.T) {
	s := newTestServerWith(t, serverOptions{jobs: true})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	viewer := s.token(t, tenant, "v", tenancy.Viewer)

	var file strings.Builder
	file.WriteString("sku,name,barcode\n")
	for i := range 300 {
		fmt.Fprintf(&file, "UP-%03d,Uploaded thing %d,77%05d\n", i, i, i)
	}
	status, resp := s.uploadImport(t, admin, "ITEMS", false, []byte(file.String()))
	var started startImportResult
	if status != http.StatusOK || len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &started) != nil ||
		started.StartImport.Import == nil || started.StartImport.Import.Status != "QUEUED" {
		t.Fatalf("startImport: status %d, %s, errors %+v", status, resp.Data, resp.Errors)
	}
	id := started.StartImport.Import.ID

	c := mustDial(t, s, viewer)
	c.subscribe(t, "1", `subscription($id: ID!) { importUpdated(id: $id) { status rowsDone rowsTotal errorCount } }`,
		map[string]any{"id": id})
	var last string
	for {
		m := c.next(t)
		if m.Type == "complete" {
			break
		}
		last = string(m.Payload)
		if m.Type != "next" {
			t.Fatalf("importUpdated: %s %s", m.Type, m.Payload)
		}
	}
	if !strings.Contains(last, `"status":"SUCCEEDED","rowsDone":300,"rowsTotal":300,"errorCount":0`) {
		t.Fatalf("last update: %s", last)
	}
	var found struct {
		Items struct{ Nodes []struct{ SKU string } }
		Item  struct{ SKU string }
	}
	s.mustData(t, viewer, `{ items(query: "uploaded thing 12") { nodes { sku } } item(barcode: "7700042") { sku } }`, nil, &found)
	if len(found.Items.Nodes) != 11 || found.Item.SKU != "UP-042" { // 12 and 120…129: each word starts a word of the name
		t.Errorf("search after import: %+v", found)
	}

	status, resp = s.uploadImport(t, admin, "ITEMS", false, []byte("sku;name\nA;B\n"))
	if status != http.StatusOK || json.Unmarshal(resp.Data, &started) != nil || started.StartImport.Import != nil ||
		len(started.StartImport.UserErrors) != 1 || started.StartImport.UserErrors[0].Code != "VALIDATION" {
		t.Fatalf("semicolon file: status %d, %s", status, resp.Data)
	}
	operator := s.token(t, tenant, "o", tenancy.Operator)
	if _, resp := s.uploadImport(t, operator, "ITEMS", false, []byte(file.String())); len(resp.errorCodes()) != 1 || resp.errorCodes()[0] != "FORBIDDEN" {
		t.Errorf("operator may not import: %v", resp.errorCodes())
	}
}

// TestCatalogueChangesOverHTTP corrects, archives and searches through the
// API.
func TestCatalogueChangesOverHTTP(t *testing.T) {
	s := newTestServer(t)
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "alice", tenancy.Admin)
	item, locs := s.catalogue(t, admin, "CAT-1", "A", "B")
	var upd struct {
		UpdateItem struct {
			Item       struct{ Name, Barcode string }
			UserErrors []struct{ Code string }
		}
	}
	s.mustData(t, admin, `mutation($id: ID!) { updateItem(input: {id: $id, name: "Better name", barcode: "123"}) {
		item { name barcode } userErrors { code } } }`, map[string]any{"id": item}, &upd)
	if upd.UpdateItem.Item.Name != "Better name" || upd.UpdateItem.Item.Barcode != "123" {
		t.Fatalf("updateItem: %+v", upd)
	}
	var arch struct {
		ArchiveLocation struct {
			Location   *struct{ ArchivedAt *string }
			UserErrors []struct{ Code string }
		}
	}
	s.mustData(t, admin, `mutation($i: ID!, $l: ID!) { receiveStock(input: {itemId: $i, locationId: $l, quantity: 1}) { userErrors { code } } }`,
		map[string]any{"i": item, "l": locs[0]}, nil)
	s.mustData(t, admin, `mutation($id: ID!) { archiveLocation(input: {id: $id}) { location { archivedAt } userErrors { code } } }`,
		map[string]any{"id": locs[0]}, &arch)
	if len(arch.ArchiveLocation.UserErrors) != 1 || arch.ArchiveLocation.UserErrors[0].Code != "INVALID_STATE" {
		t.Fatalf("archive a location with stock: %+v", arch)
	}
	s.mustData(t, admin, `mutation($id: ID!) { archiveLocation(input: {id: $id}) { location { archivedAt } userErrors { code } } }`,
		map[string]any{"id": locs[1]}, &arch)
	if arch.ArchiveLocation.Location == nil || arch.ArchiveLocation.Location.ArchivedAt == nil {
		t.Fatalf("archive an empty location: %+v", arch)
	}
	var out recordResult
	s.mustData(t, admin, recordMutation, map[string]any{"input": map[string]any{"lines": []map[string]any{
		{"kind": "TRANSFER", "sku": "CAT-1", "locationCode": "A", "toLocationCode": "B", "quantity": 1}}}}, &out)
	if e := out.RecordStockChanges.UserErrors; len(e) != 1 || e[0].Code != "INVALID_STATE" || strings.Join(e[0].Field, ".") != "input.lines.0.toLocationCode" {
		t.Fatalf("transfer into an archived location: %+v", e)
	}
	var list struct {
		Locations, All struct{ Nodes []struct{ Code string } }
	}
	s.mustData(t, admin, `{ locations { nodes { code } } all: locations(includeArchived: true) { nodes { code } } }`, nil, &list)
	if len(list.Locations.Nodes) != 1 || len(list.All.Nodes) != 2 {
		t.Errorf("locations: %+v", list)
	}
}
