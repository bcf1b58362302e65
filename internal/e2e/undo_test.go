package e2e

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/internal/syncsim"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// undoFailures returns, per action, the error of every undo change that did not succeed.
func undoFailures(res *conversion.Result) map[conversion.Action]error {
	m := map[conversion.Action]error{}
	for _, c := range res.Changes {
		switch c.Status {
		case conversion.StatusApplied, conversion.StatusAlready, conversion.StatusDone:
		default:
			m[c.Action] = errors.Join(m[c.Action], c.Err, errors.New(string(c.Status)))
		}
	}
	return m
}

type syncCycle = syncsim.Cycle

// isSynced reports whether AD manages the cloud user (onPremisesSyncEnabled true).
func isSynced(u snapshot.User) bool {
	return u.OnPremisesSyncEnabled != nil && *u.OnPremisesSyncEnabled
}

// predicted returns the engine's result for the on-premises object dn.
func predicted(rep *matching.Report, dn string) matching.ObjectResult {
	for _, r := range rep.Objects {
		if r.Side == matching.SideOnPrem && r.DN == dn {
			return r
		}
	}
	return matching.ObjectResult{}
}

const (
	annID = "c0000000-0000-4000-8000-000000000011"
	beaID = "c0000000-0000-4000-8000-000000000012"
	danID = "c0000000-0000-4000-8000-000000000014"
)

