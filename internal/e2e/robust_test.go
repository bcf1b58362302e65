package e2e

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/matching"
)

// requireOnce checks that every SOA subject got exactly one isCloudManaged write.
func requireOnce(t *testing.T, f *graphxtest.Fake, n int) {
	t.Helper()
	got := graphWrites(f)
	for i := range n {
		assert.Equal(t, 1, got[graphxtest.OpUpdateSyncBehavior+" "+popID(i)], "writes to %s", popID(i))
	}
	assert.Len(t, f.Writes(), n, "no other write")
}

// applyUntilDone applies, resolving a dirty journal, until the run is clean (at most 4 runs).
func applyUntilDone(t *testing.T, a *conversion.Applier, plan *conversion.Plan) *conversion.Result {
	t.Helper()
	var res *conversion.Result
	for range 4 {
		var err error
		res, err = a.Apply(t.Context(), plan)
		if errors.Is(err, conversion.ErrDirty) {
			_, err = a.Resolve(t.Context())
			require.NoError(t, err)
			continue
		}
		require.NoError(t, err)
		if res.OK() {
			return res
		}
	}
	require.True(t, res.OK(), "apply: %v", res.Err())
	return res
}

// TestGraphFaults applies an SOA plan while Graph throttles, fails and drops connections: every
// user ends converted, with exactly one accepted write each.
func TestGraphFaults(t *testing.T) {
	t.Parallel()
	const n = 12
	cases := []struct {
		name  string
		fault graphxtest.InterceptFunc
	}{
		{"429 storm", graphxtest.FailTimes(graphxtest.OpUpdateSyncBehavior, 30, graphxtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})},
		{"503 with Retry-After", graphxtest.FailTimes(graphxtest.OpUpdateSyncBehavior, 10, graphxtest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Second})},
		{"500 on writes", graphxtest.FailTimes(graphxtest.OpUpdateSyncBehavior, 5, graphxtest.Fault{Status: http.StatusInternalServerError})},
		{"dropped connections on writes", graphxtest.FailTimes(graphxtest.OpUpdateSyncBehavior, 5, graphxtest.Fault{Drop: true})},
		{"dropped connections on reads", graphxtest.FailTimes(graphxtest.OpGetUser, 5, graphxtest.Fault{Drop: true})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t, setup{users: n})
				plan := conversion.PlanSOA(w.input(t), opts())
				require.Len(t, plan.Changes, n)
				w.fake.AddInterceptor(tc.fault)
				a := w.applier(&conversion.MemJournal{})
				applyUntilDone(t, a, plan)
				requireOnce(t, w.fake, n)
				c, err := w.sim.Run(t.Context())
				require.NoError(t, err)
				for i := range n {
					assert.Equal(t, matching.CloudManaged, c.Outcome(popDN(i)).Code)
				}
			})
		})
	}
}

// TestStalePlan changes a target between plan and apply: that change is refused as stale and
// nothing is written to it; the others go ahead.
func TestStalePlan(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, setup{users: 3})
		plan := conversion.PlanSOA(w.input(t), opts())
		w.fake.SetCloudManagedState(popID(1), true) // another admin converted user1 meanwhile
		res, err := w.applier(&conversion.MemJournal{}).Apply(t.Context(), plan)
		require.NoError(t, err)
		require.ErrorIs(t, res.Err(), conversion.ErrStalePlan)
		got := graphWrites(w.fake)
		assert.Equal(t, 0, got[graphxtest.OpUpdateSyncBehavior+" "+popID(1)])
		assert.Equal(t, 1, got[graphxtest.OpUpdateSyncBehavior+" "+popID(0)])
		assert.Equal(t, 1, got[graphxtest.OpUpdateSyncBehavior+" "+popID(2)])
	})
}

// killJournal SIGKILLs its own process after k appended entries (the crash of the child).
type killJournal struct {
	conversion.Journal
	left atomic.Int64
}

