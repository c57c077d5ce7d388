package domain

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PruneSessions deletes the tenant's sessions that ended or expired more than
// a day ago (with their refresh tokens), and invitations that expired more
// than thirty days ago.
func (s *Store) PruneSessions(ctx context.Context, sc Scope) (int64, error) {
	var n int64
	err := s.inTenant(ctx, sc, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = $1
			AND (expires_at < now() - interval '1 day' OR ended_at < now() - interval '1 day')`, sc.TenantID)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `DELETE FROM invitations WHERE tenant_id = $1 AND expires_at < now() - interval '30 days'`, sc.TenantID)
		n += tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	return n, nil
}
