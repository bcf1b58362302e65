package conversion_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
)

// TestBudget10k converts 10,000 users by SOA against the fake tenant at 200 Graph writes per
// second, on synctest's fake clock: the run must take 50 s of (fake) time, not less.
func TestBudget10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 users: skipped with -short")
	}
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, 10_000, false)
		a := w.applier(&conversion.MemJournal{})
		a.GraphWritesPerSecond = 200
		a.Concurrency = 16
		start := time.Now()
		res, err := a.Apply(t.Context(), w.plan)
		require.NoError(t, err)
		require.True(t, res.OK(), res.Summary())
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 49995*time.Millisecond)
		assert.Less(t, elapsed, 51*time.Second)
		assert.Len(t, w.ten.Writes(), 10_000)
	})
}

// BenchmarkApplySOA measures Apply of an SOA plan (one Graph write per user) against the fake
// tenant with no write budget, with the fsynced file journal and with the in-memory journal: the
// difference is the journal's cost (two fsynced lines per write).
func BenchmarkApplySOA(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		for _, kind := range []string{"mem", "file"} {
			b.Run(fmt.Sprintf("users=%d/journal=%s", n, kind), func(b *testing.B) {
				ten, onprem, cloud := conversiontest.Population(n, t0)
				plan := conversion.PlanSOA(&conversion.Input{Tenant: ten, Cloud: cloud, OnPrem: onprem}, &conversion.Options{CreatedAt: t0})
				dir := b.TempDir()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					var j conversion.Journal = &conversion.MemJournal{}
					if kind == "file" {
						fj, err := conversion.OpenJournal(filepath.Join(dir, fmt.Sprintf("j%d.jsonl", i)))
						if err != nil {
							b.Fatal(err)
						}
						defer fj.Close()
						j = fj
					}
					a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: conversiontest.NewTenant(ten, cloud...), Journal: j, Concurrency: 8}
					res, err := a.Apply(b.Context(), plan)
					if err != nil || !res.OK() {
						b.Fatal(err, res.Summary())
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/user")
			})
		}
	}
}

// BenchmarkApplySOABudget is BenchmarkApplySOA under the 200 writes/s budget, on the real clock
// (about 5 s per run of 1,000 users): it shows whether the journal's fsyncs cost wall time when
// the Graph budget, not the journal, is the bottleneck.
func BenchmarkApplySOABudget(b *testing.B) {
	const n = 1_000
	for _, kind := range []string{"mem", "file"} {
		b.Run(fmt.Sprintf("users=%d/rate=200/journal=%s", n, kind), func(b *testing.B) {
			ten, onprem, cloud := conversiontest.Population(n, t0)
			plan := conversion.PlanSOA(&conversion.Input{Tenant: ten, Cloud: cloud, OnPrem: onprem}, &conversion.Options{CreatedAt: t0})
			dir := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				var j conversion.Journal = &conversion.MemJournal{}
				if kind == "file" {
					fj, err := conversion.OpenJournal(filepath.Join(dir, fmt.Sprintf("j%d.jsonl", i)))
					if err != nil {
						b.Fatal(err)
					}
					defer fj.Close()
					j = fj
				}
				a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: conversiontest.NewTenant(ten, cloud...), Journal: j, Concurrency: 8, GraphWritesPerSecond: 200}
				res, err := a.Apply(b.Context(), plan)
				if err != nil || !res.OK() {
					b.Fatal(err, res.Summary())
				}
			}
		})
	}
}
