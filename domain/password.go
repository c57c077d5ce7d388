package domain

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters of a password hash.
type Argon2Params struct {
	// Time is the number of passes over the memory.
	Time uint32
	// MemoryKiB is the memory used, in KiB.
	MemoryKiB uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// DefaultArgon2 are the parameters new password hashes use: 64 MiB, two
// passes, one lane. On one core of a current server a hash takes about
// 100 ms (docs/people.md has the figures and how to measure them again).
var DefaultArgon2 = Argon2Params{Time: 2, MemoryKiB: 64 * 1024, Threads: 1}

// Password rules.
const (
	MinPasswordLength = 10  // characters
	MaxPasswordLength = 256 // bytes: argon2 takes any length, but a request should not
	saltLength        = 16
	hashLength        = 32
)

// hashSlots bounds how many hashes run at once, so that a burst of sign-ins
// cannot take more than GOMAXPROCS × MemoryKiB of memory.
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// maxHashWaiting bounds how many hashes wait for a slot: one more is refused
// at once (RATE_LIMITED), rather than adding to a queue that only grows
// while a flood of sign-ins lasts.
var maxHashWaiting = int64(max(64, 16*runtime.GOMAXPROCS(0)))

// hashWaiting counts the hashes waiting for a slot.
var hashWaiting atomic.Int64

// errHashBusy is the refusal of a hash behind a full queue.
func errHashBusy() error {
	return &Throttled{RetryAfter: time.Second, Err: &Error{Code: CodeRateLimited,
		Message: "too many passwords are being checked at once; try again in 1 seconds"}}
}

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds the most common passwords, lower-cased.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// checkPassword applies the password rules: long enough, not too long, not
// one of the most common passwords, and not the email itself.
func checkPassword(field, password, email string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return newError(CodeValidation, field, "the password must be at least %d characters long", MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return newError(CodeValidation, field, "the password must be at most %d bytes long", MaxPasswordLength)
	case commonPasswords[strings.ToLower(password)]:
		return newError(CodeValidation, field, "this password is one of the most common ones; choose another")
	case email != "" && (strings.EqualFold(password, email) || strings.EqualFold(password, localPart(email))):
		return newError(CodeValidation, field, "the password must not be the email address")
	}
	return nil
}

func localPart(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return local
}

// HashPassword hashes a password with argon2id and a random salt, in the PHC
// string format: $argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>.
func HashPassword(ctx context.Context, p Argon2Params, password string) (string, error) {
	salt := make([]byte, saltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key, err := derive(ctx, p, password, salt, hashLength)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches a hash made by
// HashPassword, with whatever parameters that hash names, and whether the
// hash should be remade because its parameters are not p.
func VerifyPassword(ctx context.Context, p Argon2Params, encoded, password string) (ok, stale bool, err error) {
	hp, salt, key, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := derive(ctx, hp, password, salt, uint32(len(key)))
	if err != nil {
		return false, false, err
	}
	return subtle.ConstantTimeCompare(got, key) == 1, hp != p, nil
}

func derive(ctx context.Context, p Argon2Params, password string, salt []byte, n uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	default:
		if hashWaiting.Add(1) > maxHashWaiting {
			hashWaiting.Add(-1)
			return nil, errHashBusy()
		}
		select {
		case hashSlots <- struct{}{}:
			hashWaiting.Add(-1)
		case <-ctx.Done():
			hashWaiting.Add(-1)
			return nil, ctx.Err()
		}
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, n), nil
}

// unmatchableHash returns a well-formed hash with the parameters p that no
// password matches (its key is random), made without hashing: verifying a
// password against it costs what verifying against a real one does.
func unmatchableHash(p Argon2Params) string {
	salt, key := make([]byte, saltLength), make([]byte, hashLength)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

var errBadHash = errors.New("password hash is not an argon2id PHC string")

func parsePHC(s string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if p.MemoryKiB < 8 || p.MemoryKiB > 4<<20 || p.Time < 1 || p.Time > 100 || p.Threads < 1 {
		return p, nil, nil, errBadHash
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errBadHash
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
