package httpserver_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/internal/config"
)

// smtpSink is a minimal SMTP server that keeps every message it receives:
// enough of RFC 5321 for a client that does not use TLS or AUTH.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []sunkMail
	got  chan struct{}
}

type sunkMail struct {
	From, To string
	Data     string
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln, got: make(chan struct{}, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) addr() string { return s.ln.Addr().String() }

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	reply := func(line string) { fmt.Fprintf(c, "%s\r\n", line) }
	reply("220 sink ESMTP")
	var m sunkMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			reply("250-sink")
			reply("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "NOOP"), strings.HasPrefix(cmd, "RSET"):
			reply("250 OK")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = sunkMail{From: strings.TrimSpace(line[len("MAIL FROM:"):])}
			reply("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = strings.TrimSpace(line[len("RCPT TO:"):])
			reply("250 OK")
		case cmd == "DATA":
			reply("354 go on")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = data.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			s.got <- struct{}{}
			reply("250 queued")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

func (s *smtpSink) messages() []sunkMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunkMail(nil), s.msgs...)
}

// TestInvitationByEmail sends an invitation through a local SMTP sink and
// accepts it from the link in the email.
func TestInvitationByEmail(t *testing.T) {
	sink := newSMTPSink(t)
	s := newTestServerWith(t, serverOptions{people: func(p *config.People) {
		p.SMTPURL = "smtp://" + sink.addr() + "?tls=none"
		p.MailFrom = "Inventory <no-reply@console.test>"
	}})
	owner := s.signUp(t, freshEmail("owner"), goodPassword, "Mail Shop")
	email := freshEmail("clerk")
	var out struct {
		InviteUser struct {
			Invitation struct {
				AcceptURL string
				EmailSent bool
			}
		}
	}
	s.mustData(t, owner.AccessToken, `mutation($e: String!) { inviteUser(input: {email: $e, roles: [VIEWER]}) { invitation { acceptUrl emailSent } } }`,
		map[string]any{"e": email}, &out)
	if !out.InviteUser.Invitation.EmailSent {
		t.Fatal("emailSent is false")
	}
	select {
	case <-sink.got:
	case <-time.After(5 * time.Second):
		t.Fatal("no email reached the sink")
	}
	msgs := sink.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0].To, strings.ToLower(email)) || !strings.Contains(msgs[0].From, "no-reply@console.test") {
		t.Fatalf("mail = %+v", msgs)
	}
	body := strings.ReplaceAll(msgs[0].Data, "=\r\n", "") // undo quoted-printable soft breaks
	body = strings.ReplaceAll(body, "=3D", "=")
	if !strings.Contains(body, out.InviteUser.Invitation.AcceptURL) || !strings.Contains(body, "Subject: You are invited to Mail Shop") {
		t.Fatalf("mail does not carry the link %s:\n%s", out.InviteUser.Invitation.AcceptURL, msgs[0].Data)
	}
	if r := s.accept(t, tokenOf(t, out.InviteUser.Invitation.AcceptURL), goodPassword); len(r.UserErrors) > 0 {
		t.Fatalf("accept from the email: %+v", r.UserErrors)
	}
}
