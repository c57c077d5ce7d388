package mail

import (
	"strings"
	"testing"
)

// TestNewKeepsThePasswordOutOfErrors checks that no error about an SMTP URL
// quotes its password, however the URL is wrong.
func TestNewKeepsThePasswordOutOfErrors(t *testing.T) {
	const secret = "hunter2secret"
	for _, raw := range []string{
		"smtp://user:" + secret + "%zz@smtp.example.com:587",  // bad escape
		"smtp://user:" + secret + "@smtp.example.com:58x7",    // bad port
		"smtp://user:" + secret + "@smtp.example.com\x7f:587", // control character
		"smtp://user:" + secret + "@[::1:587",                 // bad host
		"smtp://user:" + secret + "@:587",                     // no host
		"ftp://user:" + secret + "@smtp.example.com",          // bad scheme
		"smtp://user:" + secret + "@smtp.example.com?tls=maybe",
		"smtp://user:" + secret + "@smtp.example.com:99999999999999999999",
		"smtp://user:" + secret + "/%zz#@smtp.example.com",
		"smtp://user:" + secret + "#%zz@smtp.example.com",
	} {
		_, err := New(raw, "Inventory <no-reply@example.com>")
		if err == nil {
			t.Errorf("%q: no error", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes the password: %v", err)
		}
	}
}