func (j *killJournal) Append(e conversion.Entry) error {
	if err := j.Journal.Append(e); err != nil {
		return err
	}
	if j.left.Add(-1) == 0 {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	return nil
}

// TestCrashResume runs the apply in a child process (this test binary re-executed) that is
// killed with SIGKILL after k journal entries, then resumes in this process from the journal
// file: every write is applied exactly once.
func TestCrashResume(t *testing.T) {
	if os.Getenv("E2E_CHILD") == "1" {
		crashChild(t)
		return
	}
	t.Parallel()
	const n = 10
	for _, k := range []int{1, 2, 7, 12} {
		t.Run(fmt.Sprintf("killed after %d entries", k), func(t *testing.T) {
			t.Parallel()
			tenant, onprem, cloud := conversiontest.Population(n, time.Now())
			srv := graphxtest.NewServer(t, graphxtest.WithSeed(seedOf(tenant, cloud)))
			client, err := graphx.New(graphx.StaticToken("e2e"), graphx.WithBaseURL(srv.URL), graphx.WithWriteBudget(0, 0),
				graphx.WithHTTPClient(&http.Client{Transport: http.DefaultTransport}))
			require.NoError(t, err)
			s, err := client.Snapshot(t.Context())
			require.NoError(t, err)
			recs, err := s.Cloud()
			require.NoError(t, err)
			plan := conversion.PlanSOA(&conversion.Input{Tenant: s.Tenant(), Cloud: recs, OnPrem: onprem}, opts())
			require.Len(t, plan.Changes, n)
			dir := t.TempDir()
			planFile, journalFile := filepath.Join(dir, "plan.json"), filepath.Join(dir, "journal")
			f, err := os.Create(planFile)
			require.NoError(t, err)
			require.NoError(t, plan.WriteJSON(f))
			require.NoError(t, f.Close())

			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrashResume$")
			cmd.Env = append(os.Environ(), "E2E_CHILD=1", "E2E_URL="+srv.URL, "E2E_PLAN="+planFile,
				"E2E_JOURNAL="+journalFile, "E2E_KILL_AFTER="+strconv.Itoa(k))
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, "child output: %s", out)
			require.Equal(t, syscall.SIGKILL, ee.Sys().(syscall.WaitStatus).Signal(), "child output: %s", out)
			before := len(srv.Writes())
			assert.Less(t, before, n, "the child was killed mid-apply")

			j, err := conversion.OpenJournal(journalFile)
			require.NoError(t, err)
			defer j.Close()
			a := &conversion.Applier{Directory: conversiontest.NewDirectory(onprem...), Tenant: client.Tenant(), Journal: j}
			applyUntilDone(t, a, plan)
			requireOnce(t, srv.Fake, n)
		})
	}
}

func crashChild(t *testing.T) {
	k, _ := strconv.Atoi(os.Getenv("E2E_KILL_AFTER"))
	client, err := graphx.New(graphx.StaticToken("e2e"), graphx.WithBaseURL(os.Getenv("E2E_URL")), graphx.WithWriteBudget(0, 0),
		graphx.WithHTTPClient(&http.Client{Transport: http.DefaultTransport}))
	require.NoError(t, err)
	f, err := os.Open(os.Getenv("E2E_PLAN"))
	require.NoError(t, err)
	plan, err := conversion.ReadPlan(f)
	require.NoError(t, err)
	j, err := conversion.OpenJournal(os.Getenv("E2E_JOURNAL"))
	require.NoError(t, err)
	kj := &killJournal{Journal: j}
	kj.left.Store(int64(k))
	a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: client.Tenant(), Journal: kj, Concurrency: 1}
	_, err = a.Apply(t.Context(), plan)
	t.Fatalf("child was not killed: %v", err)
}

// TestRoleRecheckThroughGraph: a role assigned after the plan was made is seen at apply time
// through graphx (GET roleAssignments filtered on the user) and the user is refused; the others
// are converted, and allowing role holders converts the last one.
func TestRoleRecheckThroughGraph(t *testing.T) {
	t.Parallel()
	w := newWorld(t, setup{users: 3, edit: func(ten *matching.TenantState) {
		ten.Roles = []matching.RoleAssignment{{ID: "ra-1", PrincipalID: popID(1), RoleDefinitionID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DirectoryScopeID: "/"}}
	}})
	in := w.input(t)
	in.Tenant.Roles = nil // the plan was made before the role was assigned
	plan := conversion.PlanSOA(in, opts())
	require.Len(t, plan.Changes, 3)
	j := &conversion.MemJournal{}
	res, err := w.applier(j).Apply(t.Context(), plan)
	require.NoError(t, err)
	require.ErrorIs(t, res.Err(), conversion.ErrRoleHolder)
	var re *conversion.RoleError
	require.ErrorAs(t, res.Err(), &re)
	assert.Equal(t, popID(1), re.UserID)
	assert.Equal(t, 2, res.Count(conversion.StatusApplied))
	assert.Zero(t, graphWrites(w.fake)[graphxtest.OpUpdateSyncBehavior+" "+popID(1)])

	a := w.applier(j)
	a.AllowRoles = true
	res, err = a.Apply(t.Context(), plan)
	require.NoError(t, err)
	require.True(t, res.OK(), res.Err())
	requireOnce(t, w.fake, 3)
}
