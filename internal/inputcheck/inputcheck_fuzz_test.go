package inputcheck_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/inventory-backbone/inventory/internal/inputcheck"
)

// FuzzCheckText checks the UTF-8 and escape check of request bodies: invalid
// UTF-8 is always refused, and JSON it accepts decodes to strings that are
// valid UTF-8, hold no NUL, and hold U+FFFD only where the input wrote one.
func FuzzCheckText(f *testing.F) {
	for _, seed := range []string{`{"query":"{ items { nodes { id } } }"}`, "{\"sku\":\"A\xff\xfe\"}",
		`{"sku":"A\ud800"}`, `{"sku":"A\udcff"}`, `{"sku":"\ud83d\ude00"}`, `{"sku":"\u0000"}`, `"\\ud800"`,
		`"\ufffd"`, "\"\xef\xbf\xbd\"", `"\uD834\uDD1E"`, `"\ud800\u0041"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := inputcheck.CheckText(body)
		if !utf8.Valid(body) && err == nil {
			t.Fatalf("invalid UTF-8 %q accepted", body)
		}
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal(body, &v) != nil {
			return
		}
		written := strings.Count(string(body), "\ufffd") + strings.Count(strings.ToLower(string(body)), `\ufffd`)
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("accepted %q decodes to %q", body, v)
				}
				written -= strings.Count(v, "\ufffd")
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for k, e := range v {
					walk(k)
					walk(e)
				}
			}
		}
		walk(v)
		if written < 0 {
			t.Fatalf("accepted %q decodes to more U+FFFD than it wrote: an input was altered", body)
		}
	})
}

// FuzzCheckRequestShape checks that a body the shape check accepts is one
// gqlgen decodes, so that gqlgen's decode error, which repeats the body,
// never reaches a client.
func FuzzCheckRequestShape(f *testing.F) {
	for _, seed := range []string{`{"query":"{ a }"}`, `[{"query":"{ a }"}]`, `{"query":["x"]}`, `{"variables":"x"}`,
		`{"query":"q","operationName":null,"variables":{"a":1},"extensions":{}}`, `null`, `"x"`, `{"query":1}`, `{`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if inputcheck.CheckRequestShape(body) != nil {
			return
		}
		var params struct { // the fields of gqlgen's graphql.RawParams that a POST body fills
			Query         string         `json:"query"`
			OperationName string         `json:"operationName"`
			Variables     map[string]any `json:"variables"`
			Extensions    map[string]any `json:"extensions"`
		}
		if err := json.Unmarshal(body, &params); err != nil {
			t.Fatalf("accepted %q, which gqlgen cannot decode: %v", body, err)
		}
	})
}
