package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/inventory-backbone/inventory/domain"
)

// forEachTenant runs fn for every tenant, in the system actor's scope, and
// goes on past a tenant that fails: one tenant's trouble must not hold up the
// others' maintenance. It returns every error, joined.
func forEachTenant(ctx context.Context, store *domain.Store, fn func(sc domain.Scope) error) error {
	tenants, err := store.TenantIDs(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range tenants {
		if err := fn(domain.Scope{TenantID: t, Actor: domain.SystemActor}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// jobScope is the scope a job for one tenant acts in. A job whose tenant id
// is malformed can never succeed: the error cancels it rather than retrying.
func jobScope(tenantID string) (domain.Scope, error) {
	if !domain.ValidID(tenantID) {
		return domain.Scope{}, river.JobCancel(fmt.Errorf("job names no valid tenant: %q", tenantID))
	}
	return domain.Scope{TenantID: tenantID, Actor: domain.SystemActor}, nil
}
