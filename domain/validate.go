package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// MaxQuantity bounds the quantity of a single operation, so that sums over the
// ledger can never overflow.
const MaxQuantity = 1_000_000_000

// Length limits on free text, in characters.
const (
	maxSKU       = 100
	maxName      = 200
	maxUnit      = 32
	maxCode      = 64
	maxReference = 200
	maxReason    = 500
	maxKey       = 255
)

// parseID checks that id is one of ours (a UUID) and returns its canonical form.
func parseID(field, id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return "", newError(CodeValidation, field, "%q is not a valid id", truncate(id, 64))
	}
	return u.String(), nil
}

// ValidID reports whether id could name a row: it is well formed.
func ValidID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && len(id) == 36 && u != uuid.Nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// requireText trims s and checks it is non-empty and at most max characters.
func requireText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", newError(CodeValidation, field, "%s must not be empty", field)
	}
	return s, checkLen(field, s, max)
}

// optionalText trims s, turns an empty string into nil and checks its length.
func optionalText(field string, s *string, max int) (*string, error) {
	if s == nil {
		return nil, nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return nil, nil
	}
	return &t, checkLen(field, t, max)
}

func checkLen(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return newError(CodeValidation, field, "%s must be at most %d characters", field, max)
	}
	if strings.ContainsRune(s, 0) {
		return newError(CodeValidation, field, "%s must not contain NUL characters", field)
	}
	return nil
}

func positiveQuantity(field string, q int64) error {
	if q <= 0 {
		return newError(CodeValidation, field, "%s must be positive, got %d", field, q)
	}
	if q > MaxQuantity {
		return newError(CodeValidation, field, "%s must be at most %d, got %d", field, MaxQuantity, q)
	}
	return nil
}
