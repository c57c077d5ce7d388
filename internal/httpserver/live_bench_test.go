package httpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/live"
	"github.com/inventory-backbone/inventory/tenancy"
)

// fanoutClientEnv carries, to the client process of BenchmarkLiveFanout, what
// it is to do, as JSON (see fanoutSpec).
const fanoutClientEnv = "INVENTORY_LIVE_FANOUT_CLIENTS"

// fanoutSpec is the client process's task: open N subscriptions to the item
// at URL and read Expect changes on each.
type fanoutSpec struct {
	URL    string
	Token  string
	Item   string
	N      int
	Expect int
	// After, when set, makes every subscription a stockChanged resumed
	// after this cursor (LIVE_FANOUT_RESUME=1), as consoles that reconnect
	// after a restart do; otherwise each is an availabilityChanged.
	After string
}

// fanoutResult is what the client process reports: how many changes the
// least and the most served subscriber received, and the delays from commit
// to receipt of every message.
type fanoutResult struct {
	MinCount, MaxCount int
	Messages           int
	P50, P99, Max      float64 // milliseconds
	Err                string
}

// Output lines of the client process that the benchmark reads.
const (
	fanoutReady  = "live-fanout-ready"
	fanoutReport = "live-fanout-result "
)

// raiseFileLimit lifts the soft limit on open files to the hard one: every
// loopback WebSocket costs a descriptor at each end.
func raiseFileLimit(tb testing.TB) uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		tb.Fatal(err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			tb.Fatal(err)
		}
	}
	return l.Cur
}

// envInt reads a positive integer knob from the environment.
func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q is not a positive integer", name, v)
	}
	return n
}

// BenchmarkLiveFanout measures the live feed's fan-out: N subscribers (1,000
// and 10,000) over real WebSockets on loopback to one server, each subscribed
// to availabilityChanged for one item, while receipts of that item commit at
// a steady rate (LIVE_FANOUT_CHANGES receipts, default 200, started at
// LIVE_FANOUT_RATE per second, default 50, through the store, each on its own
// goroutine). It reports
//
//   - p50-ms, p99-ms, max-ms: the delay of every delivered message from the
//     level's updatedAt (set by the database in the committing transaction)
//     to the client's receipt, on the same machine's clock;
//   - heap-MB, heap-KB/sub, goroutines/sub: the server's heap in use after
//     subscribing (after a GC) and its share per subscriber;
//   - feed-reads/change: the hub's reads of the outbox per change, which
//     does not grow with N (the hub reads through the system pool; the
//     subscribers themselves make no queries);
//   - server-µs/msg, client-µs/msg: the CPU time of the server (this
//     process) and of the clients (the child process) per message
//     delivered, from /proc (Linux), while the changes are made and
//     delivered;
//   - changes/s: the commit rate achieved, from the first receipt's start to
//     the last one's commit, which falls below the target when the database,
//     the server and the clients saturate the machine they share.
//
// With LIVE_FANOUT_RESUME=1, every subscriber is a stockChanged resumed
// after the feed's head, as consoles that reconnect after a restart are.
//
// Each subscriber must receive every change, or the benchmark fails.
//
// The clients run in a child process (this test binary, re-run as
// TestLiveFanoutClients): 10,000 loopback connections in one process need
// 20,000 descriptors, the whole of this machine's hard limit, and the
// server's heap is then measured without the clients' share. Run it with
//
//	go test -run '^$' -bench BenchmarkLiveFanout -benchtime 1x ./internal/httpserver
func BenchmarkLiveFanout(b *testing.B) {
	raiseFileLimit(b)
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) { benchFanout(b, n) })
	}
}

