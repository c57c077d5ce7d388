package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/tenancy"
)

// userCommand runs "user create --tenant ID --email E --roles admin": it adds
// the member (creating the account when the email has none) and prints a
// one-time sign-in link, where the person sets a password.
func userCommand(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: inventory user create --tenant ID --email EMAIL --roles admin[,operator,viewer]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "the tenant's id, as printed by tenant create")
	email := fs.String("email", "", "the person's email")
	roleList := fs.String("roles", "", "comma-separated: viewer, operator, admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *tenant == "" || strings.TrimSpace(*email) == "" || *roleList == "" {
		return errors.New("user create: --tenant, --email and --roles are required")
	}
	env, err := open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.close()
	ok, err := env.store.TenantExists(ctx, *tenant)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("user create: no tenant has id %q", *tenant)
	}
	tc, err := tokenConfig(ctx, cfg, env, logger)
	if err != nil {
		return err
	}
	pc := cfg.People
	accounts := domain.NewAccounts(env.store, domain.AccountsConfig{Argon2: pc.Argon2, AccessTTL: pc.AccessTTL,
		SessionTTL: pc.SessionTTL, InvitationTTL: pc.InvitationTTL, PublicURL: pc.PublicURL, Issue: sessionIssuer(tc)})
	var roles []string
	for _, r := range strings.Split(*roleList, ",") {
		if _, err := tenancy.ParseRole(strings.TrimSpace(r)); err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		roles = append(roles, strings.TrimSpace(r))
	}
	inv, err := accounts.CreateUser(ctx, domain.Scope{TenantID: *tenant, Actor: "cli"}, *email, roles)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintln(stdout, *inv.AcceptURL)
	return nil
}
