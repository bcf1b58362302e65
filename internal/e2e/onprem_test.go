package e2e

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// TestClearOnPremEndToEnd: SOA with the on-premises attributes cleared as the final step, through
// the real SDK client against the fake tenant: a run killed (cancelled) after the first clear
// resumes from the file journal with no clear lost or repeated; every user ends cloud-managed
// with no on-premises attribute left (so a later hard match to AD is not blocked by
// onPremisesObjectIdentifier); undo hands them back with the old values, the object identifier
// excepted (Graph accepts only null for it; sync stamps it again).
func TestClearOnPremEndToEnd(t *testing.T) {
	t.Parallel()
	const n = 4
	w := newWorld(t, setup{users: n})
	in := w.input(t)
	ids := make([]string, n)
	before := map[string]snapshot.User{}
	for i, c := range in.Cloud {
		ids[i] = c.ID
		w.fake.SetObjectIdentifier(c.ID, "0f0e0d0c-0b0a-0908-0706-0504030201"+string(rune('a'+i))+"0")
		before[c.ID] = w.cloudUser(t, c.ID)
	}
	o := opts()
	o.ClearOnPremAttributes = true
	plan := conversion.PlanSOA(in, o)
	require.Empty(t, plan.Refused)
	require.Len(t, plan.Changes, 2*n)

	name := filepath.Join(t.TempDir(), "journal")
	j, err := conversion.OpenJournal(name)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var clears atomic.Int64
	w.fake.AddInterceptor(func(op, _ string) *graphxtest.Fault {
		if op == graphxtest.OpUpdateOnPremAttributes && clears.Add(1) == 1 {
			cancel()
		}
		return nil
	})
	a := w.applier(j)
	a.Concurrency = 1
	_, err = a.Apply(ctx, plan)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, j.Close())

	j, err = conversion.OpenJournal(name)
	require.NoError(t, err)
	defer j.Close()
	a = w.applier(j)
	res, err := a.Apply(t.Context(), plan)
	if errors.Is(err, conversion.ErrDirty) {
		_, err = a.Resolve(t.Context())
		require.NoError(t, err)
		res, err = a.Apply(t.Context(), plan)
	}
	require.NoError(t, err)
	require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())

	counts := graphWrites(w.fake)
	for _, id := range ids {
		assert.Equal(t, 1, counts[graphxtest.OpUpdateOnPremAttributes+" "+id], "one clear of %s", id)
		assert.Equal(t, 1, counts[graphxtest.OpUpdateSyncBehavior+" "+id], "one SOA switch of %s", id)
		got, err := w.client.Tenant().OnPremAttributes(t.Context(), id)
		require.NoError(t, err)
		assert.True(t, got.IsZero(), "%s keeps %+v", id, got)
		u, err := w.client.Tenant().User(t.Context(), id)
		require.NoError(t, err)
		assert.True(t, u.CloudManaged)
	}

	ures, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.True(t, ures.OK(), "%s: %v", ures.Summary(), ures.Err())
	for _, id := range ids {
		got, err := w.client.Tenant().OnPremAttributes(t.Context(), id)
		require.NoError(t, err)
		b := before[id]
		assert.Equal(t, b.OnPremisesImmutableID, got.ImmutableID)
		assert.Equal(t, b.OnPremisesDistinguishedName, got.DistinguishedName)
		assert.Equal(t, b.OnPremisesSamAccountName, got.SamAccountName)
		assert.Equal(t, b.OnPremisesUserPrincipalName, got.UserPrincipalName)
		assert.Empty(t, got.ObjectIdentifier)
		u, err := w.client.Tenant().User(t.Context(), id)
		require.NoError(t, err)
		assert.False(t, u.CloudManaged)
	}
}
