package httpserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

func TestWebhookEndpointsOverGraphQL(t *testing.T) {
	s := newTestServerWith(t, serverOptions{webhooks: &domain.WebhookConfig{Key: []byte("0123456789abcdef0123456789abcdef")}})
	tenant := s.tenant(t)
	admin := s.token(t, tenant, "admin", tenancy.Admin)
	operator := s.token(t, tenant, "op", tenancy.Operator)

	const create = `mutation($url: String!, $types: [String!]!) {
		createWebhookEndpoint(input: {url: $url, eventTypes: $types, description: "shop"}) {
			endpoint { id url eventTypes enabled disabledReason createdAt } secret userErrors { field code message } } }`
	var out struct {
		CreateWebhookEndpoint struct {
			Endpoint *struct {
				ID         string
				URL        string
				EventTypes []string
				Enabled    bool
			}
			Secret     *string
			UserErrors []struct {
				Field []string
				Code  string
			}
		}
	}
	s.mustData(t, admin, create, map[string]any{"url": "https://93.184.215.14/hooks", "types": []string{"stock.changed", "alert.raised"}}, &out)
	p := out.CreateWebhookEndpoint
	if p.Endpoint == nil || p.Secret == nil || !strings.HasPrefix(*p.Secret, "whsec_") || !p.Endpoint.Enabled || len(p.UserErrors) != 0 {
		t.Fatalf("createWebhookEndpoint: %+v", p)
	}
	secret := *p.Secret

	// The secret is never readable again: not in the list, not in an update.
	status, resp := s.post(t, admin, `{ webhookEndpoints { nodes { id url eventTypes enabled } } }`, nil)
	if status != 200 || len(resp.Errors) > 0 || strings.Contains(string(resp.Data), secret) || !strings.Contains(string(resp.Data), p.Endpoint.ID) {
		t.Errorf("webhookEndpoints: %d %s %+v", status, resp.Data, resp.Errors)
	}
	_, resp = s.post(t, admin, `mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, enabled: false}) {
		endpoint { enabled disabledReason } secret userErrors { code } } }`, map[string]any{"id": p.Endpoint.ID})
	if strings.Contains(string(resp.Data), secret) || !strings.Contains(string(resp.Data), `"secret":null`) ||
		!strings.Contains(string(resp.Data), `"disabledReason":"disabled by admin"`) {
		t.Errorf("updateWebhookEndpoint: %s", resp.Data)
	}

	// Private addresses and unknown types are VALIDATION.
	for _, u := range []string{"http://127.0.0.1:9/", "http://169.254.169.254/", "http://localhost/"} {
		s.mustData(t, admin, create, map[string]any{"url": u, "types": []string{"*"}}, &out)
		if e := out.CreateWebhookEndpoint.UserErrors; len(e) != 1 || e[0].Code != "VALIDATION" || out.CreateWebhookEndpoint.Secret != nil {
			t.Errorf("endpoint %s: %+v, want VALIDATION", u, out.CreateWebhookEndpoint)
		}
	}

	// Only admins.
	_, resp = s.post(t, operator, `{ webhookEndpoints { nodes { id } } }`, nil)
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "FORBIDDEN" {
		t.Errorf("operator listing endpoints: %v, want FORBIDDEN", codes)
	}
	_, resp = s.post(t, operator, create, map[string]any{"url": "https://93.184.215.14/", "types": []string{"*"}})
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "FORBIDDEN" {
		t.Errorf("operator creating an endpoint: %v, want FORBIDDEN", codes)
	}

	// Another tenant cannot see, read the log of, or delete it.
	other := s.token(t, s.tenant(t), "admin", tenancy.Admin)
	_, resp = s.post(t, other, `query($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { id } } }`, map[string]any{"id": p.Endpoint.ID})
	if codes := resp.errorCodes(); len(codes) != 1 || codes[0] != "NOT_FOUND" {
		t.Errorf("another tenant's delivery log: %v, want NOT_FOUND", codes)
	}
	var del struct {
		DeleteWebhookEndpoint struct{ UserErrors []struct{ Code string } }
	}
	const remove = `mutation($id: ID!) { deleteWebhookEndpoint(input: {id: $id}) { endpoint { id } userErrors { code } } }`
	s.mustData(t, other, remove, map[string]any{"id": p.Endpoint.ID}, &del)
	if e := del.DeleteWebhookEndpoint.UserErrors; len(e) != 1 || e[0].Code != "NOT_FOUND" {
		t.Errorf("another tenant deleting: %+v, want NOT_FOUND", e)
	}
	s.mustData(t, admin, remove, map[string]any{"id": p.Endpoint.ID}, &del)
	if len(del.DeleteWebhookEndpoint.UserErrors) != 0 {
		t.Errorf("delete: %+v", del)
	}
	var list struct {
		WebhookEndpoints struct{ Nodes []json.RawMessage }
	}
	s.mustData(t, admin, `{ webhookEndpoints { nodes { id } } }`, nil, &list)
	if len(list.WebhookEndpoints.Nodes) != 0 {
		t.Errorf("after delete: %d endpoints", len(list.WebhookEndpoints.Nodes))
	}
}
