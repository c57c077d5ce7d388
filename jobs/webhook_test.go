package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/jobs"
)

// Webhook tests run one at a time: every runner's dispatcher serves every
// tenant's endpoints, so two tests' runners, configured differently, would
// deliver each other's messages.

var testWebhookKey = []byte("0123456789abcdef0123456789abcdef")

// hookEnv is a fixture whose store has webhooks enabled, and a job runner
// that delivers them.
type hookEnv struct {
	*fixture
	cfg    domain.WebhookConfig
	runner *jobs.Runner
}

func newHookEnv(t *testing.T, cfg domain.WebhookConfig) *hookEnv {
	t.Helper()
	if cfg.Key == nil {
		cfg.Key = testWebhookKey
	}
	if cfg.RetrySchedule == nil {
		cfg.RetrySchedule = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	}
	f := newFixture(t, nil)
	sched, err := jobs.NewScheduler(f.db.Owner)
	if err != nil {
		t.Fatal(err)
	}
	f.store = domain.NewStore(f.db.App, domain.WithScheduler(sched), domain.WithWebhooks(cfg), domain.WithSystemPool(f.db.System))
	e := &hookEnv{fixture: f, cfg: cfg}
	t.Cleanup(func() {
		// Endpoints go with the test, so that no later runner delivers to them.
		f.ownerExec(t, `DELETE FROM webhook_endpoints WHERE tenant_id = $1`, f.sc.TenantID)
	})
	e.start(t)
	return e
}

// start starts a job runner; it is stopped at cleanup unless stopped before.
func (e *hookEnv) start(t *testing.T) *jobs.Runner {
	t.Helper()
	r, err := jobs.NewRunner(e.db.Owner, e.store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = r.StopAndCancel(ctx)
		}
	})
	e.runner = r
	return r
}

// endpoint registers an endpoint for the receiver and tells the receiver
// its secret.
func (e *hookEnv) endpoint(t *testing.T, rc *receiver, types ...string) *domain.WebhookEndpoint {
	t.Helper()
	if len(types) == 0 {
		types = []string{"*"}
	}
	u := rc.URL()
	ep, secret, err := e.store.CreateWebhookEndpoint(context.Background(), e.sc, domain.WebhookEndpointInput{URL: &u, EventTypes: types})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret %q does not start with whsec_", secret)
	}
	rc.setSecret(t, secret)
	return ep
}

func (e *hookEnv) deliveries(t *testing.T, endpointID string) []*domain.WebhookDelivery {
	t.Helper()
	first := int64(250)
	p, err := e.store.WebhookDeliveries(context.Background(), e.sc, endpointID, domain.PageRequest{First: &first})
	if err != nil {
		t.Fatal(err)
	}
	return p.Rows
}

// waitLog waits until the endpoint's delivery log satisfies done, and
// returns it.
func (e *hookEnv) waitLog(t *testing.T, endpointID string, what string, done func([]*domain.WebhookDelivery) bool) []*domain.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		log := e.deliveries(t, endpointID)
		if done(log) {
			return log
		}
		if time.Now().After(deadline) {
			for _, d := range log {
				t.Logf("delivery %+v", d)
			}
			t.Fatalf("delivery log never had %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *hookEnv) endpointNow(t *testing.T, id string) *domain.WebhookEndpoint {
	t.Helper()
	ep, err := e.store.WebhookEndpoint(context.Background(), e.sc, id)
	if err != nil || ep == nil {
		t.Fatalf("read endpoint: %v, %v", ep, err)
	}
	return ep
}

// hookMsg is one request a receiver got.
type hookMsg struct {
	ID     string
	Type   string
	Status int // what the receiver answered
	At     time.Time
	Data   struct {
		Cursor      string
		StockLevels []struct {
			Version int64
			OnHand  int64
		}
	}
}

// receiver is a real HTTP server that verifies every request with the
// Standard Webhooks reference library and answers what answer says.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	hook   *standardwebhooks.Webhook
	got    []hookMsg
	errs   []string
	answer func(n int, id string, r *http.Request) int // n counts requests from 0
	notify chan struct{}
}