// TestUndo undoes every method where undo means something, at the two moments that differ: before
// the sync cycle has acted on the change (the world goes back to where it was, and the next cycle
// does what it would have done without the conversion) and after it has (what undo can and
// cannot take back). Irreversible steps (create-user, restore-user: this project never deletes)
// are reported as ErrIrreversible and the rest is still undone.
func TestUndo(t *testing.T) {
	t.Parallel()
	// ann's AD primary address differs from the cloud one: without the hard match, sync does
	// not match them (so undoing it before a cycle is observable).
	annSetup := func() setup {
		return setup{users: 1,
			onprem: []matching.OnPrem{adUser(0x11, "ann", "SMTP:ann@corp.example")},
			cloud:  []matching.Cloud{cloudOnly(annID, "ann", "SMTP:ann@contoso.example", "smtp:ann.alias@contoso.example")}}
	}
	danSetup := func() setup {
		return setup{users: 1,
			onprem: []matching.OnPrem{adUser(0x14, "dan", "SMTP:dan.old@contoso.example")},
			cloud:  []matching.Cloud{cloudOnly(danID, "dan", "SMTP:dan@contoso.example")}}
	}
	hardMatch := func(in *conversion.Input) *conversion.Plan {
		return conversion.PlanHardMatch(in, opts("ann@contoso.example"))
	}
	softMatch := func(in *conversion.Input) *conversion.Plan {
		return conversion.PlanSoftMatch(in, opts("dan@contoso.example"))
	}
	annDN, danDN := "CN=ann,"+scopeOU, "CN=dan,"+scopeOU
	cases := []struct {
		name  string
		setup setup
		plan  func(in *conversion.Input) *conversion.Plan
		// cycle runs a sync cycle between apply and undo.
		cycle bool
		// check runs after the undo and one more cycle; before is the engine's prediction for
		// the world before the plan was applied, last the cycle after the undo.
		check func(t *testing.T, w *world, res *conversion.Result, before *matching.Report, last *syncCycle)
	}{
		{name: "hard match, existing AD user, undone before a cycle", setup: annSetup(), plan: hardMatch,
			check: func(t *testing.T, w *world, res *conversion.Result, before *matching.Report, last *syncCycle) {
				require.NoError(t, res.Err())
				ad, err := w.dir.User(t.Context(), guid(0x11))
				require.NoError(t, err)
				assert.Equal(t, []string{"SMTP:ann@corp.example"}, ad.ProxyAddresses, "the copied addresses are removed")
				u := w.cloudUser(t, annID)
				assert.Empty(t, u.OnPremisesImmutableID, "the stamped anchor is cleared")
				got := graphWrites(w.fake)
				assert.Equal(t, 2, got[graphxtest.OpUpdateUser+" "+annID], "stamp, then clear")
				want := predicted(before, annDN)
				assert.NotEqual(t, matching.HardMatch, want.Outcome)
				assert.Equal(t, want.Outcome, last.Outcome(annDN).Outcome, "sync does what it would have done without the conversion")
				assert.False(t, isSynced(w.cloudUser(t, annID)), "the cloud user stays cloud-only")
			}},
		{name: "hard match, existing AD user, undone after the takeover", setup: annSetup(), plan: hardMatch, cycle: true,
			check: func(t *testing.T, w *world, res *conversion.Result, _ *matching.Report, last *syncCycle) {
				// The cloud user is synced now: Graph refuses to clear its onPremisesImmutableId
				// (docs/entra-rules.md §4c/§4d: only SOA or an OU move make it cloud-only again). The AD
				// side is still put back.
				f := undoFailures(res)
				require.ErrorIs(t, f[conversion.ClearImmutableID], conversion.ErrReadOnly, "%v", res.Err())
				assert.NotContains(t, f, conversion.SetProxyAddresses)
				ad, err := w.dir.User(t.Context(), guid(0x11))
				require.NoError(t, err)
				assert.Equal(t, []string{"SMTP:ann@corp.example"}, ad.ProxyAddresses)
				assert.Equal(t, annID, last.Outcome(annDN).CloudID, "the join is not undone")
				assert.True(t, isSynced(w.cloudUser(t, annID)))
			}},
		{name: "hard match, AD user created, undone before a cycle",
			setup: setup{users: 1, cloud: []matching.Cloud{cloudOnly(beaID, "bea", "SMTP:bea@contoso.example")}},
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts("bea@contoso.example")
				o.CreateOU = scopeOU
				return conversion.PlanHardMatch(in, o)
			},
			check: func(t *testing.T, w *world, res *conversion.Result, _ *matching.Report, last *syncCycle) {
				// The created AD user is not deleted (create-user is irreversible); the stamp on
				// the cloud user is cleared (stamp, then clear: two Graph writes).
				f := undoFailures(res)
				require.ErrorIs(t, f[conversion.CreateUser], conversion.ErrIrreversible, "%v", res.Err())
				assert.Len(t, f, 1, "only create-user is not undone: %v", res.Err())
				assert.Equal(t, 2, graphWrites(w.fake)[graphxtest.OpUpdateUser+" "+beaID])
				dn := "CN=bea," + scopeOU
				_, err := w.dir.UserByDN(t.Context(), dn)
				require.NoError(t, err, "the created AD user stays")
				// So the next cycle still matches it (on its address) onto the cloud user: the
				// operator must delete it or move it out of scope before a cycle runs.
				a := last.Outcome(dn)
				assert.Equal(t, beaID, a.CloudID)
				assert.Equal(t, matching.SoftMatchSMTP, a.Outcome)
			}},
		{name: "soft match, undone before a cycle", setup: danSetup(), plan: softMatch,
			check: func(t *testing.T, w *world, res *conversion.Result, before *matching.Report, last *syncCycle) {
				require.NoError(t, res.Err())
				ad, err := w.dir.User(t.Context(), guid(0x14))
				require.NoError(t, err)
				assert.Equal(t, []string{"SMTP:dan.old@contoso.example"}, ad.ProxyAddresses)
				want := predicted(before, danDN)
				assert.NotEqual(t, matching.SoftMatchSMTP, want.Outcome)
				assert.Equal(t, want.Outcome, last.Outcome(danDN).Outcome)
				assert.False(t, isSynced(w.cloudUser(t, danID)))
			}},
		{name: "soft match, undone after the takeover", setup: danSetup(), plan: softMatch, cycle: true,
			check: func(t *testing.T, w *world, res *conversion.Result, _ *matching.Report, last *syncCycle) {
				// Soft match writes AD only: undo puts the addresses back, but the join made by
				// the cycle stays, and the next cycle exports the old addresses.
				require.NoError(t, res.Err())
				assert.Equal(t, matching.Joined, last.Outcome(danDN).Outcome)
				u := w.cloudUser(t, danID)
				assert.True(t, isSynced(u))
				assert.Equal(t, []string{"SMTP:dan.old@contoso.example"}, u.ProxyAddresses)
			}},
		{name: "ou move, undone", setup: setup{users: 3}, cycle: true,
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts("user1@contoso.example")
				o.TargetOU, o.ClearImmutableID = parkedOU, true
				return conversion.PlanOUMove(in, o)
			},
			check: func(t *testing.T, w *world, res *conversion.Result, _ *matching.Report, last *syncCycle) {
				// restore-user cannot be undone (the user is not deleted again); the ImmutableID
				// comes back and the AD user returns to the synced OU, so the next cycle takes
				// the restored cloud user back.
				f := undoFailures(res)
				require.ErrorIs(t, f[conversion.RestoreUser], conversion.ErrIrreversible, "%v", res.Err())
				assert.Len(t, f, 1, "only restore-user is not undone: %v", res.Err())
				_, err := w.dir.UserByDN(t.Context(), popDN(1))
				require.NoError(t, err, "the AD user is back in the synced OU")
				a := last.Outcome(popDN(1))
				assert.Contains(t, []matching.Outcome{matching.Joined, matching.HardMatch}, a.Outcome)
				assert.Equal(t, popID(1), a.CloudID)
				u := w.cloudUser(t, popID(1))
				assert.True(t, isSynced(u))
				assert.NotEmpty(t, u.OnPremisesImmutableID)
			}},
		{name: "tenant-wide, undone after the disable completed",
			setup: setup{users: 2, opts: []graphxtest.Option{graphxtest.WithDisablePeriod(time.Hour)}}, cycle: true,
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts()
				o.Confirm = in.Tenant.ID
				return conversion.PlanTenantWide(in, o)
			},
			check: func(t *testing.T, w *world, res *conversion.Result, _ *matching.Report, last *syncCycle) {
				require.NoError(t, res.Err())
				snap := w.fake.Snapshot()
				org := snap.Tenant()
				require.NotNil(t, org.SyncEnabled)
				assert.True(t, *org.SyncEnabled, "directory synchronization is on again")
				for i := range 2 {
					assert.Equal(t, popID(i), last.Outcome(popDN(i)).CloudID)
					assert.True(t, isSynced(w.cloudUser(t, popID(i))), "AD manages user %d again", i)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t, tc.setup)
				in := w.input(t)
				before := matching.Evaluate(in.Config, in.Tenant, in.OnPrem, in.Cloud)
				plan := tc.plan(in)
				require.Empty(t, plan.Refused, "refusals")
				require.NotEmpty(t, plan.Changes)
				j := &conversion.MemJournal{}
				res, err := w.applier(j).Apply(t.Context(), plan)
				require.NoError(t, err)
				require.True(t, res.OK(), "apply: %v", res.Err())
				if tc.cycle {
					_, err = w.sim.Run(t.Context())
					require.NoError(t, err)
				}
				res, err = w.applier(j).Undo(t.Context())
				require.NoError(t, err)
				last, err := w.sim.Run(t.Context())
				require.NoError(t, err)
				tc.check(t, w, res, before, last)
			})
		})
	}
}
