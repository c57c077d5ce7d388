package domain

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Tenant is one business using the service. Its data is invisible to every
// other tenant.
type Tenant struct {
	ID   string
	Name string
}

// CreateTenant creates a tenant and returns it.
func (s *Store) CreateTenant(ctx context.Context, name string) (*Tenant, error) {
	name, err := requireText("name", name, maxName)
	if err != nil {
		return nil, err
	}
	t := &Tenant{ID: uuid.NewString(), Name: name}
	err = s.inTenant(ctx, Scope{TenantID: t.ID}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO tenants (id, name) VALUES ($1, $2)", t.ID, t.Name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create tenant: %w", err)
	}
	return t, nil
}

// TenantExists reports whether a tenant with this id exists. A malformed id
// does not.
func (s *Store) TenantExists(ctx context.Context, id string) (bool, error) {
	if !ValidID(id) {
		return false, nil
	}
	var found bool
	err := s.inTenant(ctx, Scope{TenantID: id}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "SELECT true FROM tenants WHERE id = $1", id).Scan(&found)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("look up tenant: %w", err)
	}
	return found, nil
}