func newReceiver(t *testing.T, answer func(n int, id string, r *http.Request) int) *receiver {
	rc := &receiver{answer: answer, notify: make(chan struct{}, 1)}
	if rc.answer == nil {
		rc.answer = func(int, string, *http.Request) int { return http.StatusOK }
	}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) URL() string { return rc.srv.URL + "/hooks" }

func (rc *receiver) setSecret(t *testing.T, secret string) {
	h, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	rc.hook = h
	rc.mu.Unlock()
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n, hook, answer := len(rc.got), rc.hook, rc.answer
	rc.mu.Unlock()
	var m hookMsg
	m.ID = r.Header.Get("webhook-id")
	if hook == nil {
		rc.fail("request before the secret is known")
	} else if err := hook.Verify(body, r.Header); err != nil {
		rc.fail(fmt.Sprintf("message %s: signature: %v", m.ID, err))
	}
	if err := json.Unmarshal(body, &m); err != nil {
		rc.fail(fmt.Sprintf("body %q: %v", body, err))
	}
	m.Status = answer(n, m.ID, r)
	m.At = time.Now()
	rc.mu.Lock()
	rc.got = append(rc.got, m)
	rc.mu.Unlock()
	select {
	case rc.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(m.Status)
}

func (rc *receiver) fail(s string) {
	rc.mu.Lock()
	rc.errs = append(rc.errs, s)
	rc.mu.Unlock()
}

func (rc *receiver) requests() []hookMsg {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hookMsg(nil), rc.got...)
}

// delivered returns the messages answered with a 2xx, in arrival order.
func (rc *receiver) delivered() []hookMsg {
	var out []hookMsg
	for _, m := range rc.requests() {
		if m.Status >= 200 && m.Status < 300 {
			out = append(out, m)
		}
	}
	return out
}

// waitDelivered waits until n messages were answered with a 2xx.
func (rc *receiver) waitDelivered(t *testing.T, n int, within time.Duration) []hookMsg {
	t.Helper()
	deadline := time.After(within)
	for {
		if got := rc.delivered(); len(got) >= n {
			return got
		}
		select {
		case <-rc.notify:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("receiver got %d messages delivered within %s, want %d; requests: %+v", len(rc.delivered()), within, n, rc.requests())
		}
	}
}

func (rc *receiver) checkSignatures(t *testing.T) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, e := range rc.errs {
		t.Error(e)
	}
}

// checkInOrder asserts the messages are the stock changes of one level, each
// once, in commit order: their cursors and versions only grow.
func (e *hookEnv) checkInOrder(t *testing.T, got []hookMsg, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d messages, want %d", len(got), n)
	}
	seen := map[string]bool{}
	var last domain.FeedCursor
	for i, m := range got {
		if seen[m.ID] {
			t.Errorf("message %s delivered twice", m.ID)
		}
		seen[m.ID] = true
		if m.Type != domain.WebhookStockChanged {
			t.Errorf("message %d has type %q", i, m.Type)
		}
		c, err := e.store.ParseFeedCursor(e.sc, m.Data.Cursor)
		if err != nil {
			t.Fatalf("message %d: cursor %q: %v", i, m.Data.Cursor, err)
		}
		if i > 0 && !c.After(last) {
			t.Errorf("message %d (cursor %v) is not after message %d (cursor %v)", i, c, i-1, last)
		}
		last = c
		if len(m.Data.StockLevels) != 1 || m.Data.StockLevels[0].Version != int64(i+1) {
			t.Errorf("message %d carries levels %+v, want version %d", i, m.Data.StockLevels, i+1)
		}
	}
}

