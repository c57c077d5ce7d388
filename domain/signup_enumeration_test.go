package domain_test

import (
	"context"
	"testing"

	"github.com/inventory-backbone/inventory/domain"
)

// TestSignUpDoesNotTellWhetherAnEmailHasAnAccount checks that signing up
// with an existing email and a wrong password gets the very answer signIn
// gives to wrong credentials, not one that says the account exists.
func TestSignUpDoesNotTellWhetherAnEmailHasAnAccount(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	email := newEmail("exists")
	if _, err := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "a long enough passphrase", BusinessName: "One"}); err != nil {
		t.Fatal(err)
	}
	_, signUpErr := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "another long passphrase", BusinessName: "Two"})
	_, signInErr := a.SignIn(ctx, domain.SignInInput{Email: newEmail("nobody"), Password: "another long passphrase"})
	up, ok1 := domain.AsError(signUpErr)
	in, ok2 := domain.AsError(signInErr)
	if !ok1 || !ok2 {
		t.Fatalf("sign-up: %v, sign-in: %v", signUpErr, signInErr)
	}
	if up.Code != in.Code || up.Message != in.Message || len(up.Field) != len(in.Field) {
		t.Errorf("sign-up with an existing email and a wrong password: %+v; sign-in with wrong credentials: %+v", up, in)
	}
	// A password the rules refuse gets the same answer for either email.
	_, existing := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "short", BusinessName: "Two"})
	_, fresh := a.SignUp(ctx, domain.SignUpInput{Email: newEmail("fresh"), Password: "short", BusinessName: "Two"})
	if existing == nil || fresh == nil || existing.Error() != fresh.Error() {
		t.Errorf("a short password: %v for an existing email, %v for a new one", existing, fresh)
	}
}
