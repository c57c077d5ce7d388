package domain

import (
	"context"
	"sync"
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
// A group never waits for company: a committer that is free takes the
// operations queued at that moment, so one client alone runs each operation
// at once, as it did before group commit. Groups grow by themselves under
// load, from the operations that arrive while the groups in flight hold their
// locks and commit.
const (
	// groupCommitters is how many groups may be in flight at once: while one
	// holds its locks and commits, the next gathers and locks. Measured on
	// two cores with 64 clients (docs/benchmarks.md): 2 gives the most
	// throughput on one hot level and on many.
	groupCommitters = 2
	// maxGroup caps the operations one transaction holds.
	maxGroup = 256
)

// request is one operation waiting for its group's commit.
type request struct {
	ctx  context.Context
	e    *execution
	done chan error
}

// committer queues a Store's operations and runs them in groups.
type committer struct {
	s *Store

	mu      sync.Mutex
	queue   []*request
	running int  // committer goroutines working
	paused  bool // tests hold the groups back to fill the queue
}

// submit queues an execution and waits for its answer. A caller whose
// context ends while it waits gets the context's error; its operation may
// still commit (as with any call whose answer is lost), and a retry with
// the same idempotency key then replays it.
func (c *committer) submit(ctx context.Context, e *execution) error {
	r := &request{ctx: ctx, e: e, done: make(chan error, 1)}
	c.mu.Lock()
	c.queue = append(c.queue, r)
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

// work runs groups while operations are queued.
func (c *committer) work() {
	for {
		c.mu.Lock()
		g := c.gather()
		if len(g) == 0 {
			c.running--
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.s.commitGroup(g)
	}
}

// gather takes the next group off the queue, in arrival order, up to
// maxGroup. An operation that shares its idempotency key, or the
// reservation or transfer it acts on, with one already in the group stays
// queued for the next group: it must see the first one's outcome, as it
// would have had it come second on its own. An operation whose caller has
// gone is answered and dropped. c.mu is held.
func (c *committer) gather() []*request {
	if c.paused {
		return nil
	}
	var (
		group   []*request
		keys    = map[[2]string]bool{}
		records = map[string]bool{}
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
		if (key[1] != "" && keys[key]) || (record != "" && records[record]) {
			rest = append(rest, r)
			continue
		}
		if key[1] != "" {
			keys[key] = true
		}
		if record != "" {
			records[record] = true
		}
		group = append(group, r)
	}
	clear(c.queue[len(rest):])
	c.queue = rest
	return group
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
