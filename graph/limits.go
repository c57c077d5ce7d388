package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// DepthLimit is a handler extension that refuses, before execution, an
// operation whose selections nest deeper than the limit. Fragments count at
// the depth where they are spread. Introspection's ofType adds no depth: it
// unwraps one list or non-null wrapper of a type reference, returns a single
// object (null past the last wrapper), and graphql-js's introspection query
// nests it nine deep; what introspection may cost is bounded by
// IntrospectionLimit and the cost limit instead.
type DepthLimit int

var (
	_ graphql.HandlerExtension        = DepthLimit(0)
	_ graphql.OperationContextMutator = DepthLimit(0)
)

// ExtensionName names the extension.
func (DepthLimit) ExtensionName() string { return "DepthLimit" }

// Validate accepts any schema.
func (DepthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext measures the operation's depth.
func (d DepthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	if depth := selectionDepth(op.SelectionSet, 0, int(d), map[fragmentAtDepth]int{}); depth > int(d) {
		err := gqlerror.Errorf("operation is nested %s levels deep, more than the limit of %d", depthText(depth, int(d)), int(d))
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

func depthText(depth, limit int) string {
	if depth > limit+1 {
		return fmt.Sprintf("more than %d", limit)
	}
	return fmt.Sprint(depth)
}

// selectionDepth returns the depth of a selection set, stopping as soon as it
// passes limit (so that a hostile query costs little to measure). A
// fragment's depth is measured once for each depth it is spread at (memo), so
// fragments spread many times cost no more than once.
func selectionDepth(set ast.SelectionSet, depth, limit int, memo map[fragmentAtDepth]int) int {
	if depth > limit {
		return depth
	}
	deepest := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "ofType" && s.ObjectDefinition != nil && s.ObjectDefinition.Name == "__Type" {
				d = selectionDepth(s.SelectionSet, depth, limit, memo)
			} else if len(s.SelectionSet) == 0 {
				d = depth + 1
			} else {
				d = selectionDepth(s.SelectionSet, depth+1, limit, memo)
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, depth, limit, memo)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				key := fragmentAtDepth{s.Name, depth}
				var done bool
				if d, done = memo[key]; !done {
					memo[key] = depth // validation refused cycles; this only guards
					d = selectionDepth(s.Definition.SelectionSet, depth, limit, memo)
					memo[key] = d
				}
			}
		}
		deepest = max(deepest, d)
		if deepest > limit {
			return deepest
		}
	}
	return deepest
}

// SelectionLimit is a handler extension that refuses, before the query is
// validated, a document with a selection set of more than MaxFields fields
// (aliases count). GraphQL validation compares the fields of a selection set
// pairwise, so a huge flat query is costly even under the other limits.
//
// Validated, when set, is the executor's cache of parsed and validated
// documents (handler.Server.SetQueryCache), keyed by query text. The
// executor adds a document to it only after every OperationParameterMutator,
// this one included, has let the query through and validation has passed,
// so a query found there passed this limit before: it is not parsed again.
// (A client sends the same few queries over and over; parsing one again
// costs more than the rest of the limit's work.)
type SelectionLimit struct {
	MaxFields int
	MaxTokens int
	Validated graphql.Cache[*ast.QueryDocument]
}

var (
	_ graphql.HandlerExtension          = SelectionLimit{}
	_ graphql.OperationParameterMutator = SelectionLimit{}
)

// ExtensionName names the extension.
func (SelectionLimit) ExtensionName() string { return "SelectionLimit" }

// Validate accepts any schema.
func (SelectionLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters parses the document (linearly, within the token
// limit) and measures its widest selection set, unless Validated holds it.
// Documents that do not parse are left for the executor to report.
func (l SelectionLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if l.Validated != nil {
		if _, ok := l.Validated.Get(ctx, p.Query); ok {
			return nil
		}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, l.MaxTokens)
	if err != nil {
		return nil
	}
	widest := 0
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		widest = max(widest, len(set))
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	if widest > l.MaxFields {
		e := gqlerror.Errorf("a selection set has %d fields, more than the limit of %d", widest, l.MaxFields)
		e.Extensions = map[string]any{"code": "SELECTION_LIMIT_EXCEEDED"}
		return e
	}
	return nil
}
