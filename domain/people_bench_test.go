package domain_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/inventory-backbone/inventory/domain"
)

// BenchmarkSignIn measures a sign-in with the default argon2id parameters:
// "serial" reports the median time of one sign-in (ms/p50), "parallel" how
// many sign-ins per second the machine completes with every core busy.
//
//	go test -run '^$' -bench BenchmarkSignIn -benchtime 40x ./domain
func BenchmarkSignIn(b *testing.B) {
	a, db := accounts(b, domain.DefaultArgon2)
	ctx := context.Background()
	email := newEmail("bench")
	const password = "a long enough passphrase"
	if _, err := a.SignUp(ctx, domain.SignUpInput{Email: email, Password: password, BusinessName: "Bench"}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = db.Owner.Exec(ctx, "DELETE FROM auth_throttle") })
	signIn := func() {
		if _, err := a.SignIn(ctx, domain.SignInInput{Email: email, Password: password}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		ds := make([]time.Duration, 0, b.N)
		for b.Loop() {
			start := time.Now()
			signIn()
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "ms/p50")
		b.ReportMetric(float64(ds[len(ds)*9/10].Microseconds())/1000, "ms/p90")
	})
	b.Run("parallel", func(b *testing.B) {
		start := time.Now()
		var n sync.WaitGroup
		b.SetParallelism(2)
		b.RunParallel(func(pb *testing.PB) {
			n.Add(1)
			defer n.Done()
			for pb.Next() {
				signIn()
			}
		})
		n.Wait()
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "signins/s")
	})
}

// BenchmarkPasswordHash measures one argon2id hash with the default
// parameters, without the database.
//
//	go test -run '^$' -bench BenchmarkPasswordHash -benchtime 20x ./domain
func BenchmarkPasswordHash(b *testing.B) {
	for b.Loop() {
		if _, err := domain.HashPassword(context.Background(), domain.DefaultArgon2, "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}
