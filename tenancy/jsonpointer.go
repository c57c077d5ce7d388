package tenancy

import (
	"fmt"
	"strconv"
	"strings"
)

// Pointer is a JSON Pointer (RFC 6901) into a token's claims, such as
// /tenant_id, /realm_access/roles or /https:~1~1example.com~1claims/tenant.
type Pointer struct {
	text   string
	tokens []string
}

// ParsePointer parses a JSON Pointer. The empty pointer (the whole document)
// is refused: a claim is always inside the claims.
func ParsePointer(s string) (Pointer, error) {
	if !strings.HasPrefix(s, "/") {
		return Pointer{}, fmt.Errorf("JSON pointer %q must start with /", s)
	}
	p := Pointer{text: s}
	for _, raw := range strings.Split(s[1:], "/") {
		for i := 0; i < len(raw); i++ {
			if raw[i] == '~' && (i+1 == len(raw) || (raw[i+1] != '0' && raw[i+1] != '1')) {
				return Pointer{}, fmt.Errorf("JSON pointer %q has a ~ that is not ~0 or ~1", s)
			}
		}
		// Order matters (RFC 6901, section 4): ~1 first, then ~0.
		p.tokens = append(p.tokens, strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~"))
	}
	return p, nil
}

// String returns the pointer as it was written.
func (p Pointer) String() string { return p.text }

// Lookup returns the value the pointer names in a decoded JSON document.
func (p Pointer) Lookup(doc any) (any, bool) {
	cur := doc
	for _, tok := range p.tokens {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
