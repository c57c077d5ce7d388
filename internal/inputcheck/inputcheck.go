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
//
// It answers as decoding body into a map[string]json.RawMessage and checking
// each entry would (requestShapeByMap in the tests, which a fuzz test
// compares it with), without building the map: JSON that is not valid is
// errNotJSON; null passes (it decodes to no map); any other value but an
// object is errNotAnObject; of members with the same name, the last counts.
// It runs on every request, and the map cost more than the rest of the
// request's checks together.
func CheckRequestShape(body []byte) error {
	if !json.Valid(body) {
		return errNotJSON
	}
	i := skipSpace(body, 0)
	switch {
	case body[i] == 'n':
		return nil // null
	case body[i] != '{':
		return errNotAnObject
	}
	// The members named like one of the protocol's, by exact name, with the
	// first byte of their last value (0 for null); most bodies have two or
	// three.
	var seen map[string]byte
	i = skipSpace(body, i+1)
	for body[i] != '}' {
		end := skipString(body, i)
		key := memberName(body[i:end])
		i = skipSpace(body, skipSpace(body, end)+1) // past the colon
		first := body[i]
		if first == 'n' {
			first = 0
		}
		i = skipSpace(body, skipValue(body, i))
		if requestMember(key) != nil {
			if seen == nil {
				seen = make(map[string]byte, 4)
			}
			seen[key] = first
		}
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	for key, first := range seen {
		if m := requestMember(key); first != 0 && first != m.first {
			return fmt.Errorf("the request's %s must be %s", m.name, m.what)
		}
	}
	return nil
}

// member is a member of a GraphQL-over-HTTP request object.
type member struct {
	name  string
	first byte // the first byte of a value of the right type
	what  string
}

var members = [...]member{
	{"query", '"', "a string"},
	{"operationName", '"', "a string"},
	{"variables", '{', "an object"},
	{"extensions", '{', "an object"},
}

// requestMember returns the member a key names, or nil. encoding/json, which
// gqlgen decodes with, matches member names without regard to case ("QUERY"
// fills query), so keys are compared so.
func requestMember(key string) *member {
	for i := range members {
		if strings.EqualFold(key, members[i].name) {
			return &members[i]
		}
	}
	return nil
}

// memberName decodes a member name, quotes included, of valid JSON.
func memberName(quoted []byte) string {
	raw := quoted[1 : len(quoted)-1]
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf {
			var name string
			_ = json.Unmarshal(quoted, &name) // escapes, or bytes that decoding may replace
			return name
		}
	}
	return string(raw)
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// skipValue returns the index just past the value that starts at b[i], in
// valid JSON.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}