func benchFanout(b *testing.B, n int) {
	changes := envInt(b, "LIVE_FANOUT_CHANGES", 200)
	rate := envInt(b, "LIVE_FANOUT_RATE", 50)
	s := newLiveServer(b, liveServerOptions{
		cfg:     live.Config{MaxConnectionsPerTenant: n, PollInterval: time.Second},
		ownPool: true,
	})
	f := newLiveFixture(b, s, 1, 1)
	writer := domain.NewStore(s.db.App) // not the server's pool, so that its queries are the hub's and subscribers' alone
	item, loc := f.items[0], f.locations[0]

	if os.Getenv("LIVE_FANOUT_HEAP_PROFILE") != "" {
		runtime.MemProfileRate = 1 // every allocation, for an exact attribution
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()

	resumeAfter := ""
	if os.Getenv("LIVE_FANOUT_RESUME") == "1" {
		head, err := s.store.FeedHead(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		resumeAfter = s.store.FeedCursorString(f.sc, head)
	}
	spec, _ := json.Marshal(fanoutSpec{URL: s.URL, Token: s.token(b, f.tenant, "fanout", tenancy.Viewer),
		Item: item, N: n, Expect: b.N * changes, After: resumeAfter})
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveFanoutClients$", "-test.v")
	cmd.Env = append(os.Environ(), fanoutClientEnv+"="+string(spec))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, fanoutReady) || strings.HasPrefix(l, fanoutReport) {
				lines <- l
			}
		}
	}()
	awaitLine := func(prefix string, within time.Duration) string {
		select {
		case l, ok := <-lines:
			if !ok {
				b.Fatalf("client process ended before %q", prefix)
			}
			if !strings.HasPrefix(l, prefix) {
				b.Fatalf("client process said %q, want %q", l, prefix)
			}
			return strings.TrimPrefix(l, prefix)
		case <-time.After(within):
			b.Fatalf("no %q from the client process within %s", prefix, within)
		}
		return ""
	}
	awaitLine(fanoutReady, 10*time.Minute)
	deadline := time.Now().Add(time.Minute)
	for s.hub.Subscribers() != n {
		if time.Now().After(deadline) {
			b.Fatalf("hub has %d subscribers, want %d", s.hub.Subscribers(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perSub := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / float64(n)
	stackPerSub := float64(int64(after.StackInuse)-int64(before.StackInuse)) / float64(n)
	if path := os.Getenv("LIVE_FANOUT_HEAP_PROFILE"); path != "" {
		// What the subscribers hold, for go tool pprof -sample_index=inuse_space.
		writeHeapProfile(b, path)
	}
	goroutinesPerSub := float64(runtime.NumGoroutine()-goroutines) / float64(n)

	reads0 := s.hub.FeedReads.Load()
	ctx := context.Background()
	interval := time.Second / time.Duration(rate)
	b.ResetTimer()
	// The load is open-loop: a receipt starts at every tick, whether or not
	// the previous one has committed, as independent clients would send them.
	driveStart := time.Now()
	serverCPU0 := processCPU()
	clientCPU0, _ := pidCPU(cmd.Process.Pid)
	var writes sync.WaitGroup
	var writeErr atomic.Value
	for range b.N {
		tick := time.NewTicker(interval)
		for range changes {
			writes.Go(func() {
				if _, err := writer.Receive(ctx, f.sc, item, loc, 1, domain.Meta{}); err != nil {
					writeErr.CompareAndSwap(nil, err.Error())
				}
			})
			<-tick.C
		}
		tick.Stop()
	}
	writes.Wait()
	drive := time.Since(driveStart)
	if e := writeErr.Load(); e != nil {
		b.Fatal(e)
	}
	var res fanoutResult
	if err := json.Unmarshal([]byte(awaitLine(fanoutReport, 10*time.Minute)), &res); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	serverCPU := processCPU() - serverCPU0
	clientCPU, _ := pidCPU(cmd.Process.Pid)
	clientCPU -= clientCPU0
	total := b.N * changes
	if res.Err != "" {
		b.Fatalf("client process: %s", res.Err)
	}
	if res.MinCount != total || res.MaxCount != total || res.Messages != n*total {
		b.Fatalf("subscribers received between %d and %d changes (%d messages), want %d each", res.MinCount, res.MaxCount, res.Messages, total)
	}
	b.ReportMetric(res.P50, "p50-ms")
	b.ReportMetric(res.P99, "p99-ms")
	b.ReportMetric(res.Max, "max-ms")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(perSub/1024, "heap-KB/sub")
	b.ReportMetric(stackPerSub/1024, "stack-KB/sub")
	b.ReportMetric(goroutinesPerSub, "goroutines/sub")
	b.ReportMetric(float64(s.hub.FeedReads.Load()-reads0)/float64(total), "feed-reads/change")
	b.ReportMetric(float64(total)/drive.Seconds(), "changes/s")
	// CPU per message delivered, of the server (this process, with the
	// writer's few statements) and of the clients (the child process).
	b.ReportMetric(float64(serverCPU.Microseconds())/float64(res.Messages), "server-µs/msg")
	b.ReportMetric(float64(clientCPU.Microseconds())/float64(res.Messages), "client-µs/msg")
}

// TestLiveFanoutClients is the client process of BenchmarkLiveFanout, which
// runs this test binary again with fanoutClientEnv set. Without it, the test
// has nothing to do.
func TestLiveFanoutClients(t *testing.T) {
	raw := os.Getenv(fanoutClientEnv)
	if raw == "" {
		return
	}
	var spec fanoutSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatal(err)
	}
	if limit := raiseFileLimit(t); limit < uint64(spec.N)+100 {
		t.Fatalf("open files limited to %d, %d connections need more", limit, spec.N)
	}
	res := runFanoutClients(spec)
	out, _ := json.Marshal(res)
	fmt.Println(fanoutReport + string(out))
}

// writeHeapProfile writes the heap profile to path.
func writeHeapProfile(tb testing.TB, path string) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		tb.Fatal(err)
	}
}

