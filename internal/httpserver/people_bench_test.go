package httpserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/inventory-backbone/inventory/domain"
	"github.com/inventory-backbone/inventory/internal/config"
	"github.com/inventory-backbone/inventory/internal/httpserver"
	"github.com/inventory-backbone/inventory/tenancy"
)

// BenchmarkAuthOverhead measures what verifying the credential adds to a
// request: the authenticate middleware in front of a handler that does
// nothing, per kind of credential, against the same handler without it.
// Tenants and sessions are cached as in a running server (a session is
// checked against the database at most every 500 ms).
//
//	go test -run '^$' -bench BenchmarkAuthOverhead -benchtime 2s ./internal/httpserver
func BenchmarkAuthOverhead(b *testing.B) {
	// An identity provider publishing one RSA and one EC key.
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	set := jwkset.JWKSMarshal{}
	for kid, k := range map[string]any{"rsa": rsaKey.Public(), "ec": ecKey.Public()} {
		jwk, err := jwkset.NewJWKFromKey(k, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid}})
		if err != nil {
			b.Fatal(err)
		}
		set.Keys = append(set.Keys, jwk.Marshal())
	}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(set) }))
	defer idp.Close()
	s := newTestServerWith(b, serverOptions{people: func(p *config.People) { p.JWKSURL = idp.URL }})
	tenantID := s.tenant(b)
	auth, err := s.accounts.SignUp(context.Background(), domain.SignUpInput{Email: freshEmail("bench"), Password: "a long enough passphrase", BusinessName: "B"})
	if err != nil {
		b.Fatal(err)
	}

	now := time.Now()
	idpClaims := jwt.MapClaims{"sub": "idp-user", "tenant_id": tenantID, "roles": []string{"viewer"},
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	signKid := func(m jwt.SigningMethod, kid string, key any) string {
		t := jwt.NewWithClaims(m, idpClaims)
		t.Header["kid"] = kid
		s, err := t.SignedString(key)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	hs := s.token(b, tenantID, "cli", tenancy.Viewer)
	noop := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	run := func(b *testing.B, h http.Handler, token string) {
		req := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		h.ServeHTTP(httptest.NewRecorder(), req) // warm the caches
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusNoContent {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	}
	authenticate := func(next http.Handler) http.Handler { return httpserver.Authenticate(s.server, next) }
	b.Run("none", func(b *testing.B) { run(b, noop, "") })
	b.Run("jwt-hs256", func(b *testing.B) { run(b, authenticate(noop), hs) })
	b.Run("session-hs256", func(b *testing.B) { run(b, authenticate(noop), auth.AccessToken) })
	b.Run("jwks-rs256", func(b *testing.B) { run(b, authenticate(noop), signKid(jwt.SigningMethodRS256, "rsa", rsaKey)) })
	b.Run("jwks-es256", func(b *testing.B) { run(b, authenticate(noop), signKid(jwt.SigningMethodES256, "ec", ecKey)) })
}
