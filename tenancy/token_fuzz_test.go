package tenancy_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/tenancy"
)

// FuzzVerify checks token parsing with arbitrary claims, signed with the
// right key, and arbitrary strings: Verify never panics, refuses with
// ErrUnauthenticated, and accepts only a principal with a subject, a tenant
// and known roles.
func FuzzVerify(f *testing.F) {
	key := []byte("fuzz signing key of at least 32 bytes!!")
	v := tenancy.NewVerifier(tenancy.Config{Key: key}, func(context.Context, string) (bool, error) { return true, nil })
	sign := func(header, payload string) string {
		enc := base64.RawURLEncoding
		unsigned := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(unsigned))
		return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
	}
	f.Add(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"a","tenant_id":"t","roles":["admin"],"exp":99999999999}`, "")
	f.Add(`{"alg":"none"}`, `{"sub":"a","tenant_id":"t","roles":["admin"],"exp":99999999999}`, "x.y.z")
	f.Add(`{"alg":"HS256"}`, `{"sub":" ","tenant_id":"t","roles":["root"],"exp":1}`, "eyJhbGciOiJIUzI1NiJ9..")
	f.Add(`{"alg":"HS256"}`, `{"sub":"a","tenant_id":"t","roles":null,"exp":99999999999,"iat":99999999999}`, "")
	f.Fuzz(func(t *testing.T, header, payload, raw string) {
		for _, token := range []string{sign(header, payload), raw} {
			p, err := v.Verify(context.Background(), token)
			if err != nil {
				if !errors.Is(err, tenancy.ErrUnauthenticated) {
					t.Fatalf("a refusal that is not ErrUnauthenticated: %v", err)
				}
				if len(token) > 20 && strings.Contains(err.Error(), token) {
					t.Fatalf("the refusal echoes the token")
				}
				continue
			}
			if token == raw && raw != sign(header, payload) {
				t.Fatalf("an unsigned string was accepted: %q", raw)
			}
			if strings.TrimSpace(p.Subject) == "" || p.TenantID == "" {
				t.Fatalf("accepted a principal without subject or tenant: %+v", p)
			}
			for _, r := range p.Roles {
				if _, err := tenancy.ParseRole(string(r)); err != nil {
					t.Fatalf("accepted an unknown role %q", r)
				}
			}
		}
	})
}
