package matchingtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching/matchingtest"
)

func TestGenerate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		seed int64
		n    int
	}{
		{"empty", 1, 0},
		{"one", 1, 1},
		{"thousand", 42, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := matchingtest.Generate(tc.seed, tc.n)
			b := matchingtest.Generate(tc.seed, tc.n)
			require.Len(t, a.OnPrem, tc.n)
			require.Len(t, a.Cloud, tc.n)
			require.Len(t, a.Kinds, tc.n)
			assert.Equal(t, a, b, "same seed, same dataset")
			dns := map[string]bool{}
			ids := map[string]bool{}
			for _, o := range a.OnPrem {
				assert.False(t, dns[o.DN], "duplicate DN %s", o.DN)
				dns[o.DN] = true
			}
			for _, c := range a.Cloud {
				assert.False(t, ids[c.ID], "duplicate id %s", c.ID)
				ids[c.ID] = true
			}
		})
	}
}

func TestGenerateOptions(t *testing.T) {
	t.Parallel()
	asOf := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	d := matchingtest.Generate(3, 10, matchingtest.WithAsOf(asOf))
	assert.Equal(t, asOf, d.Tenant.AsOf)
	assert.NotEqual(t, matchingtest.Generate(3, 100).OnPrem, matchingtest.Generate(4, 100).OnPrem, "seeds differ")
}
