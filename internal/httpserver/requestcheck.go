package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"unicode/utf8"
)

// refuseMalformed refuses, with HTTP 400 and BAD_REQUEST, a GraphQL request
// that is not text a GraphQL server may read: a body or query string that is
// not valid UTF-8 (RFC 8259 requires it) or escapes a lone UTF-16 surrogate
// or a NUL, which decoding would silently turn into U+FFFD or PostgreSQL
// would refuse; and a JSON body that is not one GraphQL request object (a
// batch array, a string, a query that is not a string). Its answers name the
// problem and never repeat the request. It runs after limitBody, which has
// read the body into memory.
func refuseMalformed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		if err := checkRequest(r); err != nil {
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkRequest(r *http.Request) error {
	for name, values := range r.URL.Query() {
		for _, v := range values {
			if err := CheckText([]byte(v)); err != nil {
				return fmt.Errorf("the query string's %s parameter %w", safeName(name), err)
			}
		}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return nil // gqlgen refuses what it does not read
	}
	body, ok := r.Body.(*bufferedBody)
	if !ok {
		return nil
	}
	if err := CheckText(body.data); err != nil {
		return fmt.Errorf("the request body %w", err)
	}
	return CheckRequestShape(body.data)
}

// safeName returns a parameter's name when it is short, printable text, and
// a stand-in otherwise, so that an error never echoes a long name.
func safeName(name string) string {
	if len(name) > 32 || !utf8.ValidString(name) {
		return "(unnamed)"
	}
	return fmt.Sprintf("%q", name)
}

// The reasons refuseMalformed refuses a request.
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
		v, ok := req[member.name]
		if !ok || len(v) == 0 || string(v) == "null" {
			continue
		}
		if v[0] != member.first {
			return fmt.Errorf("the request's %s must be %s", member.name, member.what)
		}
	}
	return nil
}

// bufferedBody is a request body that limitBody has read into memory.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func newBufferedBody(data []byte) *bufferedBody {
	return &bufferedBody{Reader: bytes.NewReader(data), data: data}
}

// Close does nothing: the body is in memory.
func (*bufferedBody) Close() error { return nil }
