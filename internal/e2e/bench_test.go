package e2e

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// benchUsers skips a conversion benchmark unless HYBRIDID_BENCH_CONVERT=1 (scripts/bench-convert)
// and returns its number of users: HYBRIDID_BENCH_USERS, 10,000 by default.
func benchUsers(t *testing.T) int {
	t.Helper()
	if os.Getenv("HYBRIDID_BENCH_CONVERT") != "1" {
		t.Skip("set HYBRIDID_BENCH_CONVERT=1 (scripts/bench-convert)")
	}
	if v, err := strconv.Atoi(os.Getenv("HYBRIDID_BENCH_USERS")); err == nil && v > 0 {
		return v
	}
	return 10000
}

// benchTenant starts a fake tenant seeded with seed and a graphx client on it, without graphx's
// own write budget (the fake enforces the benchmark's).
func benchTenant(t *testing.T, seed *snapshot.Snapshot) (*graphxtest.Fake, *graphx.Client) {
	t.Helper()
	fake, err := graphxtest.New(graphxtest.WithSeed(seed))
	require.NoError(t, err)
	client, err := graphx.New(graphx.StaticToken("bench"), graphx.WithBaseURL("http://localhost/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}), graphx.WithWriteBudget(0, 0))
	require.NoError(t, err)
	return fake, client
}

// TestBenchConvert is the conversion throughput figure (scripts/bench-convert): N users (default
// 10,000) converted by SOA against the fake tenant at 200 Graph writes/s, with an in-memory
// journal, with a file journal (fsync per entry), and with a run cancelled after a third of
// the writes and resumed from the file journal. It runs only with HYBRIDID_BENCH_CONVERT=1
// and takes about 3 × N/200 s.
func TestBenchConvert(t *testing.T) {
	n := benchUsers(t)
	const rate = 200.0
	tenant, onprem, cloud := conversiontest.Population(n, time.Now())
	seed := seedOf(tenant, cloud)
	run := func(t *testing.T, j conversion.Journal, cancelAfter int64) (time.Duration, *graphxtest.Fake, *conversion.Plan, func(context.Context, conversion.Journal) (*conversion.Result, error)) {
		fake, client := benchTenant(t, seed)
		s, err := client.Snapshot(t.Context())
		require.NoError(t, err)
		recs, err := s.Cloud()
		require.NoError(t, err)
		plan := conversion.PlanSOA(&conversion.Input{Tenant: s.Tenant(), Cloud: recs, OnPrem: onprem}, opts())
		require.Len(t, plan.Changes, n)
		apply := func(ctx context.Context, j conversion.Journal) (*conversion.Result, error) {
			a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: client.Tenant(), Journal: j,
				Concurrency: 16, GraphWritesPerSecond: rate}
			return applyResolving(ctx, a, plan)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		cancelAfterOp(fake, graphxtest.OpUpdateSyncBehavior, cancelAfter, cancel)
		start := time.Now()
		res, err := apply(ctx, j)
		d := time.Since(start)
		if cancelAfter == 0 {
			require.NoError(t, err)
			require.True(t, res.OK(), "%v", res.Err())
		}
		return d, fake, plan, apply
	}
	target := time.Duration(float64(n) / rate * float64(time.Second))

	mem, fake, _, _ := run(t, &conversion.MemJournal{}, 0)
	assert.Len(t, fake.Writes(), n)
	fj, err := conversion.OpenJournal(filepath.Join(t.TempDir(), "journal"))
	require.NoError(t, err)
	file, fake, _, _ := run(t, fj, 0)
	fj.Close()
	assert.Len(t, fake.Writes(), n)
	t.Logf("users=%d rate=%.0f/s target=%s mem-journal=%s (%.1f%% off target) file-journal=%s overhead=%.2f%%",
		n, rate, target, mem.Round(time.Millisecond), 100*(mem.Seconds()-target.Seconds())/target.Seconds(),
		file.Round(time.Millisecond), 100*(file.Seconds()-mem.Seconds())/mem.Seconds())

	// Kill (cancel) after a third of the writes, then resume from the file journal.
	name := filepath.Join(t.TempDir(), "journal")
	kj, err := conversion.OpenJournal(name)
	require.NoError(t, err)
	first, fake, _, apply := run(t, kj, int64(n/3))
	kj.Close()
	done := len(fake.Writes())
	kj, err = conversion.OpenJournal(name)
	require.NoError(t, err)
	defer kj.Close()
	start := time.Now()
	res, err := apply(t.Context(), kj)
	require.NoError(t, err)
	require.True(t, res.OK(), "%v", res.Err())
	second := time.Since(start)
	counts := graphWrites(fake)
	lost, repeated := 0, 0
	for i := range n {
		switch c := counts[graphxtest.OpUpdateSyncBehavior+" "+popID(i)]; {
		case c == 0:
			lost++
		case c > 1:
			repeated++
		}
	}
	assert.Zero(t, lost)
	assert.Zero(t, repeated)
	t.Logf("kill-and-resume: %d writes before the cancel (%s), %d after resume (%s), lost=%d repeated=%d",
		done, first.Round(time.Millisecond), len(fake.Writes())-done, second.Round(time.Millisecond), lost, repeated)
}

// applyResolving applies plan with a; a run that finds the journal dirty (resuming after a
// cancelled run) resolves the changes in flight first and applies again.
func applyResolving(ctx context.Context, a *conversion.Applier, plan *conversion.Plan) (*conversion.Result, error) {
	res, err := a.Apply(ctx, plan)
	if errors.Is(err, conversion.ErrDirty) {
		if _, err := a.Resolve(ctx); err != nil {
			return nil, err
		}
		res, err = a.Apply(ctx, plan)
	}
	return res, err
}

// cancelAfterOp calls cancel when the fake receives its n-th request of op (never when n is 0),
// as a kill in the middle of a run would.
func cancelAfterOp(fake *graphxtest.Fake, op string, n int64, cancel context.CancelFunc) {
	if n <= 0 {
		return
	}
	var seen atomic.Int64
	fake.AddInterceptor(func(o, _ string) *graphxtest.Fault {
		if o == op && seen.Add(1) == n {
			cancel()
		}
		return nil
	})
}
