package tooling_test

import (
	"strings"
	"testing"

	"github.com/inventory-backbone/inventory/internal/tooling"
)

// TestIntrospectionQueriesAreCurrent checks that the embedded queries are
// what the installed graphql-js builds now.
func TestIntrospectionQueriesAreCurrent(t *testing.T) {
	out, err := tooling.Node(t, "introspection.mjs", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}

// TestIntrospectionQueries checks that every variant is there and is
// graphql-js's text.
func TestIntrospectionQueries(t *testing.T) {
	qs := tooling.IntrospectionQueries()
	for _, name := range []string{"default", "all", "input_value_deprecation", "schema_description", "specified_by_url", "directive_is_repeatable"} {
		q, ok := qs[name]
		if !ok {
			t.Errorf("no %s variant", name)
			continue
		}
		if !strings.Contains(q, "query IntrospectionQuery") || !strings.Contains(q, "fragment TypeRef on __Type") {
			t.Errorf("%s is not graphql-js's introspection query: %.200s", name, q)
		}
	}
	if all := qs["all"]; !strings.Contains(all, "specifiedByURL") || !strings.Contains(all, "isRepeatable") ||
		!strings.Contains(all, "args(includeDeprecated: true)") || !strings.Contains(all, "__schema {\n        description") {
		t.Errorf("the all variant lacks an option: %s", all)
	}
}
