package domain

import (
	"context"
	"sync"
	"time"
)

// Group commit. Every stock operation is a request to the Store's committer,
// which folds the operations that arrive together into one transaction (a
// group, group_tx.go): one round trip takes the union of their locks, each
// command is planned in arrival order against the levels as the earlier ones
// left them, the writes of all of them go in a few statements, and one
// commit (one WAL flush) makes them durable. Each caller waits for its own
// answer, which it gets only after the commit that holds its operation: its
// change, or its own business Error (a command whose plan fails is simply not
// written), or, when the database fails the transaction, the error that
// failed the group (each of its operations then wrote nothing, so a retry
// with the same idempotency key is safe).
//
// A committer that is free takes the operations queued at that moment, so
// one client alone runs each operation at once, as it did before group
// commit. Groups grow by themselves under load, from the operations that
// arrive while the groups in flight work; a committer that has just
// committed waits for company only when operations are queued, and for at
// most groupWindow.
//
// An operation on a level that a group in flight holds stays queued until
// that group has committed, and then goes with every other operation queued
// on the level in the next group: it would only have waited at the level's
// lock in the database, and waiting in the queue instead lets one hot level
// take one transaction for all its waiting operations, where several small
// transactions would each wait for the lock in turn. Operations on other
// levels go meanwhile, in up to groupCommitters groups at once. (Operations
// that must read before they know their levels, such as a reservation's
// release, go at once and wait at the locks, as before.)
const (
	// groupCommitters is how many groups may be in flight at once. Two,
	// not four: on uniform load, the operations that arrive while a group
	// commits wait for the next group rather than start groups of their
	// own, so groups are twice the size (bench/shipstock.sh, 32
	// connections over 1,000 items: 10.3 operations per commit instead of
	// 5.0, 1.3 to 1.5 times the throughput; BenchmarkShipPath/domain: a
	// quarter less database CPU per operation), while a hot level's
	// operations already share one group and one client alone is still a
	// group of one, at once.
	groupCommitters = 2
	// maxGroup caps the operations one transaction holds.
	maxGroup = 256
	// groupWindow bounds how long a committer that has just committed a
	// group waits, when operations are queued, for as many as that group
	// held: the callers it has just answered come back with their next
	// operations, and then go in one group with those that waited, where
	// without the wait the two halves would take turns in two groups of
	// half the size (on one hot level, each waits for the other's commit).
	// It never delays an operation when nothing else is queued.
	groupWindow = time.Millisecond
)

// request is one operation waiting for its group's commit.
type request struct {
	ctx   context.Context
	e     *execution
	locks []int64 // its levels' lock keys, when known before it runs
	done  chan error
}

// committer queues a Store's operations and runs them in groups.
type committer struct {
	s *Store

	mu       sync.Mutex
	queue    []*request
	arrived  *sync.Cond    // signalled when an operation is queued
	inFlight map[int64]int // lock keys of the levels that groups in flight hold
	running  int           // committer goroutines working
	awaiting bool          // one of them waits for company (await)
	paused   bool          // tests hold the groups back to fill the queue
}

