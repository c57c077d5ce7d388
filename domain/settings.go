package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// MaxReservationTTL bounds the default reservation lifetime a tenant may set.
const MaxReservationTTL = 365 * 24 * time.Hour

// TenantSettings are a tenant's own settings.
type TenantSettings struct {
	TenantID string
	Name     string
	// DefaultReservationTTL is the lifetime of a reservation made without
	// expiresAt; nil: such reservations never expire.
	DefaultReservationTTL *time.Duration
}

// Settings returns the tenant's settings.
func (s *Store) Settings(ctx context.Context, sc Scope) (*TenantSettings, error) {
	var ts *TenantSettings
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) (err error) {
		ts, err = readSettings(ctx, tx, sc)
		return err
	})
	return ts, err
}

// UpdateSettings changes the tenant's settings. A nil TTL clears the default
// lifetime; a TTL must be between one second and MaxReservationTTL.
func (s *Store) UpdateSettings(ctx context.Context, sc Scope, defaultReservationTTL *time.Duration) (*TenantSettings, error) {
	var secs *int64
	if ttl := defaultReservationTTL; ttl != nil {
		if *ttl < time.Second || *ttl > MaxReservationTTL {
			return nil, newError(CodeValidation, "defaultReservationTtlSeconds",
				"the default reservation lifetime must be between 1 second and %d seconds", int64(MaxReservationTTL/time.Second))
		}
		v := int64(*ttl / time.Second)
		secs = &v
	}
	var ts *TenantSettings
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) (err error) {
		_, err = tx.Exec(ctx, `UPDATE tenants SET default_reservation_ttl = make_interval(secs => $2) WHERE id = $1`, sc.TenantID, secs)
		if err != nil {
			return fmt.Errorf("update settings: %w", err)
		}
		ts, err = readSettings(ctx, tx, sc)
		return err
	})
	return ts, err
}

func readSettings(ctx context.Context, tx pgx.Tx, sc Scope) (*TenantSettings, error) {
	ts := &TenantSettings{TenantID: sc.TenantID}
	var secs *int64
	err := tx.QueryRow(ctx, `SELECT name, extract(epoch FROM default_reservation_ttl)::bigint FROM tenants WHERE id = $1`,
		sc.TenantID).Scan(&ts.Name, &secs)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	if secs != nil {
		d := time.Duration(*secs) * time.Second
		ts.DefaultReservationTTL = &d
	}
	return ts, nil
}
