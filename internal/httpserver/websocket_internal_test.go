package httpserver

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCloseReason checks that a reason fits a close frame (123 bytes) and
// stays valid UTF-8 when cut.
func TestCloseReason(t *testing.T) {
	if got := closeReason("short"); got != "short" {
		t.Errorf("closeReason(short) = %q", got)
	}
	for _, long := range []string{strings.Repeat("a", 200), strings.Repeat("é", 100), "x" + strings.Repeat("€", 60)} {
		got := closeReason(long)
		if len(got) > maxCloseReason || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") ||
			!strings.HasPrefix(long, strings.TrimSuffix(got, "…")) || len(got) < maxCloseReason-6 {
			t.Errorf("closeReason(%d bytes) = %q (%d bytes)", len(long), got, len(got))
		}
	}
}