func TestWebhookDeliversSignedEventsInCommitOrder(t *testing.T) {
	e := newHookEnv(t, domain.WebhookConfig{AllowPrivate: true})
	rc := newReceiver(t, nil)
	ep := e.endpoint(t, rc, domain.WebhookStockChanged)
	other := newReceiver(t, nil)
	e.endpoint(t, other, domain.WebhookAlertResolved) // wants no stock change
	const n = 20
	for range n {
		e.receive(t, e.locA, 1)
	}
	got := rc.waitDelivered(t, n, 30*time.Second)
	rc.checkSignatures(t)
	e.checkInOrder(t, got, n)
	if len(rc.requests()) != n {
		t.Errorf("receiver got %d requests for %d messages that all succeeded", len(rc.requests()), n)
	}
	log := e.waitLog(t, ep.ID, fmt.Sprintf("%d entries", n), func(l []*domain.WebhookDelivery) bool { return len(l) >= n })
	if len(log) != n {
		t.Fatalf("delivery log has %d entries, want %d", len(log), n)
	}
	for _, d := range log {
		if d.Status != domain.WebhookDelivered || d.Attempts != 1 || d.DeliveredAt == nil || d.LastStatusCode == nil || *d.LastStatusCode != 200 {
			t.Errorf("delivery %+v, want DELIVERED at the first attempt with 200", d)
		}
	}
	logged := map[string]bool{}
	for _, d := range log {
		logged[d.MessageID] = true
	}
	for _, m := range got {
		if !logged[m.ID] {
			t.Errorf("message %s is not in the delivery log", m.ID)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if r := other.requests(); len(r) != 0 {
		t.Errorf("an endpoint for alert.resolved got %d stock changes", len(r))
	}
}

func TestWebhookReceiverThatFailsThreeTimesGetsEveryEventOnceInOrder(t *testing.T) {
	e := newHookEnv(t, domain.WebhookConfig{AllowPrivate: true})
	rc := newReceiver(t, func(n int, _ string, _ *http.Request) int {
		if n < 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	ep := e.endpoint(t, rc)
	const n = 8
	for range n {
		e.receive(t, e.locA, 1)
	}
	got := rc.waitDelivered(t, n, 30*time.Second)
	rc.checkSignatures(t)
	e.checkInOrder(t, got, n)
	reqs := rc.requests()
	for i := range 4 {
		if reqs[i].ID != reqs[0].ID {
			t.Errorf("request %d was for %s: a later message went out before the first was delivered", i, reqs[i].ID)
		}
	}
	log := e.waitLog(t, ep.ID, fmt.Sprintf("%d entries", n), func(l []*domain.WebhookDelivery) bool { return len(l) >= n })
	first := log[len(log)-1]
	if first.Status != domain.WebhookDelivered || first.Attempts != 4 || first.MessageID != got[0].ID {
		t.Errorf("first delivery %+v, want DELIVERED after 4 attempts", first)
	}
	if !e.endpointNow(t, ep.ID).Enabled {
		t.Error("endpoint disabled after failures within the schedule")
	}
}

func TestWebhookDeadReceiverIsDisabledWithoutSlowingOthers(t *testing.T) {
	e := newHookEnv(t, domain.WebhookConfig{AllowPrivate: true, AttemptTimeout: 4 * time.Second,
		RetrySchedule: []time.Duration{100 * time.Millisecond}})
	deadUntil := make(chan struct{})
	hung := make(chan time.Time, 10)
	silent := newReceiver(t, func(_ int, _ string, r *http.Request) int {
		select {
		case <-deadUntil: // recovered
			return http.StatusOK
		default:
		}
		hung <- time.Now()
		<-r.Context().Done() // never answers
		return 499
	})
	healthy := newReceiver(t, nil)
	silentEp := e.endpoint(t, silent)
	e.endpoint(t, healthy)

	const n = 10
	commits := make([]time.Time, n)
	for i := range n {
		commits[i] = time.Now()
		e.receive(t, e.locA, 1)
		time.Sleep(100 * time.Millisecond)
	}
	got := healthy.waitDelivered(t, n, 30*time.Second)
	e.checkInOrder(t, got, n)
	// Every message reached the healthy endpoint while the first attempt at
	// the silent one was still hanging (it hangs 4 s; the commits took 1 s).
	firstHang := <-hung
	for i, m := range got {
		if m.At.After(firstHang.Add(e.cfg.AttemptTimeout)) {
			t.Errorf("healthy endpoint got message %d %s after its commit, after the silent endpoint's first attempt ended", i, m.At.Sub(commits[i]))
		}
	}

	// Two attempts of 4 s each, then the endpoint is disabled.
	deadline := time.Now().Add(30 * time.Second)
	var ep *domain.WebhookEndpoint
	for ep = e.endpointNow(t, silentEp.ID); ep.Enabled && time.Now().Before(deadline); ep = e.endpointNow(t, silentEp.ID) {
		time.Sleep(100 * time.Millisecond)
	}
	if ep.Enabled || ep.DisabledReason == nil || !strings.Contains(*ep.DisabledReason, "no answer within") {
		t.Fatalf("silent endpoint %+v, want disabled for not answering", ep)
	}
	log := e.deliveries(t, silentEp.ID)
	if len(log) != 1 || log[0].Status != domain.WebhookFailed || log[0].Attempts != 2 || log[0].NextAttemptAt != nil {
		t.Fatalf("silent endpoint's log %+v, want one FAILED delivery after 2 attempts", log)
	}
	failedID := log[0].MessageID

	// It recovers and is enabled again: it gets every event from the one
	// that failed, in order.
	close(deadUntil)
	enabled := true
	if _, err := e.store.UpdateWebhookEndpoint(context.Background(), e.sc, silentEp.ID, domain.WebhookEndpointInput{Enabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	resumed := silent.waitDelivered(t, n, 30*time.Second)
	e.checkInOrder(t, resumed, n)
	if resumed[0].ID != failedID {
		t.Errorf("resumed with %s, want the failed message %s", resumed[0].ID, failedID)
	}
	silent.checkSignatures(t)
}

func TestWebhookRedelivery(t *testing.T) {
	e := newHookEnv(t, domain.WebhookConfig{AllowPrivate: true})
	rc := newReceiver(t, nil)
	ep := e.endpoint(t, rc)
	e.receive(t, e.locA, 3)
	first := rc.waitDelivered(t, 1, 30*time.Second)[0]
	log := e.waitLog(t, ep.ID, "an entry", func(l []*domain.WebhookDelivery) bool { return len(l) == 1 })
	d, err := e.store.RedeliverWebhook(context.Background(), e.sc, log[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != domain.WebhookPending {
		t.Errorf("redelivery returned %+v, want PENDING", d)
	}
	again := rc.waitDelivered(t, 2, 30*time.Second)[1]
	if again.ID != first.ID || again.Data.Cursor != first.Data.Cursor {
		t.Errorf("redelivered %s (cursor %s), want %s (cursor %s) again", again.ID, again.Data.Cursor, first.ID, first.Data.Cursor)
	}
	rc.checkSignatures(t)
	deadline := time.Now().Add(5 * time.Second)
	for {
		log = e.deliveries(t, ep.ID)
		if log[0].Status == domain.WebhookDelivered && log[0].Attempts == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery after redelivery: %+v, want DELIVERED with 2 attempts", log[0])
		}
		time.Sleep(50 * time.Millisecond)
	}
	other := newFixture(t, e.store)
	if _, err := e.store.RedeliverWebhook(context.Background(), other.sc, log[0].ID); domain.CodeOf(err) != domain.CodeNotFound {
		t.Errorf("another tenant redelivering: %v, want NOT_FOUND", err)
	}
}

// fakeResolver answers every name with its address.
type fakeResolver netip.Addr

func (r fakeResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.Addr(r)}, nil
}

func TestWebhookPrivateAddressesAreRefused(t *testing.T) {
	// At creation: the host is checked, and so is every address a name
	// resolves to.
	e := newHookEnv(t, domain.WebhookConfig{})
	ctx := context.Background()
	for _, u := range []string{"http://127.0.0.1:8080/hooks", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
		"http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/",
		"http://0.0.0.0/", "http://localhost:9/",
		"http://[::1%25lo]:8080/hook", "http://[fe80::1%25eth0]/", "http://[fd00::2%25eth0]/", "http://[64:ff9b::7f00:1]/",
		"http://[::7f00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/latest/meta-data/", "ftp://example.com/", "http://user:pw@93.184.215.14/", "/relative"} {
		_, _, err := e.store.CreateWebhookEndpoint(ctx, e.sc, domain.WebhookEndpointInput{URL: &u, EventTypes: []string{"*"}})
		if domain.CodeOf(err) != domain.CodeValidation {
			t.Errorf("endpoint %s: %v, want VALIDATION", u, err)
		}
	}
	public := "https://93.184.215.14/hooks"
	if _, _, err := e.store.CreateWebhookEndpoint(ctx, e.sc, domain.WebhookEndpointInput{URL: &public, EventTypes: []string{"stock.changed"}}); err != nil {
		t.Errorf("public endpoint refused: %v", err)
	}
	if _, _, err := e.store.CreateWebhookEndpoint(ctx, e.sc, domain.WebhookEndpointInput{URL: &public, EventTypes: []string{"stock.moved"}}); domain.CodeOf(err) != domain.CodeValidation {
		t.Errorf("unknown event type: %v, want VALIDATION", err)
	}
	if _, err := e.store.DeleteWebhookEndpoint(ctx, e.sc, "00000000-0000-0000-0000-000000000001"); domain.CodeOf(err) != domain.CodeNotFound {
		t.Errorf("delete unknown endpoint: %v, want NOT_FOUND", err)
	}
}

func TestWebhookNameThatResolvesToLoopbackIsRefusedAtDelivery(t *testing.T) {
	// A name that resolved to a public address when the endpoint was made
	// (the fake resolver) resolves to 127.0.0.1 when it is delivered to.
	e := newHookEnv(t, domain.WebhookConfig{Resolver: fakeResolver(netip.MustParseAddr("93.184.215.14")),
		RetrySchedule: []time.Duration{time.Hour}})
	rc := newReceiver(t, nil)
	u := strings.Replace(rc.URL(), "127.0.0.1", "localhost", 1)
	ep, _, err := e.store.CreateWebhookEndpoint(context.Background(), e.sc, domain.WebhookEndpointInput{URL: &u, EventTypes: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	e.receive(t, e.locA, 1)
	deadline := time.Now().Add(30 * time.Second)
	var log []*domain.WebhookDelivery
	for log = e.deliveries(t, ep.ID); len(log) == 0 && time.Now().Before(deadline); log = e.deliveries(t, ep.ID) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(log) != 1 || log[0].Status != domain.WebhookPending || log[0].LastError == nil || !strings.Contains(*log[0].LastError, "refused") {
		t.Fatalf("delivery log %+v, want one PENDING delivery refused for its address", log)
	}
	t.Logf("refused: %s", *log[0].LastError)
	if n := len(rc.requests()); n != 0 {
		t.Errorf("the loopback receiver got %d requests", n)
	}
}

func TestWebhookDeliveryCutOffByAStopIsMadeAgainAfterRestart(t *testing.T) {
	e := newHookEnv(t, domain.WebhookConfig{AllowPrivate: true})
	inFlight := make(chan struct{})
	var once sync.Once
	rc := newReceiver(t, func(n int, _ string, r *http.Request) int {
		if n == 2 { // the third message: hold it until the runner is stopped
			once.Do(func() { close(inFlight) })
			<-r.Context().Done()
			return 499 // the sender went away: no answer reached it
		}
		return http.StatusOK
	})
	e.endpoint(t, rc, domain.WebhookStockChanged)
	const n = 6
	for range n {
		e.receive(t, e.locA, 1)
	}
	select {
	case <-inFlight:
	case <-time.After(10 * time.Second):
		t.Fatal("the third message was never sent")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.runner.StopAndCancel(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	before := len(rc.requests())
	e.receive(t, e.locA, 1) // committed while no runner runs
	time.Sleep(300 * time.Millisecond)
	if len(rc.requests()) != before {
		t.Fatal("messages sent while no runner runs")
	}

	e.start(t)
	got := rc.waitDelivered(t, n+1, 30*time.Second)
	e.checkInOrder(t, got, n+1) // at least once: the cut-off message is sent again, nothing is lost
	rc.checkSignatures(t)
	reqs := rc.requests()
	if reqs[2].ID != reqs[3].ID {
		t.Errorf("after the restart, %s was sent before the cut-off %s", reqs[3].ID, reqs[2].ID)
	}
}
