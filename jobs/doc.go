// Package jobs will hold the service's background work as River workers and
// periodic jobs: reservation expiry, low-stock alerts, reports, webhooks and
// the ledger audit. Workers reach the inventory only through package domain,
// with the tenant carried in each job's arguments, so row-level security holds
// inside jobs as it does in requests.
//
// It holds nothing yet: the inventory core runs no background work.
package jobs
