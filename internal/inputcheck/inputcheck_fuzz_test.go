package inputcheck_test

import (
	"encoding/json"
	"errors"
	"fmt"
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

// FuzzCheckRequestShapeAsMap checks that CheckRequestShape, which scans the
// body, answers as the check it replaced, which decoded the body into a map:
// the same bodies pass, and a body refused as not JSON or not an object is
// refused so by both.
func FuzzCheckRequestShapeAsMap(f *testing.F) {
	for _, seed := range []string{`{"query":"{ a }"}`, `[{"query":"{ a }"}]`, `{"query":["x"]}`, `{"variables":"x"}`,
		`{"query":"q","operationName":null,"variables":{"a":1},"extensions":{}}`, `null`, ` null `, `"x"`, `{"query":1}`, `{`,
		`{"query":1,"query":"q"}`, `{"query":"q","query":1}`, `{"QUERY":1}`, `{"\u0071uery":1}`, `{"qu\u00e9ry":1}`,
		"{\"query\xff\":1}", `{"a":{"query":1},"b":["}",{"c":"\"{"}],"query":"q"}`, `{"query" : "q" , "variables" : { } }`,
		`{"variables":[1]}`, `{"operationName":true}`, `{"extensions":"x","extensions":{}}`, ``, `{}`, `1`, `{"q":1e5,"query":"x"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, want := inputcheck.CheckRequestShape(body), requestShapeByMap(body)
		if (got == nil) != (want == nil) {
			t.Fatalf("%q: CheckRequestShape says %v, the map check %v", body, got, want)
		}
		if got != nil && (errors.Is(want, errNotJSON) || errors.Is(want, errNotAnObject)) && got.Error() != want.Error() {
			t.Fatalf("%q: CheckRequestShape says %v, the map check %v", body, got, want)
		}
	})
}

// The reasons requestShapeByMap gives, as CheckRequestShape words them.
var (
	errNotAnObject = errors.New("the request body must be one JSON object, {\"query\": \"...\", \"variables\": {...}}; batches (JSON arrays) are not supported")
	errNotJSON     = errors.New("the request body is not valid JSON")
)

// requestShapeByMap is the shape check as it was before CheckRequestShape
// scanned the body: decode it into a map, check each entry.
func requestShapeByMap(body []byte) error {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return errNotAnObject
		}
		return errNotJSON
	}
	for key, v := range req {
		for _, member := range []struct {
			name  string
			first byte
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
