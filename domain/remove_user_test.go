package domain_test

import (
	"context"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// TestRemovingTheLastAdminReturnsNoUser checks that a refused removal
// returns only its error, not the user it did not remove.
func TestRemovingTheLastAdminReturnsNoUser(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	owner, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("last"), Password: "a long enough passphrase", BusinessName: "Last"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.RemoveUser(ctx, domain.Scope{TenantID: owner.Tenant.ID, Actor: owner.User.Email}, owner.User.ID)
	if domain.CodeOf(err) != domain.CodeInvalidState || u != nil {
		t.Fatalf("removing the last admin: user %+v, error %v; want no user and INVALID_STATE", u, err)
	}
}
