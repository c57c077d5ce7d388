package domain

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// CodeRateLimited is the code of a refusal for too many attempts.
const CodeRateLimited Code = "RATE_LIMITED"

// Throttled is a refusal for too many attempts: retry after RetryAfter. It
// wraps the business Error that the caller shows.
type Throttled struct {
	Err        *Error
	RetryAfter time.Duration
}

// Error returns the business error's text.
func (t *Throttled) Error() string { return t.Err.Error() }

// Unwrap returns the business Error, so that AsError finds it.
func (t *Throttled) Unwrap() error { return t.Err }

// ThrottlePolicy says how failures of one key are slowed down: the first
// Free failures within Window cost nothing; each further one locks the key
// for Base, doubling with every failure, up to Max. A failure more than
// Window after the previous one starts the count again.
type ThrottlePolicy struct {
	Free   int
	Window time.Duration
	Base   time.Duration
	Max    time.Duration
}

// lockFor returns how long the key is locked after its nth failure.
func (p ThrottlePolicy) lockFor(n int) time.Duration {
	if n <= p.Free {
		return 0
	}
	d := p.Base
	for i := p.Free + 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// The throttles of sign-in and sign-up.
var (
	// EmailThrottle slows down failed sign-ins for one email: three free,
	// then 1 s, 2 s, 4 s ... up to 15 minutes.
	EmailThrottle = ThrottlePolicy{Free: 3, Window: 15 * time.Minute, Base: time.Second, Max: 15 * time.Minute}
	// AddressThrottle slows down failed sign-ins from one client address,
	// whichever emails they name: twenty free, then doubling up to 15 minutes.
	AddressThrottle = ThrottlePolicy{Free: 20, Window: 15 * time.Minute, Base: time.Second, Max: 15 * time.Minute}
	// SignUpThrottle limits sign-ups from one client address: five an hour,
	// then doubling from a minute up to an hour.
	SignUpThrottle = ThrottlePolicy{Free: 5, Window: time.Hour, Base: time.Minute, Max: time.Hour}
)

// throttleKey is what a throttle counts for: a kind and a value (an email,
// an address), hashed so that the table holds no addresses or emails.
type throttleKey struct {
	hash   []byte
	policy ThrottlePolicy
}

func newThrottleKey(kind, value string, p ThrottlePolicy) throttleKey {
	h := sha256.Sum256([]byte(kind + ":" + strings.ToLower(value)))
	return throttleKey{hash: h[:], policy: p}
}

// addressKey returns the key of a client address. An IPv6 client is
// counted by its /64, which one client usually holds whole and can walk
// through at will; an IPv4 client, IPv4-mapped or not, by its address.
func addressKey(kind, addr string, p ThrottlePolicy) throttleKey {
	if ip, err := netip.ParseAddr(addr); err == nil {
		ip = ip.WithZone("").Unmap()
		if ip.Is6() {
			addr = netip.PrefixFrom(ip, 64).Masked().String()
		} else {
			addr = ip.String()
		}
	}
	return newThrottleKey(kind, addr, p)
}

// signInKeys returns the keys of a sign-in attempt: its email and, when
// known, its client address.
func signInKeys(email, addr string) []throttleKey {
	keys := []throttleKey{newThrottleKey("email", email, EmailThrottle)}
	if addr != "" {
		keys = append(keys, addressKey("addr", addr, AddressThrottle))
	}
	return keys
}

// attempt counts an attempt against every key before it is judged (before
// its password is hashed), and refuses it with a Throttled error when a key
// is locked. Counting and checking are one statement per key, under the
// key's row lock until the end of the transaction, so attempts made at once
// are counted one after another: no more get through than would one by
// one. A refused attempt counts against no key. The caller forgets or
// refunds the count when the attempt turns out not to be a failure.
func (s *Store) attempt(ctx context.Context, what string, keys ...throttleKey) error {
	if len(keys) == 0 {
		return nil
	}
	keys = slices.Clone(keys)
	// One order of row locks, so that attempts sharing keys cannot deadlock.
	slices.SortFunc(keys, func(a, b throttleKey) int { return bytes.Compare(a.hash, b.hash) })
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, k := range keys {
			var n int
			var wait *float64
			err := tx.QueryRow(ctx, `INSERT INTO auth_throttle AS t (key, failures, window_start)
				VALUES ($1, 1, now())
				ON CONFLICT (key) DO UPDATE SET
				  failures = CASE WHEN t.locked_until > now() THEN t.failures
				    WHEN t.updated_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
				  window_start = CASE WHEN t.locked_until > now() THEN t.window_start
				    WHEN t.updated_at < now() - make_interval(secs => $2) THEN now() ELSE t.window_start END,
				  updated_at = CASE WHEN t.locked_until > now() THEN t.updated_at ELSE now() END
				RETURNING failures, CASE WHEN locked_until > now() THEN extract(epoch FROM locked_until - now())::float8 END`,
				k.hash, k.policy.Window.Seconds()).Scan(&n, &wait)
			if err != nil {
				return fmt.Errorf("count attempt: %w", err)
			}
			if wait != nil {
				d := time.Duration(*wait*float64(time.Second)).Round(time.Second) + time.Second
				return &Throttled{RetryAfter: d, Err: &Error{Code: CodeRateLimited,
					Message: fmt.Sprintf("too many %s; try again in %d seconds", what, int(d/time.Second))}}
			}
			if lock := k.policy.lockFor(n); lock > 0 {
				_, err = tx.Exec(ctx, `UPDATE auth_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1`,
					k.hash, lock.Seconds())
				if err != nil {
					return fmt.Errorf("lock: %w", err)
				}
			}
		}
		return nil
	})
}

// succeeded settles an attempt that succeeded: the failures of forget (the
// email whose password was right) are forgotten, and the attempt no longer
// counts against refund (the client's address).
func (s *Store) succeeded(ctx context.Context, forget []throttleKey, refund ...throttleKey) error {
	if len(forget)+len(refund) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, k := range forget {
			if _, err := tx.Exec(ctx, `DELETE FROM auth_throttle WHERE key = $1`, k.hash); err != nil {
				return fmt.Errorf("clear failures: %w", err)
			}
		}
		for _, k := range refund {
			_, err := tx.Exec(ctx, `UPDATE auth_throttle SET failures = greatest(failures - 1, 0),
				locked_until = CASE WHEN failures - 1 <= $2 THEN NULL ELSE locked_until END WHERE key = $1`, k.hash, k.policy.Free)
			if err != nil {
				return fmt.Errorf("refund attempt: %w", err)
			}
		}
		return nil
	})
}

// PruneThrottle forgets failures nobody has added to for a day.
func (s *Store) PruneThrottle(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM auth_throttle WHERE updated_at < now() - interval '1 day'
		AND (locked_until IS NULL OR locked_until < now())`)
	if err != nil {
		return 0, fmt.Errorf("prune throttle: %w", err)
	}
	return tag.RowsAffected(), nil
}

// IsThrottled reports whether err is a refusal for too many attempts and,
// if so, when to retry.
func IsThrottled(err error) (time.Duration, bool) {
	var t *Throttled
	if errors.As(err, &t) {
		return t.RetryAfter, true
	}
	return 0, false
}
