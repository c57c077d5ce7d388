package domain_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/testdb"
)

// accounts returns Accounts over the service role that sign tokens as
// "<tenant>/<user>/<session>", so tests can read them.
func accounts(t testing.TB, argon domain.Argon2Params) (*domain.Accounts, *testdb.DB) {
	t.Helper()
	db := testdb.Get(t)
	return domain.NewAccounts(domain.NewStore(db.App), domain.AccountsConfig{
		Argon2:    argon,
		PublicURL: "http://console.test",
		Issue: func(g domain.AccessGrant) (string, error) {
			return g.TenantID + "/" + g.UserID + "/" + g.SessionID, nil
		},
	}), db
}

var cheap = domain.Argon2Params{Time: 1, MemoryKiB: 1024, Threads: 1}

func newEmail(name string) string {
	return fmt.Sprintf("%s.%d.%d@example.com", name, time.Now().UnixNano(), seq.Add(1))
}

// TestPasswordHashes checks the PHC format round trip, a wrong password, and
// that a hash made with other parameters still verifies and asks to be remade.
func TestPasswordHashes(t *testing.T) {
	ctx := context.Background()
	h, err := domain.HashPassword(ctx, cheap, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash = %s", h)
	}
	if ok, stale, err := domain.VerifyPassword(ctx, cheap, h, "a long enough passphrase"); !ok || stale || err != nil {
		t.Fatalf("right password: %v %v %v", ok, stale, err)
	}
	if ok, _, _ := domain.VerifyPassword(ctx, cheap, h, "a long enough passphrasE"); ok {
		t.Fatal("wrong password verified")
	}
	if ok, stale, _ := domain.VerifyPassword(ctx, domain.DefaultArgon2, h, "a long enough passphrase"); !ok || !stale {
		t.Fatalf("other parameters: ok %v stale %v", ok, stale)
	}
	if _, _, err := domain.VerifyPassword(ctx, cheap, "$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("a non-argon2id hash was accepted")
	}
}

// TestUsersAreNotListable checks the row-level security of migration 00008:
// the service role sees no user without naming one, sees only the user an
// email names, and only a tenant's members with that tenant set.
func TestUsersAreNotListable(t *testing.T) {
	a, db := accounts(t, cheap)
	ctx := context.Background()
	email := newEmail("rls")
	auth, err := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "a long enough passphrase", BusinessName: "RLS"})
	if err != nil {
		t.Fatal(err)
	}
	count := func(settings map[string]string, table string) int {
		var n int
		err := pgx.BeginFunc(ctx, db.App, func(tx pgx.Tx) error {
			for k, v := range settings {
				if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", k, v); err != nil {
					return err
				}
			}
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"users", "memberships", "sessions", "refresh_tokens", "invitations"} {
		if n := count(nil, table); n != 0 {
			t.Errorf("%s: %d rows visible without any setting", table, n)
		}
	}
	if n := count(map[string]string{"app.user_email": email}, "users"); n != 1 {
		t.Errorf("users by email: %d, want 1", n)
	}
	if n := count(map[string]string{"app.user_email": "nobody@example.com"}, "users"); n != 0 {
		t.Errorf("users by another email: %d", n)
	}
	if n := count(map[string]string{"app.tenant_id": auth.Tenant.ID}, "users"); n != 1 {
		t.Errorf("users of the tenant: %d, want 1", n)
	}
	other, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("other"), Password: "a long enough passphrase", BusinessName: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(map[string]string{"app.tenant_id": other.Tenant.ID}, "memberships"); n != 1 {
		t.Errorf("memberships of another tenant: %d, want its own 1", n)
	}
	if n := count(map[string]string{"app.user_id": auth.User.ID}, "tenants"); n != 1 {
		t.Errorf("tenants of the verified user: %d, want 1", n)
	}
}

