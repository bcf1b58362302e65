package e2e

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/matching"
)

func guid(n byte) anchor.ObjectGUID {
	var b [16]byte
	b[0], b[15] = 0xe2, n
	return anchor.FromArray(b)
}

func popID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012x", i) }
func popDN(i int) string { return fmt.Sprintf("CN=User %d,OU=Synced,DC=corp,DC=example,DC=test", i) }

func adUser(n byte, name string, proxies ...string) matching.OnPrem {
	upn := name + "@contoso.example"
	return matching.OnPrem{DN: "CN=" + name + "," + scopeOU, Class: matching.ClassUser, ObjectGUID: guid(n), UserPrincipalName: upn,
		SAMAccountName: name, Enabled: true, DisplayName: name, ProxyAddresses: proxies}
}

func cloudOnly(id, name string, proxies ...string) matching.Cloud {
	upn := name + "@contoso.example"
	return matching.Cloud{ID: id, Class: matching.ClassUser, UserPrincipalName: upn, Mail: upn, DisplayName: name,
		UserType: "Member", ProxyAddresses: proxies}
}

// TestWorkflows runs every conversion method end to end: plan from live reads, predicted
// outcome, apply through graphx and the directory port, a sync cycle that shows the prediction
// happens, and (for reversible methods) undo.
func TestWorkflows(t *testing.T) {
	t.Parallel()
	prev := anchor.AnchorOf(guid(0x70))
	cases := []struct {
		name  string
		setup setup
		plan  func(in *conversion.Input) *conversion.Plan
		// after the apply and one sync cycle
		check func(t *testing.T, w *world)
		undo  func(t *testing.T, w *world) // after undo and one more cycle; nil: no undo
	}{
		{name: "soa (synced to cloud-only, §4c)", setup: setup{users: 3},
			plan: func(in *conversion.Input) *conversion.Plan {
				return conversion.PlanSOA(in, opts("user0@contoso.example"))
			},
			check: func(t *testing.T, w *world) {
				u := w.cloudUser(t, popID(0))
				require.NotNil(t, u.OnPremisesSyncBehavior)
				assert.True(t, u.OnPremisesSyncBehavior.IsCloudManaged)
				c := w.sim.Cycles()[len(w.sim.Cycles())-1]
				assert.Equal(t, matching.CloudManaged, c.Outcome(popDN(0)).Code, "AD no longer writes the user")
				assert.Equal(t, matching.Joined, c.Outcome(popDN(1)).Outcome, "others unaffected")
			},
			undo: func(t *testing.T, w *world) {
				u := w.cloudUser(t, popID(0))
				assert.Nil(t, u.OnPremisesSyncBehavior)
				require.NotNil(t, u.OnPremisesSyncEnabled)
				assert.True(t, *u.OnPremisesSyncEnabled, "AD took the user back")
			}},
		{name: "ou move (synced to cloud-only, §4a)", setup: setup{users: 3},
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts("user1@contoso.example") // Predict: matching.Evaluate verifies out-of-scope
				o.TargetOU, o.ClearImmutableID = parkedOU, true
				return conversion.PlanOUMove(in, o)
			},
			check: func(t *testing.T, w *world) {
				u := w.cloudUser(t, popID(1))
				assert.Empty(t, u.OnPremisesImmutableID)
				assert.False(t, u.OnPremisesSyncEnabled != nil && *u.OnPremisesSyncEnabled)
				_, err := w.dir.UserByDN(t.Context(), "CN=User 1,"+parkedOU)
				require.NoError(t, err, "the AD user is parked")
				c := w.sim.Cycles()[len(w.sim.Cycles())-1]
				assert.Equal(t, matching.OutOfScope, c.Outcome("CN=User 1,"+parkedOU).Outcome)
				assert.False(t, c.Deleted(popID(1)), "the restored user stays")
			}},
		{name: "tenant-wide (§4b)", setup: setup{users: 3, opts: []graphxtest.Option{graphxtest.WithDisablePeriod(time.Hour)}},
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts()
				o.Confirm = in.Tenant.ID
				return conversion.PlanTenantWide(in, o)
			},
			check: func(t *testing.T, w *world) {
				for i := range 3 {
					u := w.cloudUser(t, popID(i))
					require.NotNil(t, u.OnPremisesSyncEnabled)
					assert.False(t, *u.OnPremisesSyncEnabled)
				}
				_, pending := w.fake.DisablePending()
				assert.False(t, pending)
			}},
		{name: "hard match, existing AD user, proxies copied (§5 B)",
			setup: setup{users: 1,
				onprem: []matching.OnPrem{adUser(1, "ann", "SMTP:ann@contoso.example")},
				cloud:  []matching.Cloud{cloudOnly("c0000000-0000-4000-8000-000000000001", "ann", "SMTP:ann@contoso.example", "smtp:ann.alias@contoso.example")}},
			plan: func(in *conversion.Input) *conversion.Plan {
				return conversion.PlanHardMatch(in, opts("ann@contoso.example"))
			},
			check: func(t *testing.T, w *world) {
				c := w.sim.Cycles()[len(w.sim.Cycles())-1]
				assert.Equal(t, matching.HardMatch, c.Outcome("CN=ann,"+scopeOU).Outcome)
				u := w.cloudUser(t, "c0000000-0000-4000-8000-000000000001")
				assert.True(t, *u.OnPremisesSyncEnabled)
				assert.Contains(t, u.ProxyAddresses, "smtp:ann.alias@contoso.example", "the alias survives the takeover")
			}},
		{name: "hard match, AD user created (§5 B)",
			setup: setup{users: 1, cloud: []matching.Cloud{cloudOnly("c0000000-0000-4000-8000-000000000002", "bea", "SMTP:bea@contoso.example")}},
			plan: func(in *conversion.Input) *conversion.Plan {
				o := opts("bea@contoso.example")
				o.CreateOU = scopeOU
				return conversion.PlanHardMatch(in, o)
			},
			check: func(t *testing.T, w *world) {
				u := w.cloudUser(t, "c0000000-0000-4000-8000-000000000002")
				require.NotNil(t, u.OnPremisesSyncEnabled)
				assert.True(t, *u.OnPremisesSyncEnabled)
				assert.Len(t, w.onprem(t), 2)
			}},
		{name: "re-anchor (§5 C)",
			setup: setup{users: 1,
				onprem: []matching.OnPrem{adUser(3, "cy", "SMTP:cy@contoso.example")},
				cloud: []matching.Cloud{func() matching.Cloud {
					c := cloudOnly("c0000000-0000-4000-8000-000000000003", "cy", "SMTP:cy@contoso.example")
					c.ImmutableID = prev
					return c
				}()}},
			plan: func(in *conversion.Input) *conversion.Plan {
				return conversion.PlanReAnchor(in, opts("cy@contoso.example"))
			},
			check: func(t *testing.T, w *world) {
				ad, err := w.dir.User(t.Context(), guid(3))
				require.NoError(t, err)
				assert.Equal(t, guid(0x70), ad.ConsistencyGUID)
				c := w.sim.Cycles()[len(w.sim.Cycles())-1]
				assert.Equal(t, matching.HardMatch, c.Outcome("CN=cy,"+scopeOU).Outcome)
			},
			undo: func(t *testing.T, w *world) {
				ad, err := w.dir.User(t.Context(), guid(3))
				require.NoError(t, err)
				assert.True(t, ad.ConsistencyGUID.IsZero())
			}},
		{name: "soft match (§5 A)",
			setup: setup{users: 1,
				onprem: []matching.OnPrem{adUser(4, "dan", "SMTP:dan.old@contoso.example")},
				cloud:  []matching.Cloud{cloudOnly("c0000000-0000-4000-8000-000000000004", "dan", "SMTP:dan@contoso.example")}},
			plan: func(in *conversion.Input) *conversion.Plan {
				return conversion.PlanSoftMatch(in, opts("dan@contoso.example"))
			},
			check: func(t *testing.T, w *world) {
				c := w.sim.Cycles()[len(w.sim.Cycles())-1]
				assert.Equal(t, matching.SoftMatchSMTP, c.Outcome("CN=dan,"+scopeOU).Outcome)
				u := w.cloudUser(t, "c0000000-0000-4000-8000-000000000004")
				assert.True(t, *u.OnPremisesSyncEnabled)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t, tc.setup)
				plan := tc.plan(w.input(t))
				require.Empty(t, plan.Refused, "refusals")
				require.NotContains(t, plan.Notes, unverified, "outcomes verified by the engine")
				require.NotEmpty(t, plan.Changes)
				j := &conversion.MemJournal{}
				res, err := w.applier(j).Apply(t.Context(), plan)
				require.NoError(t, err)
				require.True(t, res.OK(), "apply: %v", res.Err())
				_, err = w.sim.Run(t.Context())
				require.NoError(t, err)
				tc.check(t, w)

				// Applying again writes nothing: every change is done.
				before := len(w.fake.Writes())
				res, err = w.applier(j).Apply(t.Context(), plan)
				require.NoError(t, err)
				assert.True(t, res.OK())
				assert.Len(t, w.fake.Writes(), before, "a second apply repeats no Graph write")

				if tc.undo == nil {
					return
				}
				res, err = w.applier(j).Undo(t.Context())
				require.NoError(t, err)
				require.True(t, res.OK(), "undo: %v", res.Err())
				_, err = w.sim.Run(t.Context())
				require.NoError(t, err)
				tc.undo(t, w)
			})
		})
	}
}
