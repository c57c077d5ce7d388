package domain_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// tokenOf returns the token in an invitation's accept URL.
func tokenOf(inv *domain.Invitation) string {
	return (*inv.AcceptURL)[strings.Index(*inv.AcceptURL, "token=")+len("token="):]
}

// TestSpareInvitationsDoNotRestoreAccess checks that a person holds at most
// one open invitation to a tenant, and that removing a member or changing
// their roles withdraws it: an invitation kept back cannot bring a removed
// or demoted member back as an admin.
func TestSpareInvitationsDoNotRestoreAccess(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	pw := "a long enough passphrase"
	owner, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("owner"), Password: pw, BusinessName: "Spare"})
	if err != nil {
		t.Fatal(err)
	}
	sc := domain.Scope{TenantID: owner.Tenant.ID, Actor: owner.User.Email}
	roleOf := func(id string) []string {
		t.Helper()
		page, err := a.Users(ctx, sc, domain.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Rows {
			if u.ID == id {
				return u.Roles
			}
		}
		return nil
	}

	// A new invitation replaces the open one.
	email := newEmail("twice")
	first, err := a.Invite(ctx, sc, email, []string{"admin"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Invite(ctx, sc, email, []string{"viewer"})
	if err != nil {
		t.Fatal(err)
	}
	open, err := a.Invitations(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(open, func(i *domain.Invitation) bool { return i.Email != email })); n != 1 {
		t.Errorf("%d open invitations for one email, want 1", n)
	}
	if _, err := a.AcceptInvitation(ctx, domain.AcceptInput{Token: tokenOf(first), Password: &pw}); domain.CodeOf(err) != domain.CodeValidation {
		t.Errorf("accepting a replaced invitation: %v, want VALIDATION", err)
	}
	if _, err := a.AcceptInvitation(ctx, domain.AcceptInput{Token: tokenOf(second), Password: &pw}); err != nil {
		t.Fatalf("accepting the newest invitation: %v", err)
	}

	// Removing a member withdraws their open invitation (here the sign-in
	// link that creating the user made).
	email = newEmail("removed")
	link, err := a.CreateUser(ctx, sc, email, []string{"admin"})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := a.Users(ctx, sc, domain.PageRequest{})
	var id string
	for _, u := range page.Rows {
		if u.Email == email {
			id = u.ID
		}
	}
	if _, err := a.RemoveUser(ctx, sc, id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AcceptInvitation(ctx, domain.AcceptInput{Token: tokenOf(link), Password: &pw}); domain.CodeOf(err) != domain.CodeValidation {
		t.Errorf("a removed member accepting a spare invitation: %v, want VALIDATION", err)
	}
	if roles := roleOf(id); roles != nil {
		t.Errorf("the removed member is back with roles %v", roles)
	}

	// Changing a member's roles withdraws their open invitation.
	email = newEmail("demoted")
	link, err = a.CreateUser(ctx, sc, email, []string{"admin"})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = a.Users(ctx, sc, domain.PageRequest{})
	for _, u := range page.Rows {
		if u.Email == email {
			id = u.ID
		}
	}
	if _, err := a.UpdateUserRoles(ctx, sc, id, []string{"viewer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AcceptInvitation(ctx, domain.AcceptInput{Token: tokenOf(link), Password: &pw}); domain.CodeOf(err) != domain.CodeValidation {
		t.Errorf("a demoted member accepting a spare invitation: %v, want VALIDATION", err)
	}
	if roles := roleOf(id); !slices.Equal(roles, []string{"viewer"}) {
		t.Errorf("the demoted member has roles %v, want [viewer]", roles)
	}
}

// TestConcurrentInvitationsLeaveOneOpen checks that invitations to one
// email made at once leave exactly one open.
func TestConcurrentInvitationsLeaveOneOpen(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	owner, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("owner"), Password: "a long enough passphrase", BusinessName: "Invites"})
	if err != nil {
		t.Fatal(err)
	}
	sc := domain.Scope{TenantID: owner.Tenant.ID, Actor: owner.User.Email}
	email := newEmail("many")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Invite(ctx, sc, email, []string{"operator"}); err != nil {
				t.Errorf("invite: %v", err)
			}
		}()
	}
	wg.Wait()
	open, err := a.Invitations(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 {
		t.Fatalf("%d open invitations, want 1", len(open))
	}
}