// TestWrongPasswordAndUnknownEmailTakeAlike checks that an unknown email
// costs a password hash too, so timing does not tell whether it exists.
func TestWrongPasswordAndUnknownEmailTakeAlike(t *testing.T) {
	params := domain.Argon2Params{Time: 1, MemoryKiB: 16 * 1024, Threads: 1}
	a, db := accounts(t, params)
	ctx := context.Background()
	email := newEmail("timing")
	if _, err := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "a long enough passphrase", BusinessName: "T"}); err != nil {
		t.Fatal(err)
	}
	// Interleave the two, so that a busy machine slows both alike.
	var wrongs, unknowns []time.Duration
	try := func(email string, into *[]time.Duration) {
		if _, err := db.Owner.Exec(ctx, "DELETE FROM auth_throttle"); err != nil {
			t.Fatal(err)
		}
		runtime.GC() // collect the previous attempt's argon2 memory outside the timing
		start := time.Now()
		_, err := a.SignIn(ctx, domain.SignInInput{Email: email, Password: "not the password"})
		*into = append(*into, time.Since(start))
		if domain.CodeOf(err) != domain.CodeValidation {
			t.Fatalf("sign-in: %v", err)
		}
	}
	for i := range 12 {
		if i%2 == 0 {
			try(email, &wrongs)
			try(newEmail("nobody"), &unknowns)
		} else {
			try(newEmail("nobody"), &unknowns)
			try(email, &wrongs)
		}
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	wrong, unknown := median(wrongs), median(unknowns)
	t.Logf("median: wrong password %v, unknown email %v", wrong, unknown)
	// Without the dummy hash an unknown email costs only its round trips,
	// under a tenth of a hash here; a factor of three leaves room for a
	// machine busy with other work.
	if unknown < wrong/3 || unknown > wrong*3 {
		t.Fatalf("unknown email takes %v, wrong password %v: timing tells them apart", unknown, wrong)
	}
}

// TestConcurrentAcceptance checks that an invitation accepted by many at
// once makes exactly one member.
func TestConcurrentAcceptance(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	owner, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("owner"), Password: "a long enough passphrase", BusinessName: "Race"})
	if err != nil {
		t.Fatal(err)
	}
	sc := domain.Scope{TenantID: owner.Tenant.ID, Actor: owner.User.Email}
	inv, err := a.Invite(ctx, sc, newEmail("racer"), []string{"operator"})
	if err != nil {
		t.Fatal(err)
	}
	token := (*inv.AcceptURL)[strings.Index(*inv.AcceptURL, "token=")+len("token="):]
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won int
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := "a long enough passphrase"
			_, err := a.AcceptInvitation(ctx, domain.AcceptInput{Token: token, Password: &pw})
			if err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if domain.CodeOf(err) != domain.CodeValidation {
				t.Errorf("accept: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d acceptances succeeded, want 1", won)
	}
	page, err := a.Users(ctx, sc, domain.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 2 || !slices.ContainsFunc(page.Rows, func(u *domain.User) bool { return slices.Equal(u.Roles, []string{"operator"}) }) {
		t.Fatalf("members: %+v", page.Rows)
	}
}

// TestPruneSessions checks that ended sessions go after a day and live ones
// stay.
func TestPruneSessions(t *testing.T) {
	a, db := accounts(t, cheap)
	ctx := context.Background()
	store := domain.NewStore(db.App)
	auth, err := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("prune"), Password: "a long enough passphrase", BusinessName: "P"})
	if err != nil {
		t.Fatal(err)
	}
	sc := domain.Scope{TenantID: auth.Tenant.ID}
	if _, err := a.SignIn(ctx, domain.SignInInput{Email: auth.User.Email, Password: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SignOut(ctx, auth.RefreshToken, false); err != nil {
		t.Fatal(err)
	}
	if n, err := store.PruneSessions(ctx, sc); err != nil || n != 0 {
		t.Fatalf("pruned %d (%v) right after sign-out, want 0", n, err)
	}
	err = pgx.BeginFunc(ctx, db.Owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", sc.TenantID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE sessions SET ended_at = now() - interval '2 days' WHERE ended_at IS NOT NULL")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := store.PruneSessions(ctx, sc); err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want the one ended session", n, err)
	}
	if _, err := store.PruneThrottle(ctx); err != nil {
		t.Fatal(err)
	}
}
