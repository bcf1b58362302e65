package conversion_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

const staleObjectID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

// bypassInput: two cloud-only users, the first still carrying onPremisesObjectIdentifier.
func bypassInput() *conversion.Input {
	ten, on, cl := cloudOnly(2)
	ten.Known = matching.KnownObjectIdentifier | matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers | matching.KnownBypassFlag
	cl[0].OnPremisesObjectIdentifier = staleObjectID
	return &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
}

func bypassValue(t *testing.T, ft *conversiontest.Tenant) bool {
	t.Helper()
	org, err := ft.Organization(t.Context())
	require.NoError(t, err)
	return org.Features.AllowObjectIdentifierUpdate
}

func TestPlanHardeningBypass(t *testing.T) {
	t.Parallel()
	in := bypassInput()
	t.Run("without the bypass the user is refused", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0})
		assert.Equal(t, conversion.RefuseObjectIdentifier, refusalCodes(p)["user0@contoso.example"])
	})
	t.Run("the bypass needs the tenant id", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, AllowHardeningBypass: true, Confirm: "other"})
		assert.Empty(t, p.Changes)
		require.Len(t, p.Refused, 1)
		assert.Equal(t, conversion.RefuseConfirm, p.Refused[0].Code)
		assert.Contains(t, p.Refused[0].Fix, in.Tenant.ID)
	})
	t.Run("enable first, revert last", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, AllowHardeningBypass: true, Confirm: in.Tenant.ID})
		require.Empty(t, p.Refused)
		require.NoError(t, p.Validate())
		n := len(p.Changes)
		require.Greater(t, n, 3)
		assert.Equal(t, conversion.SetHardeningBypass, p.Changes[0].Action)
		assert.Equal(t, conversion.Bool(true), p.Changes[0].After)
		assert.Equal(t, conversion.WaitHardMatch, p.Changes[n-2].Action)
		assert.Equal(t, conversion.SetHardeningBypass, p.Changes[n-1].Action)
		assert.Equal(t, conversion.Bool(false), p.Changes[n-1].After)
		assert.Equal(t, "c0001", p.Changes[0].ID)
	})
	t.Run("privileged users stay refused", func(t *testing.T) {
		t.Parallel()
		in2 := *in
		in2.Tenant.RoleDefinitions = []matching.RoleDefinition{{ID: globalAdmin, DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true}}
		in2.Tenant.Eligibilities = []matching.RoleAssignment{{ID: "elig-1", PrincipalID: in.Cloud[0].ID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"}}
		p := conversion.PlanHardMatch(&in2, &conversion.Options{CreatedAt: t0, AllowHardeningBypass: true, Confirm: in.Tenant.ID, AllowRoles: true})
		assert.Equal(t, conversion.EngineRefusal(matching.InvalidHardMatch), refusalCodes(p)["user0@contoso.example"])
		for _, r := range p.Refused {
			if r.Subject == in.Cloud[0].ID {
				assert.Contains(t, r.Fix, `PIM eligibility "elig-1"`)
			}
		}
	})
}

// TestHardeningBypassExitPaths: the bypass ends off whatever happens: the users are matched, the
// window ends, the run is cancelled, the revert fails and resolve or undo finishes it.
func TestHardeningBypassExitPaths(t *testing.T) {
	t.Parallel()
	type world struct {
		ft  *conversiontest.Tenant
		dir *conversiontest.Directory
		p   *conversion.Plan
	}
	setup := func(t *testing.T) world {
		in := bypassInput()
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, AllowHardeningBypass: true, Confirm: in.Tenant.ID})
		require.Empty(t, p.Refused)
		ft := conversiontest.NewTenant(in.Tenant, in.Cloud...)
		return world{ft: ft, dir: conversiontest.NewDirectory(in.OnPrem...), p: p}
	}
	matchAll := func(w world) *conversiontest.Sync {
		return &conversiontest.Sync{OnDelta: func(context.Context) error {
			for _, c := range w.p.Changes {
				if c.Subject != "" {
					_ = w.ft.Match(c.Subject)
				}
			}
			return nil
		}}
	}
	t.Run("matched", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			w := setup(t)
			j := &conversion.MemJournal{}
			a := &conversion.Applier{Directory: w.dir, Tenant: w.ft, Sync: matchAll(w), Journal: j, PollInterval: time.Second}
			res, err := a.Apply(t.Context(), w.p)
			require.NoError(t, err)
			require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
			assert.False(t, bypassValue(t, w.ft))
			entries, _ := j.Entries()
			assert.False(t, conversion.BypassLeftOn(entries).On)
			var ops []bool
			for _, wr := range w.ft.Writes() {
				if wr.Op == "SetHardeningBypass" {
					b, _ := wr.New.Bool()
					ops = append(ops, b)
				}
			}
			assert.Equal(t, []bool{true, false}, ops)

			// Undo never turns the bypass on again.
			ures, err := a.Undo(t.Context())
			require.NoError(t, err)
			for _, c := range ures.Changes {
				assert.NotEqual(t, conversion.SetHardeningBypass, c.Action, c.ID)
			}
			assert.False(t, bypassValue(t, w.ft))
		})
	})
	t.Run("window ends", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			w := setup(t)
			a := &conversion.Applier{Directory: w.dir, Tenant: w.ft, Sync: &conversiontest.Sync{}, Journal: &conversion.MemJournal{},
				PollInterval: time.Minute, BypassWindow: 10 * time.Minute}
			res, err := a.Apply(t.Context(), w.p)
			require.NoError(t, err)
			assert.False(t, res.OK())
			assert.ErrorIs(t, res.Err(), conversion.ErrWaitTimeout)
			assert.Equal(t, conversion.StatusApplied, res.Changes[len(res.Changes)-1].Status)
			assert.False(t, bypassValue(t, w.ft))
		})
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			w := setup(t)
			ctx, cancel := context.WithCancel(t.Context())
			sync := &conversiontest.Sync{OnDelta: func(context.Context) error { cancel(); return nil }}
			a := &conversion.Applier{Directory: w.dir, Tenant: w.ft, Sync: sync, Journal: &conversion.MemJournal{}, PollInterval: time.Minute}
			res, err := a.Apply(ctx, w.p)
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, conversion.StatusApplied, res.Changes[len(res.Changes)-1].Status)
			assert.False(t, bypassValue(t, w.ft))
		})
	})
	t.Run("revert fails, resolve turns it off", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			w := setup(t)
			fail := true
			w.ft.SetFuncs(w.ft.EveryWrite(conversiontest.Before(func(_ context.Context, op, _ string) error {
				if op == "SetHardeningBypass" && fail {
					if org, _ := w.ft.Organization(context.Background()); org.Features.AllowObjectIdentifierUpdate {
						return errors.New("forbidden: " + conversion.ErrForbidden.Error())
					}
				}
				return nil
			})))
			j := &conversion.MemJournal{}
			a := &conversion.Applier{Directory: w.dir, Tenant: w.ft, Sync: matchAll(w), Journal: j, PollInterval: time.Second}
			res, err := a.Apply(t.Context(), w.p)
			require.NoError(t, err)
			assert.False(t, res.OK())
			assert.True(t, bypassValue(t, w.ft))
			entries, _ := j.Entries()
			st := conversion.BypassLeftOn(entries)
			require.True(t, st.On)
			assert.Contains(t, st.Warning(), "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled ON")

			fail = false
			_, err = a.Resolve(t.Context())
			require.NoError(t, err)
			assert.False(t, bypassValue(t, w.ft))
			entries, _ = j.Entries()
			assert.False(t, conversion.BypassLeftOn(entries).On)
		})
	})
}

