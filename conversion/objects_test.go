package conversion_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

const (
	grpSales  = "90000000-0000-4000-8000-000000000001"
	grpDL     = "90000000-0000-4000-8000-000000000002"
	grpAdmins = "90000000-0000-4000-8000-000000000003"
	grpCloud  = "90000000-0000-4000-8000-000000000004"
	ctVendor  = "91000000-0000-4000-8000-000000000001"
)

// objectsInput: two synced users, three synced groups (one of them Domain Admins), a cloud-only
// group and a synced contact.
func objectsInput() *conversion.Input {
	ten, on, cl := conversiontest.Population(2, t0)
	on2 := true
	adminGUID := anchor.MustParse("7a000000-0000-4000-8000-000000000512")
	on = append(on, matching.OnPrem{DN: "CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=test", Class: matching.ClassGroup, ObjectGUID: adminGUID,
		ObjectSID: "S-1-5-21-1004336348-1177238915-682003330-512"})
	cl = append(cl,
		matching.Cloud{ID: grpSales, Class: matching.ClassGroup, DisplayName: "Sales", SecurityEnabled: true, SyncEnabled: &on2},
		matching.Cloud{ID: grpDL, Class: matching.ClassGroup, DisplayName: "All staff", Mail: "all@contoso.example", MailEnabled: true, SyncEnabled: &on2},
		matching.Cloud{ID: grpAdmins, Class: matching.ClassGroup, DisplayName: "Domain Admins", SecurityEnabled: true, SyncEnabled: &on2, ImmutableID: anchor.AnchorOf(adminGUID)},
		matching.Cloud{ID: grpCloud, Class: matching.ClassGroup, DisplayName: "Cloud team", SecurityEnabled: true},
		matching.Cloud{ID: ctVendor, Class: matching.ClassContact, DisplayName: "Vendor", Mail: "v@vendor.example", SyncEnabled: &on2},
	)
	return &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}
}

func TestPlanSOAGroupsAndContacts(t *testing.T) {
	t.Parallel()
	in := objectsInput()
	all := []string{conversion.ObjectGroups, conversion.ObjectContacts, conversion.ObjectUsers}
	p := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, Objects: all})
	require.NoError(t, p.Validate())
	var order []string
	for _, c := range p.Changes {
		order = append(order, c.Target.ID)
	}
	assert.Equal(t, []string{grpDL, grpSales, ctVendor, in.Cloud[0].ID, in.Cloud[1].ID}, order, "groups first, then contacts, then users")
	assert.Empty(t, p.Changes[0].Subject, "a group runs alone, before any user")
	assert.Equal(t, conversion.KindGroup, p.Changes[0].Target.Kind)
	assert.Contains(t, p.Changes[0].Reason, "Exchange Online")
	assert.Equal(t, conversion.KindContact, p.Changes[2].Target.Kind)
	codes := refusalCodes(p)
	assert.Equal(t, conversion.RefuseAdministrative, codes["Domain Admins"])
	assert.Contains(t, p.Notes[len(p.Notes)-1], "Exchange hybrid")

	t.Run("selected by name", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, Objects: all, Users: []string{"Sales", "Cloud team", "user1@contoso.example", "nobody"}})
		var ids []string
		for _, c := range p.Changes {
			ids = append(ids, c.Target.ID)
		}
		assert.Equal(t, []string{grpSales, in.Cloud[1].ID}, ids)
		codes := refusalCodes(p)
		assert.Equal(t, conversion.RefuseNotSynced, codes["Cloud team"])
		assert.Equal(t, conversion.RefuseNotFound, codes["nobody"])
	})
	t.Run("users only by default", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0})
		for _, c := range p.Changes {
			assert.Empty(t, c.Target.Kind)
		}
	})
}

// TestApplySOAGroupsFirst: groups are made cloud-managed before any user; undo hands them back.
func TestApplySOAGroupsFirst(t *testing.T) {
	t.Parallel()
	in := objectsInput()
	p := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, Objects: []string{conversion.ObjectGroups, conversion.ObjectContacts, conversion.ObjectUsers}})
	ft := conversiontest.NewTenant(in.Tenant, in.Cloud...)
	a := &conversion.Applier{Tenant: ft, Journal: &conversion.MemJournal{}, Concurrency: 8}
	res, err := a.Apply(t.Context(), p)
	require.NoError(t, err)
	require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
	w := ft.Writes()
	require.Len(t, w, 5)
	assert.Equal(t, "SetObjectCloudManaged", w[0].Op)
	assert.Equal(t, "SetObjectCloudManaged", w[1].Op)
	for _, id := range []string{grpSales, grpDL, ctVendor, in.Cloud[0].ID} {
		got, ok := ft.Get(id)
		require.True(t, ok)
		assert.True(t, got.CloudManaged, id)
	}
	adm, _ := ft.Get(grpAdmins)
	assert.False(t, adm.CloudManaged)

	ures, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.True(t, ures.OK(), "%s: %v", ures.Summary(), ures.Err())
	for _, id := range []string{grpSales, grpDL, ctVendor} {
		got, _ := ft.Get(id)
		assert.False(t, got.CloudManaged, id)
	}
	uw := ft.Writes()[5:]
	assert.Equal(t, "SetObjectCloudManaged", uw[len(uw)-1].Op, "undo hands groups back after their members")
}
