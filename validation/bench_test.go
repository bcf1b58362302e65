package validation_test

import (
	"strconv"
	"testing"

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
