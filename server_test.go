package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestHelp checks that help prints the commands and every environment
// variable the configuration reads, and that an unknown command is an error
// that shows the usage.
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inventory migrate", "inventory tenant create", "inventory token", "inventory user create"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	for _, v := range config.Variables {
		if !strings.Contains(out.String(), "\n  "+v.Name+" ") {
			t.Errorf("help lacks %s:\n%s", v.Name, out.String())
		}
	}
	err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "usage:") {
		t.Errorf("an unknown command: %v, want an error with the usage", err)
	}
}

// TestUserCreateCommand checks "user create": it prints a one-time link that
// sets the password of the tenant's new admin, who cannot sign in before
// using it, and can after; the link works once.
func TestUserCreateCommand(t *testing.T) {
	ctx := context.Background()
	db := testdb.Get(t)
	store := domain.NewStore(db.App)
	tenant, err := store.CreateTenant(ctx, "CLI Shop")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", db.URL)
	t.Setenv("INVENTORY_PUBLIC_URL", "https://console.test")
	t.Setenv("INVENTORY_JWT_SECRET", "test-signing-key-of-at-least-32-bytes!!")
	t.Setenv("INVENTORY_ARGON2", "m=19456,t=1,p=1")
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"user", "create", "--tenant", tenant.ID, "--email", "Founder@Example.COM", "--roles", "admin"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("user create: %v (%s)", err, stderr.String())
	}
	link := strings.TrimSpace(stdout.String())
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, "https://console.test/accept-invitation?token=") || u.Query().Get("token") == "" {
		t.Fatalf("printed %q, want https://console.test/accept-invitation?token=...", link)
	}

	accounts := domain.NewAccounts(store, domain.AccountsConfig{
		Argon2: domain.Argon2Params{Time: 1, MemoryKiB: 19456, Threads: 1}, AccessTTL: time.Minute, SessionTTL: time.Hour,
		InvitationTTL: time.Hour, PublicURL: "https://console.test",
		Issue: func(domain.AccessGrant) (string, error) { return "access token", nil },
	})
	page, err := accounts.Users(ctx, domain.Scope{TenantID: tenant.ID}, domain.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 1 || page.Rows[0].Email != "founder@example.com" || !slices.Equal(page.Rows[0].Roles, []string{"admin"}) {
		t.Fatalf("members after user create: %+v", page.Rows)
	}
	password := "correct horse battery staple"
	signIn := domain.SignInInput{Email: "founder@example.com", Password: password, Addr: "192.0.2.1"}
	if _, err := accounts.SignIn(ctx, signIn); err == nil {
		t.Fatal("signed in before setting a password")
	}
	accept := domain.AcceptInput{Token: u.Query().Get("token"), Password: &password, Addr: "192.0.2.2"}
	auth, err := accounts.AcceptInvitation(ctx, accept)
	if err != nil || auth.Tenant.ID != tenant.ID {
		t.Fatalf("accept the link: %+v, %v", auth, err)
	}
	if _, err := accounts.AcceptInvitation(ctx, accept); err == nil {
		t.Fatal("the link worked twice")
	}
	signIn.Addr = "192.0.2.3" // the failure above counts against the first address
	auth, err = accounts.SignIn(ctx, signIn)
	if err != nil || !slices.Equal(auth.Roles, []string{"admin"}) {
		t.Fatalf("sign in after the link: %+v, %v", auth, err)
	}
}
