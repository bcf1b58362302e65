package validation_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
	"github.com/hybridid/hybridid/validation"
)

// BenchmarkCheck validates one clean user per iteration against a growing index (values repeat
// after 131072 iterations; run with -benchtime 100000x for the clean figure).
func BenchmarkCheck(b *testing.B) {
	objs := make([]validation.Object, 1<<17)
	for i := range objs {
		objs[i] = user("user" + strconv.Itoa(i))
	}
	v := validation.New(validation.Config{})
	var fs []validation.Finding
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		fs = v.Check(fs[:0], &objs[i%len(objs)])
		i++
	}
}

// BenchmarkCheck1M validates the 1,000,000 on-premises users of matchingtest.Generate against
// their tenant, as hybridctl validate --cloud does (one Validator sized for them, objects in
// order). Run it once:
//
//	go test -run '^$' -bench Check1M -benchtime 1x -benchmem ./validation/
func BenchmarkCheck1M(b *testing.B) {
	d := matchingtest.Generate(1, 1_000_000)
	objs := make([]validation.Object, len(d.OnPrem))
	for i := range objs {
		objs[i] = validation.Object{OnPrem: d.OnPrem[i]}
	}
	d.OnPrem = nil
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var fs []validation.Finding
	for b.Loop() {
		v := validation.New(validation.Config{Tenant: &d.Tenant, Expected: len(objs)})
		fs = fs[:0]
		for i := range objs {
			fs = v.Check(fs, &objs[i])
		}
	}
	b.StopTimer()
	if len(fs) == 0 {
		b.Fatal("no findings")
	}
}

// BenchmarkTenant1M joins the findings of 1,000,000 users to the engine's report, as
// hybridctl validate --cloud does after Check and matching.EvaluateOnPrem. Run it once:
//
//	go test -run '^$' -bench Tenant1M -benchtime 1x -benchmem ./validation/
func BenchmarkTenant1M(b *testing.B) {
	d := matchingtest.Generate(1, 1_000_000)
	rep := matching.EvaluateOnPrem(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	v := validation.New(validation.Config{Tenant: &d.Tenant, Expected: len(d.OnPrem)})
	var all []validation.Finding
	for i := range d.OnPrem {
		o := validation.Object{OnPrem: d.OnPrem[i]}
		all = v.Check(all, &o)
	}
	fs := make([]validation.Finding, len(all))
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		copy(fs, all)
		n = len(append(validation.InScope(fs, rep), validation.Collisions(d.OnPrem, rep)...))
	}
	b.StopTimer()
	b.ReportMetric(float64(len(all)), "findings")
	b.ReportMetric(float64(n), "kept")
}

// BenchmarkCheckRecord1M is BenchmarkCheck1M with the records borrowed (Config.Records and
// CheckRecord), as hybridctl validate --cloud can, since it keeps them for the engine anyway.
//
//	go test -run '^$' -bench CheckRecord1M -benchtime 1x -benchmem ./validation/
func BenchmarkCheckRecord1M(b *testing.B) {
	d := matchingtest.Generate(1, 1_000_000)
	extra := make([]validation.Extra, len(d.OnPrem))
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var fs []validation.Finding
	for b.Loop() {
		v := validation.New(validation.Config{Tenant: &d.Tenant, Records: d.OnPrem})
		fs = fs[:0]
		for i := range d.OnPrem {
			fs = v.CheckRecord(fs, i, &extra[i])
		}
	}
	b.StopTimer()
	if len(fs) == 0 {
		b.Fatal("no findings")
	}
}
