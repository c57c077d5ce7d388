package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// Limits of one webhook attempt.
const (
	// WebhookTimeout bounds an attempt, from dialling to the end of the
	// response: a receiver that has not answered by then has failed.
	WebhookTimeout = domain.DefaultWebhookTimeout
	// webhookResponseLimit bounds how much of a response is read.
	webhookResponseLimit = 64 << 10
)

// webhookSender sends signed messages per the Standard Webhooks
// specification.
type webhookSender struct {
	client  *http.Client
	timeout time.Duration
}

// newWebhookSender returns a sender that follows no redirect, uses no proxy
// and, unless allowPrivate, refuses to connect to any address that is not
// public, judged on the address the host resolved to, as the connection is
// made (so a name that resolves to 127.0.0.1 is refused, whenever it does).
func newWebhookSender(allowPrivate bool, timeout time.Duration) *webhookSender {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past the address check
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		// Every worker may be sending to the same host (one receiver for
		// many endpoints): each keeps its connection alive for the next
		// message rather than dialling (and, for https, handshaking) again.
		MaxIdleConns:        1000,
		MaxIdleConnsPerHost: webhookWorkers,
		IdleConnTimeout:     90 * time.Second,
	}
	return &webhookSender{timeout: timeout, client: &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a 3xx is an answer, and not a 2xx
		},
	}}
}

// refusePrivate is the dialer's Control function: it runs after the host was
// resolved, on the very address being connected to.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		// A zoned address names one of this machine's interfaces; Go
		// writes ::ffff:127.0.0.1%lo as 127.0.0.1%lo, which does not parse.
		ip, _ := netip.ParseAddr(host[:i])
		return &domain.ErrPrivateAddress{Host: host, IP: ip.Unmap()}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("connect to %s: not an IP address", address)
	}
	if !domain.PublicAddress(ip) {
		return &domain.ErrPrivateAddress{Host: ip.Unmap().String(), IP: ip.Unmap()}
	}
	return nil
}

// send makes one attempt to deliver the message and says how it went. The
// attempt counts as delivered only on a 2xx answer.
func (s *webhookSender) send(ctx context.Context, t *domain.WebhookTarget, m *domain.WebhookMessage) domain.WebhookAttempt {
	a := domain.WebhookAttempt{Message: m}
	start := time.Now()
	defer func() { a.Latency = time.Since(start) }()
	sig, err := sign(t.Secret, m.ID, start, m.Body)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(m.Body))
	if err != nil {
		a.Err = "bad request: " + err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "inventory-webhooks/1")
	req.Header.Set("webhook-id", m.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(start.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := s.client.Do(req)
	if err != nil {
		a.Err = s.describe(err)
		a.Latency = time.Since(start)
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookResponseLimit))
	_ = resp.Body.Close()
	a.StatusCode = resp.StatusCode
	a.Latency = time.Since(start)
	return a
}

// ok reports whether an attempt delivered its message.
func ok(a domain.WebhookAttempt) bool {
	return a.Err == "" && a.StatusCode >= 200 && a.StatusCode <= 299
}

// sign returns the webhook-signature header: v1, then the base64 HMAC-SHA256
// of "id.timestamp.body" keyed by the secret's bytes.
func sign(secret, id string, at time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "", errors.New("endpoint secret is malformed")
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, at.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// describe says why an attempt got no answer, without repeating the URL.
func (s *webhookSender) describe(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var priv *domain.ErrPrivateAddress
	switch {
	case errors.As(err, &priv):
		return "refused: " + priv.Error()
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("no answer within %s", s.timeout)
	}
	return err.Error()
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
