package graphiql_test

import (
	"testing"

	"github.com/inventory-backbone/inventory/internal/tooling"
)

// TestVendorFilesAreCurrent checks that the embedded GraphiQL and React
// bundles are those of the npm packages that internal/tooling installs.
func TestVendorFilesAreCurrent(t *testing.T) {
	out, err := tooling.Node(t, "vendor-graphiql.mjs", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}
