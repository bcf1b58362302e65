package conversion_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

const testSID = "S-1-5-21-1004336348-1177238915-682003330-1105"

// leftSync returns a population of n users that already left sync (cloud-only, restored or
// SOA-converted earlier) and still carry their on-premises attributes, and the fake tenant
// holding them with an onPremisesObjectIdentifier and domain name on each.
func leftSync(t *testing.T, n int) (*conversion.Input, *conversiontest.Tenant) {
	t.Helper()
	ten, on, cl := conversiontest.Population(n, t0)
	ten.Known |= matching.KnownObjectIdentifier
	for i := range cl {
		off := false
		cl[i].SyncEnabled = &off
		cl[i].OnPremisesSecurityIdentifier = testSID
		cl[i].OnPremisesObjectIdentifier = "0f0e0d0c-0b0a-0908-0706-050403020100"
	}
	ft := conversiontest.NewTenant(ten, cl...)
	for _, c := range cl {
		require.NoError(t, ft.SetDomainName(c.ID, "corp.example.test"))
	}
	return &conversion.Input{Tenant: ten, Cloud: cl, OnPrem: on}, ft
}

func TestOnPremAttributesValue(t *testing.T) {
	t.Parallel()
	a := conversion.OnPremAttributes{DistinguishedName: "CN=A=B,OU=X", SecurityIdentifier: testSID, ObjectIdentifier: "x"}
	got, err := conversion.ParseOnPremAttributes(a.Value())
	require.NoError(t, err)
	assert.Equal(t, a, got)
	assert.Equal(t, `["onPremisesDistinguishedName=CN=A=B,OU=X","onPremisesObjectIdentifier=x","onPremisesSecurityIdentifier=`+testSID+`"]`, a.Value().String())
	assert.Equal(t, conversion.OnPremAttributes{DistinguishedName: "CN=A=B,OU=X", SecurityIdentifier: testSID}, a.Without(conversion.AttrObjectIdentifier))
	z, err := conversion.ParseOnPremAttributes(conversion.Null())
	require.NoError(t, err)
	assert.True(t, z.IsZero())

	for name, v := range map[string]conversion.Value{
		"not a list":     conversion.Text("x"),
		"no equals sign": conversion.List([]string{"onPremisesDomainName"}),
		"unknown name":   conversion.List([]string{"mail=a@b"}),
		"empty value":    conversion.List([]string{"onPremisesDomainName="}),
		"twice":          conversion.List([]string{"onPremisesDomainName=a", "onPremisesDomainName=b"}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := conversion.ParseOnPremAttributes(v)
			assert.Error(t, err)
		})
	}
}

func FuzzParseOnPremAttributes(f *testing.F) {
	f.Add("onPremisesDomainName=a", "onPremisesSamAccountName=b")
	f.Add("x", "onPremisesObjectIdentifier=")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err := conversion.ParseOnPremAttributes(conversion.List([]string{x, y}))
		if err != nil {
			return
		}
		b, err := conversion.ParseOnPremAttributes(a.Value())
		require.NoError(t, err)
		require.Equal(t, a, b)
	})
}

