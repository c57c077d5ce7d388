// Package live pushes committed stock changes to the subscribers connected to
// this server process.
//
// Each process holds one LISTEN connection. A commit that writes an event to
// the outbox also sends a notification; the Hub wakes, reads the new events
// once, in commit-safe order (see domain.ReadFeed), and fans them out in
// memory to its subscribers by tenant and filter. The database work per change
// does not grow with the number of subscribers, and a change made on any
// process reaches the subscribers of every process.
//
// A subscriber's buffer is bounded. One that falls behind is closed with a
// reason (it can resubscribe, and resume from its last cursor); it never
// delays the others and never silently misses an event.
package live
