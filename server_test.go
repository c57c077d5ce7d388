package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/internal/config"
)

// TestHelp checks that help prints the commands and every environment
// variable the configuration reads, and that an unknown command is an error
// that shows the usage.
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inventory migrate", "inventory tenant create", "inventory token"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	for _, v := range config.Variables {
		if !strings.Contains(out.String(), "\n  "+v.Name+" ") {
			t.Errorf("help lacks %s:\n%s", v.Name, out.String())
		}
	}
	err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "usage:") {
		t.Errorf("an unknown command: %v, want an error with the usage", err)
	}
}
