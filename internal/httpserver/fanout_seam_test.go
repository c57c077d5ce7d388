package httpserver

import (
	"fmt"
	"testing"

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
