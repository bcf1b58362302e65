package validation

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
)

// The index finds every earlier equal value across growth, and only equal ones.
func TestDupIndex(t *testing.T) {
	t.Parallel()
	var d dupIndex
	var a arena
	const n = 50000
	for i := range n {
		require.Nil(t, d.add(&a, "user"+strconv.Itoa(i)+"@example.com", int32(i), matching.ClassUser, false))
	}
	for i := range n {
		dup := d.add(&a, "USER"+strconv.Itoa(i)+"@EXAMPLE.COM", int32(n+i), matching.ClassUser, false)
		require.NotNil(t, dup, "value %d", i)
		assert.Equal(t, int32(i), dup.obj)
	}
	assert.Len(t, d.e, n)
}

// Identifiers equal under matching.EqualFold hash equally (the index relies on it).
func FuzzFoldHash(f *testing.F) {
	f.Add("Ann@Example.com", "ann@example.COM")
	f.Add("\u212a", "k")
	f.Add("ǅ", "ǆ")
	f.Add("\xff", "\xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		if matching.EqualFold(a, b) && foldHash(a) != foldHash(b) {
			t.Fatalf("EqualFold(%q, %q) but the hashes differ", a, b)
		}
		if u := strings.ToUpper(a); matching.EqualFold(a, u) && foldHash(a) != foldHash(u) {
			t.Fatalf("EqualFold(%q, %q) but the hashes differ", a, u)
		}
	})
}
