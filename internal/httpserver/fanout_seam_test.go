package httpserver

import (
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/inventory-backbone/inventory/domain"
)

// frames is a frameQueue of shared frames at the given feed positions.
type frames []sharedFrame

func (f *frames) Peek() (any, bool) {
	if len(*f) == 0 {
		return nil, false
	}
	return (*f)[0], true
}

func (f *frames) Drop() { *f = (*f)[1:] }

func at(xid uint64) sharedFrame {
	return sharedFrame{cursor: domain.FeedCursor{XID: xid, ID: 1}, tagged: true}
}

// TestAtSeam checks where a resumed subscription moves onto the shared
// frames: at its own response of the first event a shared frame tells,
// dropping the shared frames of events it told already, and never before
// the shared frames reach it.
func TestAtSeam(t *testing.T) {
	for _, c := range []struct {
		queued frames
		cur    uint64
		seam   bool
		left   frames
	}{
		{queued: nil, cur: 5, seam: false, left: nil},
		{queued: frames{at(5), at(6)}, cur: 5, seam: true, left: frames{at(6)}},
		{queued: frames{at(3), at(4), at(5), at(6)}, cur: 5, seam: true, left: frames{at(6)}},
		{queued: frames{at(3), {}, at(4)}, cur: 5, seam: false, left: frames{}},
		{queued: frames{at(6), at(7)}, cur: 5, seam: false, left: frames{at(6), at(7)}},
		{queued: frames{at(4), at(6)}, cur: 5, seam: false, left: frames{at(6)}},
	} {
		t.Run(fmt.Sprintf("%v at %d", c.queued, c.cur), func(t *testing.T) {
			q := c.queued
			if seam := atSeam(&q, domain.FeedCursor{XID: c.cur, ID: 1}); seam != c.seam {
				t.Fatalf("seam %v, want %v", seam, c.seam)
			}
			if len(q) != len(c.left) || len(q) > 0 && q[0].cursor != c.left[0].cursor {
				t.Fatalf("left %v, want %v", q, c.left)
			}
		})
	}
}

// TestResumeVariable checks which documents are keyed without their
// stockChanged's after: those that use its variable there and nowhere
// else.
func TestResumeVariable(t *testing.T) {
	for _, c := range []struct {
		doc  string
		name string
	}{
		{`subscription($a: String) { stockChanged(after: $a) { cursor } }`, "a"},
		{`subscription($a: String) { stockChanged(after: $ a) { cursor } }`, "a"},
		{`subscription($a: String, $b: String) { stockChanged(after: $a) { cursor } }`, "a"},
		{`subscription { stockChanged(after: "literal") { cursor } }`, ""},
		{`subscription($a: String) { availabilityChanged { version } }`, ""},
		{`subscription($a: String) { stockChanged(after: $a) { cursor x: movements(after: $a) { id } } }`, ""},
		{`subscription($a: String) { stockChanged(after: $a) { ... on StockChangeEvent { cursor @skip(if: $a) } } }`, ""},
		{`subscription($a: String) { stockChanged(after: $a) { ...F } } fragment F on StockChangeEvent { f(x: {y: [$a]}) }`, ""},
		{`subscription($a: String) @d(x: $a) { stockChanged(after: $a) { cursor } }`, ""},
		{`subscription($a: String) { ... on Subscription { stockChanged(after: $a) { cursor } } }`, ""},
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: c.doc})
		if err != nil {
			t.Fatalf("%s: %v", c.doc, err)
		}
		for _, f := range doc.Fragments { // as validation resolves them
			for _, op := range doc.Operations {
				resolveSpreads(op.SelectionSet, f)
			}
		}
		name, ok := resumeVariable(&graphql.OperationContext{Operation: doc.Operations[0]})
		if name != c.name || ok != (c.name != "") {
			t.Errorf("%s: %q, %v; want %q", c.doc, name, ok, c.name)
		}
	}
}

// resolveSpreads points the spreads of f in set at f.
func resolveSpreads(set ast.SelectionSet, f *ast.FragmentDefinition) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			resolveSpreads(sel.SelectionSet, f)
		case *ast.InlineFragment:
			resolveSpreads(sel.SelectionSet, f)
		case *ast.FragmentSpread:
			if sel.Name == f.Name {
				sel.Definition = f
			}
		}
	}
}