// submit queues an execution and waits for its answer. A caller whose
// context ends while it waits gets the context's error; its operation may
// still commit (as with any call whose answer is lost), and a retry with
// the same idempotency key then replays it.
func (c *committer) submit(ctx context.Context, e *execution) error {
	r := &request{ctx: ctx, e: e, done: make(chan error, 1)}
	if _, ok := e.cmd.(preparer); !ok {
		for _, k := range lockOrder(e.sc.TenantID, e.cmd.keys()) {
			r.locks = append(r.locks, LockKey(e.sc.TenantID, k))
		}
	}
	c.mu.Lock()
	c.queue = append(c.queue, r)
	c.arrived.Broadcast()
	if c.running < groupCommitters && !c.paused {
		c.running++
		go c.work()
	}
	c.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newCommitter returns the committer of s.
func newCommitter(s *Store) *committer {
	c := &committer{s: s, inFlight: map[int64]int{}}
	c.arrived = sync.NewCond(&c.mu)
	return c
}

// work runs groups while operations can go.
func (c *committer) work() {
	c.mu.Lock()
	for {
		for c.awaiting { // the committer that waits for company gathers first
			c.arrived.Wait()
		}
		g, locks := c.gather()
		if len(g) == 0 {
			c.running--
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.s.commitGroup(g)
		c.mu.Lock()
		for _, l := range locks {
			if c.inFlight[l]--; c.inFlight[l] == 0 {
				delete(c.inFlight, l)
			}
		}
		c.await(len(g))
	}
}

// await waits, for at most groupWindow, until n operations are queued,
// unless none is. c.mu is held.
func (c *committer) await(n int) {
	if len(c.queue) == 0 || len(c.queue) >= n || c.paused || c.awaiting {
		return
	}
	c.awaiting = true
	defer func() {
		c.awaiting = false
		c.arrived.Broadcast()
	}()
	expired := false
	t := time.AfterFunc(groupWindow, func() {
		c.mu.Lock()
		expired = true
		c.arrived.Broadcast()
		c.mu.Unlock()
	})
	defer t.Stop()
	for !expired && len(c.queue) > 0 && len(c.queue) < n {
		c.arrived.Wait()
	}
}

// gather takes the next group off the queue, in arrival order, up to
// maxGroup, and marks its levels in flight. An operation stays queued when
// one of its levels is in flight or held back (so that each level's
// operations keep their arrival order), and when it shares its idempotency
// key, or the reservation or transfer it acts on, with one already in the
// group: it must see the first one's outcome, as it would have had it come
// second on its own. An operation whose caller has gone is answered and
// dropped. c.mu is held.
func (c *committer) gather() (group []*request, locks []int64) {
	if c.paused {
		return nil, nil
	}
	var (
		keys    = map[[2]string]bool{}
		records = map[string]bool{}
		mine    = map[int64]bool{} // the group's levels
		held    = map[int64]bool{} // levels of operations left queued
		rest    = c.queue[:0]
	)
	for i, r := range c.queue {
		if len(group) == maxGroup {
			rest = append(rest, c.queue[i:]...)
			break
		}
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		e := r.e
		var key [2]string
		if k := e.meta.IdempotencyKey; k != nil {
			key = [2]string{e.sc.TenantID, *k}
		}
		record := recordOf(e.sc.TenantID, e.cmd)
		wait := (key[1] != "" && keys[key]) || (record != "" && records[record])
		for _, l := range r.locks {
			wait = wait || held[l] || (!mine[l] && c.inFlight[l] > 0)
		}
		if wait {
			for _, l := range r.locks {
				held[l] = true
			}
			rest = append(rest, r)
			continue
		}
		if key[1] != "" {
			keys[key] = true
		}
		if record != "" {
			records[record] = true
		}
		for _, l := range r.locks {
			if !mine[l] {
				mine[l] = true
				locks = append(locks, l)
			}
		}
		group = append(group, r)
	}
	clear(c.queue[len(rest):])
	c.queue = rest
	for _, l := range locks {
		c.inFlight[l]++
	}
	return group, locks
}

// recordOf names the record (a reservation, a transfer) that a command
// reads under its level's lock and then changes, so that two commands on one
// record never share a group: the second must read what the first wrote.
func recordOf(tenantID string, cmd command) string {
	switch c := cmd.(type) {
	case *reservationCmd:
		return tenantID + "/reservation/" + c.ReservationID
	case *transitCmd:
		return tenantID + "/transfer/" + c.TransferID
	}
	return ""
}

// pause holds every group back until resume, for tests that need several
// operations queued at once.
func (c *committer) pause() {
	c.mu.Lock()
	c.paused = true
	c.mu.Unlock()
}

// resume lets the queued operations run.
func (c *committer) resume() {
	c.mu.Lock()
	c.paused = false
	for c.running < groupCommitters && len(c.queue) > 0 {
		c.running++
		go c.work()
	}
	c.mu.Unlock()
}

// queued returns how many operations wait.
func (c *committer) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}
