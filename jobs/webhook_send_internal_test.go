package jobs

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// TestWebhookSenderRefusesSpecialAddressesAtConnect checks the address check
// made as the connection is made, on forms of loopback that slip past a
// naive prefix check: a zone, and IPv4 carried inside IPv6.
func TestWebhookSenderRefusesSpecialAddressesAtConnect(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
	}))
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	s := newWebhookSender(false, 5*time.Second)
	target := &domain.WebhookTarget{Secret: "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZg=="}
	msg := &domain.WebhookMessage{ID: "msg_1", Body: []byte(`{}`)}
	for _, host := range []string{"[::1%25lo]", "[fe80::1%25lo]", "[::ffff:127.0.0.1%25lo]", "[::1]", "127.0.0.1"} {
		target.URL = "http://" + host + ":" + port + "/hook"
		a := s.send(context.Background(), target, msg)
		if ok(a) || !strings.HasPrefix(a.Err, "refused") {
			t.Errorf("send to %s: status %d, error %q; want refused", target.URL, a.StatusCode, a.Err)
		}
	}
	for _, addr := range []string{"[::1%lo]:80", "[fe80::1%eth0]:80", "[64:ff9b::7f00:1]:80", "[::7f00:1]:80",
		"[2002:7f00:1::]:80", "[2002:a9fe:a9fe::1]:80", "[64:ff9b::a9fe:a9fe]:80"} {
		if err := refusePrivate("tcp6", addr, nil); err == nil {
			t.Errorf("connect to %s allowed", addr)
		}
	}
	if err := refusePrivate("tcp4", "93.184.215.14:443", nil); err != nil {
		t.Errorf("connect to a public address refused: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the loopback receiver got %d requests", n)
	}
}
