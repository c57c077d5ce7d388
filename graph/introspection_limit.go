package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// IntrospectionLimit is a handler extension that bounds what one operation
// may ask of introspection, which the cost model does not price (every
// introspection field costs one, however long the lists it returns):
//
//   - at most one __schema field (aliases of __schema each return the whole
//     schema again);
//   - at most MaxTypeFields __type fields;
//   - no aliases below __schema or __type: fields without aliases merge, so
//     the answer is at most one copy of each path through the schema, while
//     aliases spread through fragments (a: ofType { ...F } b: ofType { ...F })
//     would multiply it. (gqlgen's cost model skips __schema altogether.)
//
// GraphQL validation already refuses lists (fields, inputFields, interfaces,
// possibleTypes) nested three deep below __schema or __type, so that a chain
// such as fields { type { fields { type { fields ... } } } } cannot multiply
// the schema by itself (gqlparser's MaxIntrospectionDepth, graphql-js's
// MaxIntrospectionDepthRule). Together with these, DepthLimit (in which
// ofType does not count) and the cost limit, it lets every variant of
// getIntrospectionQuery() through and keeps abusive introspection bounded.
type IntrospectionLimit struct {
	MaxTypeFields int
}

var (
	_ graphql.HandlerExtension        = IntrospectionLimit{}
	_ graphql.OperationContextMutator = IntrospectionLimit{}
)

// ExtensionName names the extension.
func (IntrospectionLimit) ExtensionName() string { return "IntrospectionLimit" }

// Validate accepts any schema.
func (IntrospectionLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks the operation, which has passed validation
// (so its fragments have no cycles).
func (l IntrospectionLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	// __schema and __type exist only on the query root, so only the root
	// selection set (through its fragments) can hold them.
	schemaKeys, typeKeys := map[string]bool{}, map[string]bool{}
	var roots []*ast.Field
	var collect func(ast.SelectionSet, map[string]bool)
	collect = func(set ast.SelectionSet, seen map[string]bool) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				switch s.Name {
				case "__schema":
					schemaKeys[s.Alias] = true
					roots = append(roots, s)
				case "__type":
					typeKeys[s.Alias] = true
					roots = append(roots, s)
				}
			case *ast.InlineFragment:
				collect(s.SelectionSet, seen)
			case *ast.FragmentSpread:
				if s.Definition != nil && !seen[s.Name] {
					seen[s.Name] = true
					collect(s.Definition.SelectionSet, seen)
				}
			}
		}
	}
	collect(op.SelectionSet, map[string]bool{})
	if len(schemaKeys) > 1 {
		return introspectionError("an operation may ask for __schema once, not %d times", len(schemaKeys))
	}
	if len(typeKeys) > l.MaxTypeFields {
		return introspectionError("an operation may ask for __type at most %d times, not %d", l.MaxTypeFields, len(typeKeys))
	}
	w := &introspectionWalk{fragments: map[string]string{}}
	for _, f := range roots {
		if refusal := w.check(f.SelectionSet); refusal != "" {
			return introspectionError("%s", refusal)
		}
	}
	return nil
}

func introspectionError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf("%s", fmt.Sprintf(format, args...))
	err.Extensions = map[string]any{"code": "INTROSPECTION_LIMIT_EXCEEDED"}
	return err
}

// introspectionWalk checks the selections below __schema and __type. Each
// fragment is checked once, however often it is spread.
type introspectionWalk struct {
	fragments map[string]string
}

// check returns why the selection set is refused, or "".
func (w *introspectionWalk) check(set ast.SelectionSet) string {
	for _, sel := range set {
		var refusal string
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != s.Name {
				return fmt.Sprintf("introspection fields take no aliases (%s: %s)", s.Alias, s.Name)
			}
			refusal = w.check(s.SelectionSet)
		case *ast.InlineFragment:
			refusal = w.check(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			var done bool
			if refusal, done = w.fragments[s.Name]; !done {
				w.fragments[s.Name] = "" // validation refused cycles; this only guards
				refusal = w.check(s.Definition.SelectionSet)
				w.fragments[s.Name] = refusal
			}
		}
		if refusal != "" {
			return refusal
		}
	}
	return ""
}

// fragmentAtDepth names a fragment spread at a depth.
type fragmentAtDepth struct {
	name  string
	depth int
}
