package domain

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
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

// throttleKeys returns the keys of a sign-in attempt: its email and, when
// known, its client address.
func signInKeys(email, addr string) []throttleKey {
	keys := []throttleKey{newThrottleKey("email", email, EmailThrottle)}
	if addr != "" {
		keys = append(keys, newThrottleKey("addr", addr, AddressThrottle))
	}
	return keys
}

// throttled returns a Throttled error when any key is locked now.
func (s *Store) throttled(ctx context.Context, what string, keys ...throttleKey) error {
	hashes := make([][]byte, len(keys))
	for i, k := range keys {
		hashes[i] = k.hash
	}
	var wait *float64
	err := s.pool.QueryRow(ctx, `SELECT extract(epoch FROM max(locked_until) - now())::float8 FROM auth_throttle
		WHERE key = ANY($1) AND locked_until > now()`, hashes).Scan(&wait)
	if err != nil {
		return fmt.Errorf("read throttle: %w", err)
	}
	if wait == nil {
		return nil
	}
	d := time.Duration(*wait*float64(time.Second)).Round(time.Second) + time.Second
	return &Throttled{RetryAfter: d, Err: &Error{Code: CodeRateLimited,
		Message: fmt.Sprintf("too many %s; try again in %d seconds", what, int(d/time.Second))}}
}

// recordFailure counts a failure against each key and locks it as its
// policy says.
func (s *Store) recordFailure(ctx context.Context, keys ...throttleKey) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, k := range keys {
			var n int
			err := tx.QueryRow(ctx, `INSERT INTO auth_throttle AS t (key, failures, window_start)
				VALUES ($1, 1, now())
				ON CONFLICT (key) DO UPDATE SET
				  failures = CASE WHEN t.updated_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
				  window_start = CASE WHEN t.updated_at < now() - make_interval(secs => $2) THEN now() ELSE t.window_start END,
				  updated_at = now()
				RETURNING failures`, k.hash, k.policy.Window.Seconds()).Scan(&n)
			if err != nil {
				return fmt.Errorf("record failure: %w", err)
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

// clearFailures forgets a key's failures, after a success.
func (s *Store) clearFailures(ctx context.Context, k throttleKey) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM auth_throttle WHERE key = $1`, k.hash)
	if err != nil {
		return fmt.Errorf("clear failures: %w", err)
	}
	return nil
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
