// Package jobs holds the service's background work as River workers and
// periodic jobs. Workers reach the inventory only through package domain,
// with the tenant carried in each job's arguments, so row-level security
// holds inside jobs as it does in requests.
//
// Jobs that follow from a change are inserted in the change's own
// transaction through Scheduler, which implements domain.Scheduler:
//
//   - expire_reservation (ExpireReservationWorker) expires one reservation
//     at its time;
//   - check_alerts (CheckAlertsWorker) raises, escalates or resolves the
//     low-stock alert of one level whose available stock moved;
//   - build_report (BuildReportWorker) builds one requested report, on its
//     own queue;
//   - redeliver_webhook (RedeliverWebhookWorker) sends one logged webhook
//     message again, on the webhook queue.
//
// When the store has webhooks enabled, Runner also runs a dispatcher
// (webhook_dispatch.go) that wakes on the feed's notifications and queues
// deliver_webhooks (DeliverWebhooksWorker) for each endpoint with events to
// deliver: one job per endpoint at a time, on the webhook queue, delivering
// in commit order.
//
// Periodic jobs, run by Runner, work tenant by tenant:
//
//   - sweep_reservations (SweepReservationsWorker) expires overdue
//     reservations whose expiry job was lost, every SweepInterval;
//   - requeue_alert_checks (RequeueAlertChecksWorker) queues again the alert
//     checks left pending too long, every SweepInterval;
//   - prune_idempotency_keys (PruneIdempotencyKeysWorker) forgets keys older
//     than IdempotencyKeyRetention, every PruneInterval;
//   - prune_events (PruneEventsWorker) deletes change-feed events past their
//     retention, every PruneInterval;
//   - prune_reports (PruneReportsWorker) deletes expired reports, every
//     PruneInterval;
//   - prune_people (PrunePeopleWorker) deletes ended sessions and old
//     invitations, tenant by tenant, then stale sign-in failure counts,
//     every PruneInterval;
//   - audit_ledger (AuditLedgerWorker) recomputes every level from the ledger
//     and raises a LEDGER_DRIFT alert where they disagree, every
//     RunnerConfig.AuditInterval;
//   - prune_webhook_deliveries (PruneWebhookDeliveriesWorker) forgets
//     webhook delivery log entries past the feed's retention, every
//     PruneInterval, when webhooks are enabled.
package jobs
