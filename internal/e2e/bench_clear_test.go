package e2e

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx/graphxtest"
)

// TestBenchClearOnPrem is the clean-up figure (scripts/bench-convert): the on-premises attributes
// of N users (default 10,000) that left sync cleared against the fake tenant at 200 Graph
// writes/s (one beta PATCH per user) with a file journal, then the same with a run cancelled
// after a third of the writes and resumed: zero lost or repeated writes. It runs only with
// HYBRIDID_BENCH_CONVERT=1 and takes about 2 × N/200 s.
func TestBenchClearOnPrem(t *testing.T) {
	n := benchUsers(t)
	const rate = 200.0
	tenant, _, cloud := conversiontest.Population(n, time.Now())
	for i := range cloud {
		off := false
		cloud[i].SyncEnabled = &off // restored earlier: cloud-only, on-premises attributes kept
	}
	seed := seedOf(tenant, cloud)
	plan := conversion.PlanClearOnPrem(&conversion.Input{Tenant: tenant, Cloud: cloud}, &conversion.Options{CreatedAt: time.Now()})
	require.Len(t, plan.Changes, n)

	run := func(t *testing.T, name string, cancelAfter int64) (time.Duration, time.Duration, *graphxtest.Fake) {
		fake, client := benchTenant(t, seed)
		for i, c := range cloud {
			fake.SetObjectIdentifier(c.ID, popID(i))
		}
		apply := func(ctx context.Context) (*conversion.Result, error) {
			j, err := conversion.OpenJournal(name)
			if err != nil {
				return nil, err
			}
			defer j.Close()
			a := &conversion.Applier{Tenant: client.Tenant(), Journal: j, Concurrency: 16, GraphWritesPerSecond: rate}
			return applyResolving(ctx, a, plan)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		cancelAfterOp(fake, graphxtest.OpUpdateOnPremAttributes, cancelAfter, cancel)
		start := time.Now()
		res, err := apply(ctx)
		first := time.Since(start)
		if cancelAfter == 0 {
			require.NoError(t, err)
			require.True(t, res.OK(), "%v", res.Err())
			return first, 0, fake
		}
		start = time.Now()
		res, err = apply(t.Context())
		require.NoError(t, err)
		require.True(t, res.OK(), "%v", res.Err())
		return first, time.Since(start), fake
	}
	target := time.Duration(float64(n) / rate * float64(time.Second))

	d, _, fake := run(t, filepath.Join(t.TempDir(), "journal"), 0)
	assert.Len(t, fake.Writes(), n)
	t.Logf("clear-onprem users=%d rate=%.0f/s target=%s file-journal=%s (%.1f%% off target)",
		n, rate, target, d.Round(time.Millisecond), 100*(d.Seconds()-target.Seconds())/target.Seconds())

	first, second, fake := run(t, filepath.Join(t.TempDir(), "journal"), int64(n/3))
	counts := graphWrites(fake)
	lost, repeated := 0, 0
	for i := range n {
		switch c := counts[graphxtest.OpUpdateOnPremAttributes+" "+popID(i)]; {
		case c == 0:
			lost++
		case c > 1:
			repeated++
		}
	}
	assert.Zero(t, lost)
	assert.Zero(t, repeated)
	for i := range n {
		if v := fake.ObjectIdentifier(popID(i)); v != "" {
			t.Errorf("user %d keeps onPremisesObjectIdentifier %s", i, v)
			break
		}
	}
	t.Logf("clear-onprem kill-and-resume: first run %s, resumed run %s, total %s, lost=%d repeated=%d",
		first.Round(time.Millisecond), second.Round(time.Millisecond), (first + second).Round(time.Millisecond), lost, repeated)
}
