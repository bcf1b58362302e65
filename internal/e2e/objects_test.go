package e2e

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/matching"
)

// TestGroupContactSOAEndToEnd: a group, a contact and a user moved to the cloud in one plan
// through the SDK client, killed after the first switch and resumed (no switch lost or repeated):
// the group is switched before the user, the simulated sync cycle then
// skips the cloud-managed group and contact, and undo hands all three back.
func TestGroupContactSOAEndToEnd(t *testing.T) {
	t.Parallel()
	const (
		groupID   = "90000000-0000-4000-8000-0000000000e1"
		contactID = "91000000-0000-4000-8000-0000000000e2"
		groupDN   = "CN=Sales," + scopeOU
		contactDN = "CN=Vendor," + scopeOU
	)
	on := true
	gGUID, cGUID := guid(0xe1), guid(0xe2)
	w := newWorld(t, setup{users: 2,
		onprem: []matching.OnPrem{
			{DN: groupDN, Class: matching.ClassGroup, ObjectGUID: gGUID, DisplayName: "Sales"},
			{DN: contactDN, Class: matching.ClassContact, ObjectGUID: cGUID, DisplayName: "Vendor", Mail: "v@vendor.example", ProxyAddresses: []string{"SMTP:v@vendor.example"}},
		},
		cloud: []matching.Cloud{
			{ID: groupID, Class: matching.ClassGroup, DisplayName: "Sales", SecurityEnabled: true, SyncEnabled: &on, ImmutableID: anchor.AnchorOf(gGUID)},
			{ID: contactID, Class: matching.ClassContact, DisplayName: "Vendor", Mail: "v@vendor.example", ProxyAddresses: []string{"SMTP:v@vendor.example"}, SyncEnabled: &on},
		}})
	in := w.input(t)
	o := opts("Sales", "Vendor", "user0@contoso.example")
	o.Objects = []string{conversion.ObjectGroups, conversion.ObjectContacts, conversion.ObjectUsers}
	plan := conversion.PlanSOA(in, o)
	require.Empty(t, plan.Refused)
	require.Len(t, plan.Changes, 3)

	// Kill (cancel) the run right after the group's switch, then resume from the journal.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen atomic.Int64
	w.fake.AddInterceptor(func(op, _ string) *graphxtest.Fault {
		if op == graphxtest.OpUpdateSyncBehavior && seen.Add(1) == 1 {
			cancel()
		}
		return nil
	})
	a := w.applier(&conversion.MemJournal{})
	a.Concurrency = 4
	_, err := a.Apply(ctx, plan)
	require.ErrorIs(t, err, context.Canceled)
	res, err := a.Apply(t.Context(), plan)
	require.NoError(t, err)
	require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
	for id, n := range map[string]int{groupID: 1, contactID: 1, popID(0): 1} {
		assert.Equal(t, n, graphWrites(w.fake)[graphxtest.OpUpdateSyncBehavior+" "+id], "one switch of %s, none lost or repeated", id)
	}
	var order []string
	for _, wr := range w.fake.Writes() {
		if wr.Op == graphxtest.OpUpdateSyncBehavior {
			order = append(order, wr.Target)
		}
	}
	require.Len(t, order, 3)
	assert.Equal(t, groupID, order[0], "the group is switched before its members")
	for kind, id := range map[conversion.ObjectKind]string{conversion.KindGroup: groupID, conversion.KindContact: contactID} {
		b, err := w.client.Tenant().CloudManaged(t.Context(), kind, id)
		require.NoError(t, err)
		assert.True(t, b, id)
	}

	c, err := w.sim.Run(t.Context())
	require.NoError(t, err)
	assert.Equal(t, matching.CloudManaged, c.Outcome(groupDN).Code, "sync skips the cloud-managed group: %+v", c.Outcome(groupDN))
	assert.Equal(t, matching.CloudManaged, c.Outcome(contactDN).Code, "sync skips the cloud-managed contact: %+v", c.Outcome(contactDN))

	ures, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.True(t, ures.OK(), "%s: %v", ures.Summary(), ures.Err())
	for kind, id := range map[conversion.ObjectKind]string{conversion.KindGroup: groupID, conversion.KindContact: contactID} {
		b, err := w.client.Tenant().CloudManaged(t.Context(), kind, id)
		require.NoError(t, err)
		assert.False(t, b, id)
	}
}
