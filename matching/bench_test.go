package matching_test

import (
	"runtime"
	"testing"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
)

func benchmarkEvaluate(b *testing.B, n int) {
	benchmarkWith(b, n, matching.Evaluate, 2*n)
}

func benchmarkWith(b *testing.B, n int, evaluate func(matching.Config, matching.TenantState, []matching.OnPrem, []matching.Cloud) *matching.Report, results int) {
	d := matchingtest.Generate(1, n)
	// Collect the generator's garbage now, so that the timed loop pays only for Evaluate's own.
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var rep *matching.Report
	cpu0 := cpuTime()
	for b.Loop() {
		rep = evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	}
	b.StopTimer()
	// CPU seconds used by the whole process per evaluation (all cores, garbage collector
	// included): steadier than wall time on a shared, loaded machine.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	if len(rep.Objects) != results {
		b.Fatalf("got %d results, want %d", len(rep.Objects), results)
	}
}

// BenchmarkEvaluate10k evaluates 10,000 on-premises and 10,000 cloud users.
func BenchmarkEvaluate10k(b *testing.B) { benchmarkEvaluate(b, 10_000) }

// BenchmarkEvaluate1M evaluates 1,000,000 on-premises and 1,000,000 cloud users. Run it once:
//
//	go test -run '^$' -bench Evaluate1M -benchtime 1x -benchmem ./matching/
func BenchmarkEvaluate1M(b *testing.B) { benchmarkEvaluate(b, 1_000_000) }

// BenchmarkEvaluateOnPrem1M is BenchmarkEvaluate1M with EvaluateOnPrem, as hybridctl validate
// --cloud runs it. Run it once:
//
//	go test -run '^$' -bench EvaluateOnPrem1M -benchtime 1x -benchmem ./matching/
func BenchmarkEvaluateOnPrem1M(b *testing.B) {
	benchmarkWith(b, 1_000_000, matching.EvaluateOnPrem, 1_000_000)
}