// TestHardeningBypassResume: a run killed after the enable turns the bypass off on its way
// out; the resumed run does not turn it on again: the users it would need are refused and the
// wait fails with the fix, and the bypass stays off.
func TestHardeningBypassResume(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		in := bypassInput()
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, AllowHardeningBypass: true, Confirm: in.Tenant.ID})
		ft := conversiontest.NewTenant(in.Tenant, in.Cloud...)
		dir := conversiontest.NewDirectory(in.OnPrem...)
		ctx, cancel := context.WithCancel(t.Context())
		ft.SetFuncs(ft.EveryWrite(conversiontest.After(func(_ context.Context, op, _ string) error {
			if op == "SetHardeningBypass" {
				cancel()
			}
			return nil
		})))
		j := &conversion.MemJournal{}
		a := &conversion.Applier{Directory: dir, Tenant: ft, Sync: &conversiontest.Sync{}, Journal: j, PollInterval: time.Minute}
		_, err := a.Apply(ctx, p)
		require.ErrorIs(t, err, context.Canceled)
		assert.False(t, bypassValue(t, ft), "turned off on the way out")
		ft.SetFuncs(conversiontest.TenantFuncs{})

		res, err := a.Apply(t.Context(), p)
		require.NoError(t, err)
		assert.False(t, res.OK())
		assert.False(t, bypassValue(t, ft))
		for _, c := range res.Changes {
			if c.Action == conversion.WaitHardMatch {
				assert.Equal(t, conversion.StatusFailed, c.Status)
				assert.Contains(t, c.Error, "plan the remaining users again")
			}
		}
		entries, _ := j.Entries()
		assert.False(t, conversion.BypassLeftOn(entries).On)
	})
}
