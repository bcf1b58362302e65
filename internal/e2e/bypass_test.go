package e2e

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/matching"
)

// TestHardeningBypassEndToEnd: a hard match of a cloud user that still carries
// onPremisesObjectIdentifier, through the SDK client: the plan turns the tenant's bypass on,
// stamps the anchor, waits for the simulated sync cycle to match, and turns the bypass off; the
// fake records exactly one enable and one revert, and the journal does not report it left on.
func TestHardeningBypassEndToEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const eveID = "c0000000-0000-4000-8000-000000000015"
		w, in, later := bypassWorld(t, 0x15, eveID)
		o := opts("eve@contoso.example")
		o.Predict = nil
		refused := conversion.PlanHardMatch(in, o)
		require.Len(t, refused.Refused, 1)
		assert.Equal(t, conversion.RefuseObjectIdentifier, refused.Refused[0].Code)

		o.AllowHardeningBypass, o.Confirm = true, in.Tenant.ID
		plan := conversion.PlanHardMatch(in, o)
		require.Empty(t, plan.Refused)
		j := &conversion.MemJournal{}
		a := w.applier(j)
		a.BypassWindow = 30 * time.Minute
		a.Now = later
		res, err := a.Apply(t.Context(), plan)
		require.NoError(t, err)
		require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())

		u := w.cloudUser(t, eveID)
		assert.True(t, isSynced(u), "the cycle hard-matched eve while the bypass was on")
		org, err := w.client.Tenant().Organization(t.Context())
		require.NoError(t, err)
		assert.False(t, org.Features.AllowObjectIdentifierUpdate, "the bypass is off again")
		assert.Equal(t, 2, graphWrites(w.fake)["SetHardeningBypass "+in.Tenant.ID]+graphWrites(w.fake)[graphxtest.OpUpdateSync+" "+in.Tenant.ID])
		entries, err := j.Entries()
		require.NoError(t, err)
		assert.False(t, conversion.BypassLeftOn(entries).On)
	})
}

// TestHardeningBypassKillResume: a run killed right after the bypass is turned on turns it off on
// its way out (through the SDK client); the resumed run does not turn it on again, so the user
// carrying onPremisesObjectIdentifier is refused and the wait fails; the bypass stays off.
func TestHardeningBypassKillResume(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const eveID = "c0000000-0000-4000-8000-000000000016"
		w, in, later := bypassWorld(t, 0x16, eveID)
		o := opts("eve@contoso.example")
		o.Predict = nil
		o.AllowHardeningBypass, o.Confirm = true, in.Tenant.ID
		plan := conversion.PlanHardMatch(in, o)
		require.Empty(t, plan.Refused)

		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var updates atomic.Int64
		w.fake.AddInterceptor(func(op, _ string) *graphxtest.Fault {
			if op == graphxtest.OpUpdateSync && updates.Add(1) == 1 {
				cancel()
			}
			return nil
		})
		j := &conversion.MemJournal{}
		a := w.applier(j)
		a.Now = later
		_, err := a.Apply(ctx, plan)
		require.ErrorIs(t, err, context.Canceled)
		org, err := w.client.Tenant().Organization(t.Context())
		require.NoError(t, err)
		assert.False(t, org.Features.AllowObjectIdentifierUpdate, "turned off on the way out")
		assert.EqualValues(t, 2, updates.Load(), "one enable, one revert")

		res, err := a.Apply(t.Context(), plan)
		require.NoError(t, err)
		assert.False(t, res.OK())
		org, err = w.client.Tenant().Organization(t.Context())
		require.NoError(t, err)
		assert.False(t, org.Features.AllowObjectIdentifierUpdate)
		assert.EqualValues(t, 2, updates.Load(), "the resumed run does not turn it on again")
		assert.False(t, isSynced(w.cloudUser(t, eveID)))
		entries, err := j.Entries()
		require.NoError(t, err)
		assert.False(t, conversion.BypassLeftOn(entries).On)
	})
}

// bypassWorld is a world with one AD user eve (objectGUID byte n) and the cloud-only user id
// that soft-matches it and carries onPremisesObjectIdentifier, and its input. Inside synctest
// the clock starts in 2000: later is the clock shifted past 1 July 2026, for the simulator, the
// input's AsOf and the applier.
func bypassWorld(t *testing.T, n byte, id string) (*world, *conversion.Input, func() time.Time) {
	t.Helper()
	const identifier = "0f0e0d0c-0b0a-0908-0706-050403020100"
	w := newWorld(t, setup{users: 1,
		onprem: []matching.OnPrem{adUser(n, "eve", "SMTP:eve@contoso.example")},
		cloud:  []matching.Cloud{cloudOnly(id, "eve", "SMTP:eve@contoso.example")}})
	w.fake.SetObjectIdentifier(id, identifier)
	shift := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC).Sub(time.Now())
	later := func() time.Time { return time.Now().Add(shift) }
	w.sim.Now = later
	in := w.input(t)
	in.Tenant.AsOf = later()
	in.Tenant.Known |= matching.KnownObjectIdentifier
	for i := range in.Cloud {
		if in.Cloud[i].ID == id {
			in.Cloud[i].OnPremisesObjectIdentifier = identifier
		}
	}
	return w, in, later
}
