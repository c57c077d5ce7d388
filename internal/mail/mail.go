// Package mail sends the service's emails (invitations) through an SMTP
// server named by a URL, with the go-mail library.
package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/inventory-backbone/inventory/domain"
)

// Mailer sends invitations through one SMTP server. It implements
// domain.Mailer and is safe for concurrent use: every message opens its own
// connection, which suits the few emails the service sends.
type Mailer struct {
	host string
	from string
	opts []gomail.Option
}

// New returns a Mailer for an SMTP URL:
//
//	smtp://user:password@smtp.example.com:587   STARTTLS, required (the default)
//	smtps://user:password@smtp.example.com:465  TLS from the first byte
//	smtp://localhost:1025?tls=none              no TLS (a local relay or a test sink)
//	smtp://smtp.example.com?tls=opportunistic   STARTTLS when the server offers it
//
// from is the sender, e.g. "Inventory <no-reply@example.com>".
func New(rawURL, from string) (*Mailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, password and all: say
		// what is wrong without it.
		return nil, fmt.Errorf("SMTP URL %q is not a valid URL (a user name or password with special characters must be percent-encoded)",
			redactUserinfo(rawURL))
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP URL %q names no host", u.Redacted())
	}
	m := &Mailer{host: u.Hostname(), from: from}
	m.opts = append(m.opts, gomail.WithTimeout(10*time.Second))
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP URL %q: bad port", u.Redacted())
		}
	}
	switch u.Scheme {
	case "smtps":
		m.opts = append(m.opts, gomail.WithSSL(), gomail.WithPort(cmpPort(port, 465)))
	case "smtp":
		policy := gomail.TLSMandatory
		switch strings.ToLower(u.Query().Get("tls")) {
		case "", "starttls":
		case "opportunistic":
			policy = gomail.TLSOpportunistic
		case "none":
			policy = gomail.NoTLS
		default:
			return nil, fmt.Errorf("SMTP URL %q: tls must be starttls, opportunistic or none", u.Redacted())
		}
		m.opts = append(m.opts, gomail.WithTLSPolicy(policy), gomail.WithPort(cmpPort(port, 587)))
	default:
		return nil, fmt.Errorf("SMTP URL %q: scheme must be smtp or smtps", u.Redacted())
	}
	if user := u.User.Username(); user != "" {
		password, _ := u.User.Password()
		m.opts = append(m.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(user), gomail.WithPassword(password))
	}
	if _, err := gomail.NewClient(m.host, m.opts...); err != nil {
		return nil, fmt.Errorf("SMTP: %w", err)
	}
	return m, nil
}

func cmpPort(p, fallback int) int {
	if p == 0 {
		return fallback
	}
	return p
}

// SendInvitation sends an invitation with its link.
func (m *Mailer) SendInvitation(ctx context.Context, inv domain.InvitationMail) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("sender: %w", err)
	}
	if err := msg.To(inv.To); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(fmt.Sprintf("You are invited to %s", inv.TenantName))
	msg.SetBodyString(gomail.TypeTextPlain, fmt.Sprintf(
		"%s invited you to %s as %s.\n\nAccept the invitation here (the link works once, until %s):\n\n%s\n\n"+
			"If you did not expect this, ignore this email.\n",
		inv.InvitedBy, inv.TenantName, strings.Join(inv.Roles, ", "), inv.ExpiresAt.UTC().Format("2 January 2006 15:04 MST"), inv.AcceptURL))
	client, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("SMTP: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send invitation: %w", err)
	}
	return nil
}

// redactUserinfo replaces the user name and password of a URL that may not
// parse with "xxxxx", the way url.URL.Redacted does for one that does.
func redactUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "(not shown)"
	}
	// A password may hold an unescaped '/', '?' or '#': cut at the last
	// '@' anywhere, which hides too much rather than too little.
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return raw
	}
	return scheme + "://xxxxx@" + rest[at+1:]
}