func TestPlanClearOnPrem(t *testing.T) {
	t.Parallel()
	in, _ := leftSync(t, 3)
	on := true
	in.Cloud[2].SyncEnabled = &on // still synced
	in.Cloud[1].OnPremisesDistinguishedName, in.Cloud[1].OnPremisesSamAccountName, in.Cloud[1].OnPremisesUserPrincipalName = "", "", ""
	in.Cloud[1].OnPremisesSecurityIdentifier, in.Cloud[1].OnPremisesObjectIdentifier = "", ""
	in.Cloud[1].ImmutableID = anchor.SourceAnchor{}

	t.Run("every user carrying attributes", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0})
		require.Len(t, p.Changes, 1)
		c := p.Changes[0]
		assert.Equal(t, conversion.ClearOnPremAttributes, c.Action)
		assert.Equal(t, in.Cloud[0].ID, c.Target.ID)
		before, err := conversion.ParseOnPremAttributes(c.Before)
		require.NoError(t, err)
		assert.Equal(t, in.Cloud[0].ImmutableID.String(), before.ImmutableID)
		assert.Equal(t, testSID, before.SecurityIdentifier)
		assert.Equal(t, conversion.List(nil), c.After)
		require.NoError(t, p.Validate())
	})
	t.Run("selected", func(t *testing.T) {
		t.Parallel()
		p := conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0, Users: []string{in.Cloud[1].ID, in.Cloud[2].UserPrincipalName}})
		assert.Empty(t, p.Changes)
		require.Len(t, p.Refused, 2)
		codes := map[string]conversion.RefusalCode{}
		for _, r := range p.Refused {
			codes[r.Subject] = r.Code
		}
		assert.Equal(t, conversion.RefuseNothingToClear, codes[in.Cloud[1].ID])
		assert.Equal(t, conversion.RefuseSynced, codes[in.Cloud[2].ID])
		for _, r := range p.Refused {
			if r.Code == conversion.RefuseSynced {
				assert.Contains(t, r.Reason, "synced")
				assert.NotEmpty(t, r.Fix)
			}
		}
	})
	t.Run("role holder", func(t *testing.T) {
		t.Parallel()
		in2 := *in
		in2.Tenant.Roles = []matching.RoleAssignment{{PrincipalID: in.Cloud[0].ID, RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10"}}
		p := conversion.PlanClearOnPrem(&in2, &conversion.Options{CreatedAt: t0})
		assert.Empty(t, p.Changes)
		require.Len(t, p.Refused, 1)
		assert.Equal(t, conversion.RefuseRoleHolder, p.Refused[0].Code)
	})
}

func TestClearOnPremFinalStep(t *testing.T) {
	t.Parallel()
	ten, on, cl := conversiontest.Population(2, t0)
	in := &conversion.Input{Tenant: ten, Cloud: cl, OnPrem: on, Config: matching.Config{Scope: []string{syncedOU}}}
	o := &conversion.Options{CreatedAt: t0, ClearImmutableID: true, ClearOnPremAttributes: true, TargetOU: "OU=CloudOnly,DC=corp,DC=example,DC=test", Confirm: ten.ID}
	for _, m := range []string{conversion.MethodSOA, conversion.MethodOUMove, conversion.MethodTenant} {
		t.Run(m, func(t *testing.T) {
			t.Parallel()
			plan, err := conversion.Planner(conversion.ToCloudOnly, m)
			require.NoError(t, err)
			p := plan(in, o)
			require.Empty(t, p.Refused)
			require.NoError(t, p.Validate())
			last := map[string]conversion.Action{}
			for _, c := range p.Changes {
				assert.NotEqual(t, conversion.ClearImmutableID, c.Action, "clear-onprem-attributes replaces it")
				if c.Subject != "" {
					last[c.Subject] = c.Action
				}
			}
			require.Len(t, last, 2)
			for s, a := range last {
				assert.Equal(t, conversion.ClearOnPremAttributes, a, s)
			}
		})
	}
}

// TestClearOnPremApplyUndo: the clear records the values it replaced (also those the plan did
// not know), undo writes them back except onPremisesObjectIdentifier, and a dry run predicts the
// writes exactly.
func TestClearOnPremApplyUndo(t *testing.T) {
	t.Parallel()
	in, ft := leftSync(t, 3)
	p := conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0})
	require.Len(t, p.Changes, 3)
	dry := &conversion.Applier{Tenant: ft, Journal: &conversion.MemJournal{}, DryRun: true}
	dres, err := dry.Apply(t.Context(), p)
	require.NoError(t, err)
	assert.Empty(t, ft.Writes(), "a dry run writes nothing")

	j := &conversion.MemJournal{}
	a := &conversion.Applier{Tenant: ft, Journal: j}
	res, err := a.Apply(t.Context(), p)
	require.NoError(t, err)
	require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
	assert.ElementsMatch(t, dres.Writes, res.Writes)
	for _, c := range in.Cloud {
		got, err := ft.OnPremAttributes(t.Context(), c.ID)
		require.NoError(t, err)
		assert.True(t, got.IsZero(), "%s: %+v", c.ID, got)
	}
	entries, err := j.Entries()
	require.NoError(t, err)
	var intent *conversion.Change
	for _, e := range entries {
		if e.Kind == conversion.KindIntent {
			intent = e.Change
			break
		}
	}
	require.NotNil(t, intent)
	before, err := conversion.ParseOnPremAttributes(intent.Before)
	require.NoError(t, err)
	assert.Equal(t, "corp.example.test", before.DomainName, "the journal keeps what the plan did not know")

	ures, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.True(t, ures.OK(), "%s: %v", ures.Summary(), ures.Err())
	for _, c := range in.Cloud {
		got, err := ft.OnPremAttributes(t.Context(), c.ID)
		require.NoError(t, err)
		assert.Equal(t, "corp.example.test", got.DomainName)
		assert.Equal(t, testSID, got.SecurityIdentifier)
		assert.Equal(t, c.ImmutableID.String(), got.ImmutableID)
		assert.Equal(t, c.OnPremisesDistinguishedName, got.DistinguishedName)
		assert.Empty(t, got.ObjectIdentifier, "only null is accepted: sync stamps it again")
	}
}

func TestClearOnPremRefusesSyncedAtApply(t *testing.T) {
	t.Parallel()
	in, _ := leftSync(t, 1)
	p := conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0})
	require.Len(t, p.Changes, 1)
	on := true
	cl := in.Cloud[0]
	cl.SyncEnabled = &on
	ft := conversiontest.NewTenant(in.Tenant, cl)
	require.NoError(t, ft.SetDomainName(cl.ID, "corp.example.test"))
	a := &conversion.Applier{Tenant: ft, Journal: &conversion.MemJournal{}}
	res, err := a.Apply(t.Context(), p)
	require.NoError(t, err)
	require.False(t, res.OK())
	assert.Equal(t, conversion.StatusFailed, res.Changes[0].Status)
	assert.ErrorIs(t, res.Err(), conversion.ErrReadOnly)
	assert.Contains(t, res.Changes[0].Error, "synced")
}

// TestPlanClearOnPremLeavesStagedUsers: a cloud-only user that only carries an ImmutableID
// (staged for a hard match) is not cleared unless selected.
func TestPlanClearOnPremLeavesStagedUsers(t *testing.T) {
	t.Parallel()
	ten, _, cl := cloudOnly(1)
	cl[0].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb21"))
	cl[0].OnPremisesLastSync = time.Time{}
	in := &conversion.Input{Tenant: ten, Cloud: cl}
	assert.Empty(t, conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0}).Changes)
	assert.Len(t, conversion.PlanClearOnPrem(in, &conversion.Options{CreatedAt: t0, Users: []string{cl[0].ID}}).Changes, 1)
}
