package domain_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// raceSignIns runs n wrong sign-ins at once and counts the answers by code.
func raceSignIns(t *testing.T, a *domain.Accounts, n int, in func(i int) domain.SignInInput) map[domain.Code]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[domain.Code]int{}
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := a.SignIn(context.Background(), in(i))
			mu.Lock()
			codes[domain.CodeOf(err)]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// TestConcurrentSignInsAreThrottled checks that wrong sign-ins made at once
// are counted before their passwords are hashed: no more of them are judged
// than the throttle lets through one after another.
func TestConcurrentSignInsAreThrottled(t *testing.T) {
	a, _ := accounts(t, cheap)
	ctx := context.Background()
	email := newEmail("racer")
	if _, err := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: "a long enough passphrase", BusinessName: "Throttle"}); err != nil {
		t.Fatal(err)
	}
	// One email, from many addresses.
	codes := raceSignIns(t, a, 40, func(i int) domain.SignInInput {
		return domain.SignInInput{Email: email, Password: "the wrong passphrase", Addr: fmt.Sprintf("203.0.113.%d", i)}
	})
	if want := domain.EmailThrottle.Free + 1; codes[domain.CodeValidation] != want || codes[domain.CodeRateLimited] != 40-want {
		t.Errorf("one email: %v, want %d VALIDATION and the rest RATE_LIMITED", codes, want)
	}
	// One address, many emails.
	addr := fmt.Sprintf("198.51.100.%d", seq.Add(1)%250)
	codes = raceSignIns(t, a, 40, func(int) domain.SignInInput {
		return domain.SignInInput{Email: newEmail("nobody"), Password: "the wrong passphrase", Addr: addr}
	})
	if want := domain.AddressThrottle.Free + 1; codes[domain.CodeValidation] != want || codes[domain.CodeRateLimited] != 40-want {
		t.Errorf("one address: %v, want %d VALIDATION and the rest RATE_LIMITED", codes, want)
	}
	// One IPv6 /64, which one client holds whole: it counts as one address.
	net64 := fmt.Sprintf("2001:db8:%x:%x::", seq.Add(1)%65536, seq.Add(1)%65536)
	codes = raceSignIns(t, a, 40, func(i int) domain.SignInInput {
		return domain.SignInInput{Email: newEmail("nobody"), Password: "the wrong passphrase", Addr: fmt.Sprintf("%s%x", net64, i+1)}
	})
	if want := domain.AddressThrottle.Free + 1; codes[domain.CodeValidation] != want || codes[domain.CodeRateLimited] != 40-want {
		t.Errorf("one IPv6 /64: %v, want %d VALIDATION and the rest RATE_LIMITED", codes, want)
	}
}

// TestDeepHashQueueIsRefused checks that a password check that would wait
// behind a long queue of others is refused at once, as RATE_LIMITED, rather
// than queueing without bound.
func TestDeepHashQueueIsRefused(t *testing.T) {
	slow := domain.Argon2Params{Time: 3, MemoryKiB: 8 * 1024, Threads: 1}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	// Many clients keep checking passwords, so that the queue stays full.
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := domain.HashPassword(ctx, slow, "a long enough passphrase"); err != nil {
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	// Wait until the queue is deep: one more hash must be refused promptly.
	var err error
	for range 200 {
		qctx, qcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err = domain.HashPassword(qctx, cheap, "a long enough passphrase")
		qcancel()
		if domain.CodeOf(err) == domain.CodeRateLimited {
			break
		}
	}
	if _, ok := domain.IsThrottled(err); !ok || domain.CodeOf(err) != domain.CodeRateLimited {
		t.Fatalf("a hash behind a deep queue: %v, want RATE_LIMITED with a retry time", err)
	}
}
