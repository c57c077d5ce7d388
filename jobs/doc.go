// Package jobs holds the service's background work as River workers and
// periodic jobs: reservation expiry, a sweep for overdue reservations, and the
// pruning of old idempotency keys. Workers reach the inventory only through
// package domain, with the tenant carried in each job's arguments, so
// row-level security holds inside jobs as it does in requests.
//
// Jobs that follow from a change are inserted in the change's own
// transaction through Scheduler, which implements domain.Scheduler.
package jobs
