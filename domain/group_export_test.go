package domain

import "time"

// HoldGroups holds back the groups of s, so that a test can queue several
// operations at once. The function it returns waits until n operations are
// queued, then lets them run: the first group takes them all (up to the
// cap).
func (s *Store) HoldGroups() (release func(n int)) {
	s.committer.pause()
	return func(n int) {
		for s.committer.queued() < n {
			time.Sleep(time.Millisecond)
		}
		s.committer.resume()
	}
}

// Queued returns how many operations wait for a group.
func (s *Store) Queued() int { return s.committer.queued() }
