package domain

import (
	"strings"
	"testing"
)

// FuzzCursorOpen feeds arbitrary strings to the cursor codec: opening never
// panics, nothing but a sealed cursor opens, and a position sealed for a
// tenant's list opens to itself there and nowhere else.
func FuzzCursorOpen(f *testing.F) {
	codec, err := newCursorCodec([]byte("fuzz secret of at least 32 bytes!!!"))
	if err != nil {
		f.Fatal(err)
	}
	const tenant, other = "7d6f0e1c-8f43-4b8e-9a57-0d2b8f1e4c11", "1b2c3d4e-0000-4000-8000-000000000000"
	f.Add("", "movement", "")
	f.Add("bW92ZW1lbnQ6MQ", "movement", "1")
	f.Add(codec.seal(tenant, "feed", "12:34"), "feed", "12:34")
	f.Add(codec.seal(tenant, "item", "SKU-1"), "item", "2024-01-01T00:00:00Z|7d6f0e1c-8f43-4b8e-9a57-0d2b8f1e4c11")
	f.Fuzz(func(t *testing.T, cursor, list, position string) {
		if got, ok := codec.open(tenant, list, cursor); ok {
			// Only what seal made opens; the fuzzer cannot forge a tag, so
			// an opened cursor must be one of the seeds.
			if strings.Contains(got, "\x00") && !strings.Contains(position, "\x00") {
				t.Errorf("open(%q) = %q", cursor, got)
			}
		}
		if len(position) > 256 {
			return // positions are a key or two; open refuses cursors past 512 characters
		}
		sealed := codec.seal(tenant, list, position)
		if got, ok := codec.open(tenant, list, sealed); !ok || got != position {
			t.Fatalf("seal/open of %q in %q = %q, %v", position, list, got, ok)
		}
		if _, ok := codec.open(other, list, sealed); ok {
			t.Fatalf("a cursor of one tenant opened for another")
		}
		if _, ok := codec.open(tenant, list+"x", sealed); ok {
			t.Fatalf("a cursor of list %q opened for list %q", list, list+"x")
		}
	})
}
