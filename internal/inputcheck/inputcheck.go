// Package inputcheck decides whether a request's text may be read without
// altering it: valid UTF-8, no escaped lone surrogate or NUL, and one
// GraphQL-over-HTTP request object. Its errors say what is wrong and where,
// and never quote the input.
package inputcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The reasons a request is refused.
var (
	errNotUTF8       = errors.New("is not valid UTF-8")
	errLoneSurrogate = errors.New(`escapes a lone UTF-16 surrogate (\uD800-\uDFFF), which is no character`)
	errEscapedNUL    = errors.New(`contains a NUL character (\u0000), which no field accepts`)
	errNotAnObject   = errors.New("the request body must be one JSON object, {\"query\": \"...\", \"variables\": {...}}; batches (JSON arrays) are not supported")
	errNotJSON       = errors.New("the request body is not valid JSON")
)

// CheckText reports whether b, JSON text or a plain string, may be decoded
// without altering it: valid UTF-8, and no escape (\uXXXX) of a lone
// surrogate or of NUL. Its error says what is wrong and where, in bytes,
// without quoting the input.
func CheckText(b []byte) error {
	if !utf8.Valid(b) {
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return fmt.Errorf("%w (byte %d)", errNotUTF8, i)
			}
			i += n
		}
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] != 'u' {
			i++ // an escaped character, perhaps a backslash: never the start of another escape
			continue
		}
		r, ok := hex4(b, i+2)
		if !ok {
			continue // not an escape JSON accepts: decoding fails on it
		}
		switch {
		case r == 0:
			return fmt.Errorf("%w (byte %d)", errEscapedNUL, i)
		case r >= 0xDC00 && r <= 0xDFFF:
			return fmt.Errorf("%w (byte %d)", errLoneSurrogate, i)
		case r >= 0xD800 && r < 0xDC00:
			if i+7 < len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
				if lo, ok := hex4(b, i+8); ok && lo >= 0xDC00 && lo <= 0xDFFF {
					i += 11
					continue
				}
			}
			return fmt.Errorf("%w (byte %d)", errLoneSurrogate, i)
		}
		i += 5
	}
	return nil
}

// hex4 decodes the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// CheckRequestShape reports whether body is one GraphQL-over-HTTP request
// object whose members have the types the protocol gives them. Its error
// never quotes the body.
func CheckRequestShape(body []byte) error {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return errNotAnObject
		}
		return errNotJSON
	}
	// encoding/json, which gqlgen decodes with, matches member names without
	// regard to case ("QUERY" fills query), so every key is compared so.
	for key, v := range req {
		for _, member := range []struct {
			name  string
			first byte // the first byte of a value of the right type
			what  string
		}{
			{"query", '"', "a string"},
			{"operationName", '"', "a string"},
			{"variables", '{', "an object"},
			{"extensions", '{', "an object"},
		} {
			if !strings.EqualFold(key, member.name) || len(v) == 0 || string(v) == "null" {
				continue
			}
			if v[0] != member.first {
				return fmt.Errorf("the request's %s must be %s", member.name, member.what)
			}
		}
	}
	return nil
}