// fanoutUpdatedAt reads the updatedAt of an availabilityChanged message.
func fanoutUpdatedAt(msg []byte) (time.Time, error) {
	const field = `"updatedAt":"`
	i := bytes.Index(msg, []byte(field))
	if i < 0 {
		return time.Time{}, fmt.Errorf("no updatedAt in %.200s", msg)
	}
	rest := msg[i+len(field):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return time.Time{}, fmt.Errorf("unterminated updatedAt in %.200s", msg)
	}
	return time.Parse(time.RFC3339Nano, string(rest[:j]))
}

// runFanoutClients opens the subscriptions, says it is ready, and reads on
// each connection, with one goroutine per connection, until every one has
// received the expected number of changes.
func runFanoutClients(spec fanoutSpec) fanoutResult {
	conns := make([]*websocket.Conn, spec.N)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.CloseNow()
			}
		}
	}()
	subscription := map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($i: [ID!]) { availabilityChanged(itemIds: $i) { available version updatedAt } }`,
		"variables": map[string]any{"i": []string{spec.Item}}}}
	if spec.After != "" {
		subscription["payload"] = map[string]any{
			"query":     `subscription($i: [ID!], $after: String) { stockChanged(itemIds: $i, after: $after) { cursor stockLevels { available version updatedAt } } }`,
			"variables": map[string]any{"i": []string{spec.Item}, "after": spec.After}}
	}
	dial := func(i int) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := liveDial(ctx, spec.URL, liveDialOptions{payload: bearer(spec.Token), manual: true})
		if err != nil {
			return fmt.Errorf("connection_init: %w", err)
		}
		conns[i] = c.ws
		return wsjson.Write(ctx, c.ws, subscription)
	}
	var next atomic.Int64
	var dialErr atomic.Value
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < spec.N; i = int(next.Add(1)) - 1 {
				if err := dial(i); err != nil {
					dialErr.CompareAndSwap(nil, fmt.Sprintf("connection %d: %v", i, err))
					return
				}
			}
		})
	}
	wg.Wait()
	if e := dialErr.Load(); e != nil {
		return fanoutResult{Err: e.(string)}
	}
	fmt.Println(fanoutReady)

	counts := make([]int, spec.N)
	delays := make([][]float64, spec.N)
	errs := make([]error, spec.N)
	for i, c := range conns {
		delays[i] = make([]float64, 0, spec.Expect)
		wg.Go(func() {
			// The client reads as little as it can of each message (its
			// type and the level's updatedAt), so that the machine's CPU,
			// which the clients share with the server, goes to the server.
			ctx := context.Background()
			for counts[i] < spec.Expect {
				_, msg, err := c.Read(ctx)
				if err != nil {
					errs[i] = err
					return
				}
				now := time.Now()
				switch {
				case bytes.Contains(msg, []byte(`"type":"next"`)):
					at, err := fanoutUpdatedAt(msg)
					if err != nil {
						errs[i] = err
						return
					}
					counts[i]++
					delays[i] = append(delays[i], float64(now.Sub(at))/float64(time.Millisecond))
				case bytes.Contains(msg, []byte(`"type":"ping"`)):
					_ = wsjson.Write(ctx, c, map[string]any{"type": "pong"})
				case bytes.Contains(msg, []byte(`"type":"pong"`)):
				default:
					errs[i] = fmt.Errorf("unexpected message %.200s", msg)
					return
				}
			}
		})
	}
	wg.Wait()
	res := fanoutResult{MinCount: math.MaxInt}
	var all []float64
	for i := range conns {
		res.MinCount = min(res.MinCount, counts[i])
		res.MaxCount = max(res.MaxCount, counts[i])
		res.Messages += counts[i]
		all = append(all, delays[i]...)
		if errs[i] != nil && res.Err == "" {
			res.Err = fmt.Sprintf("connection %d after %d changes: %v", i, counts[i], errs[i])
		}
	}
	slices.Sort(all)
	if len(all) > 0 {
		res.P50 = all[len(all)/2]
		res.P99 = all[min(len(all)-1, len(all)*99/100)]
		res.Max = all[len(all)-1]
	}
	return res
}
