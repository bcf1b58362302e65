package graphx_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
)

func TestBudget(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		n      int
		per    time.Duration
		writes int
		pause  time.Duration
		want   time.Duration // time the writes take
	}{
		{"burst is a tenth, then the rate", 100, time.Second, 10, 0, 0},
		{"beyond the burst waits for the rate", 100, time.Second, 60, 0, 500 * time.Millisecond},
		{"Graph default: 3000 per 150 s", graphx.DefaultWriteBudget, graphx.DefaultWriteBudgetPeriod, 320, 0, time.Second},
		{"pause holds every writer", 100, time.Second, 10, 3 * time.Second, 3*time.Second + 100*time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				b := graphx.NewBudget(tc.n, tc.per)
				if tc.pause > 0 {
					b.Pause(tc.pause)
				}
				start := time.Now()
				for range tc.writes {
					require.NoError(t, b.Wait(t.Context(), 1))
				}
				assert.InDelta(t, tc.want.Seconds(), time.Since(start).Seconds(), 0.011)
			})
		})
	}
}

func TestBudgetHonoursContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := graphx.NewBudget(1, time.Hour)
		require.NoError(t, b.Wait(t.Context(), 1))
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		assert.ErrorIs(t, b.Wait(ctx, 1), context.DeadlineExceeded)
	})
}
