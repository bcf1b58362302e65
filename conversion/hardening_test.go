package conversion_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

const (
	globalAdmin = "62e90394-69f5-4237-9190-012177145e10"
	reader      = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
	roleGroup   = "9a000000-0000-4000-8000-0000000000aa"
)

var hardeningDay = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// TestHardMatchHardening: the July 2026 hard-match rules (docs/entra-rules.md §2.4, §5) as the
// hard-match planners apply them, on both sides of the date, for active and eligible, direct and
// group-held, privileged, unprivileged and unknown roles, and onPremisesObjectIdentifier. The
// planners decide on their own (no Predictor), so these cases do not depend on the engine.
func TestHardMatchHardening(t *testing.T) {
	t.Parallel()
	defs := []matching.RoleDefinition{{ID: globalAdmin, DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true},
		{ID: reader, DisplayName: "Directory Readers", IsBuiltIn: true}}
	type tc struct {
		name    string
		edit    func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options)
		refused conversion.RefusalCode // user0's refusal code ("" planned)
		fix     []string               // substrings of the fix
	}
	active := func(role string) func(*matching.TenantState, []matching.Cloud, *conversion.Options) {
		return func(ten *matching.TenantState, cl []matching.Cloud, _ *conversion.Options) {
			ten.Roles = []matching.RoleAssignment{{ID: "asg-1", PrincipalID: cl[0].ID, RoleDefinitionID: role, DirectoryScopeID: "/"}}
		}
	}
	allow := func(f func(*matching.TenantState, []matching.Cloud, *conversion.Options)) func(*matching.TenantState, []matching.Cloud, *conversion.Options) {
		return func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			f(ten, cl, o)
			o.AllowRoles = true
		}
	}
	at := func(d time.Time, f func(*matching.TenantState, []matching.Cloud, *conversion.Options)) func(*matching.TenantState, []matching.Cloud, *conversion.Options) {
		return func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			f(ten, cl, o)
			ten.AsOf = d
		}
	}
	eligible := func(ten *matching.TenantState, cl []matching.Cloud, _ *conversion.Options) {
		ten.Eligibilities = []matching.RoleAssignment{{ID: "elig-1", PrincipalID: cl[0].ID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"}}
	}
	objID := func(ten *matching.TenantState, cl []matching.Cloud, _ *conversion.Options) {
		cl[0].OnPremisesObjectIdentifier = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	}
	for _, c := range []tc{
		{"no role", nil, "", nil},
		{"privileged active role blocked even when roles are allowed", allow(active(globalAdmin)), "InvalidHardMatch",
			[]string{`assignment "asg-1"`, "Global Administrator"}},
		{"privileged active role blocked on 1 July 2026 00:00 UTC", at(hardeningDay, active(globalAdmin)), "InvalidHardMatch", nil},
		{"privileged active role refused as role holder the second before", at(hardeningDay.Add(-time.Second), active(globalAdmin)), conversion.RefuseRoleHolder, nil},
		{"privileged active role allowed before July 2026", allow(at(hardeningDay.Add(-time.Second), active(globalAdmin))), "", nil},
		{"unknown role counts as privileged", allow(func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			active("11111111-2222-3333-4444-555555555555")(ten, cl, o)
		}), "InvalidHardMatch", []string{"privilege not known"}},
		{"unprivileged role refused as role holder", active(reader), conversion.RefuseRoleHolder, []string{"role holders allowed"}},
		{"unprivileged role allowed", allow(active(reader)), "", nil},
		{"eligible for privileged role blocked", allow(eligible), "InvalidHardMatch", []string{`PIM eligibility "elig-1"`}},
		{"eligibility that ended is ignored", func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			eligible(ten, cl, o)
			ten.Eligibilities[0].End = ten.AsOf.Add(-time.Hour)
		}, "", nil},
		{"privileged role through a role-assignable group", allow(func(ten *matching.TenantState, cl []matching.Cloud, _ *conversion.Options) {
			ten.Roles = []matching.RoleAssignment{{ID: "asg-g", PrincipalID: roleGroup, RoleDefinitionID: globalAdmin}}
			ten.GroupMembers = []matching.GroupMember{{GroupID: roleGroup, MemberID: cl[0].ID}}
		}), "InvalidHardMatch", []string{"group " + roleGroup, `assignment "asg-g"`}},
		{"eligibility through a role-assignable group", allow(func(ten *matching.TenantState, cl []matching.Cloud, _ *conversion.Options) {
			ten.Eligibilities = []matching.RoleAssignment{{ID: "elig-g", PrincipalID: roleGroup, RoleDefinitionID: globalAdmin}}
			ten.GroupMembers = []matching.GroupMember{{GroupID: roleGroup, MemberID: cl[0].ID}}
		}), "InvalidHardMatch", []string{"elig-g"}},
		{"onPremisesObjectIdentifier blocks", objID, conversion.RefuseObjectIdentifier, []string{
			"PATCH https://graph.microsoft.com/beta/users/00000000-0000-4000-8000-000000000000",
			`{"onPremisesObjectIdentifier": null}`, "User-OnPremisesSyncBehavior.ReadWrite.All",
			"Clear-ADSyncToolsOnPremisesAttribute", "2.5.0"}},
		{"onPremisesObjectIdentifier before July 2026", at(hardeningDay.Add(-time.Second), objID), "", nil},
		{"onPremisesObjectIdentifier with the tenant bypass flag", func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			objID(ten, cl, o)
			ten.Known |= matching.KnownBypassFlag
			ten.Features.AllowObjectIdentifierUpdate = true
		}, "", nil},
		{"bypass flag does not lift the privileged block", func(ten *matching.TenantState, cl []matching.Cloud, o *conversion.Options) {
			allow(eligible)(ten, cl, o)
			ten.Known |= matching.KnownBypassFlag
			ten.Features.AllowObjectIdentifierUpdate = true
		}, "InvalidHardMatch", nil},
	} {
		for _, planner := range []struct {
			name string
			plan conversion.PlannerFunc
		}{{"hard-match", conversion.PlanHardMatch}, {"re-anchor", conversion.PlanReAnchor}} {
			t.Run(planner.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				ten, on, cl := cloudOnly(2)
				ten.RoleDefinitions = defs
				ten.Known = matching.KnownObjectIdentifier | matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers
				if planner.name == "re-anchor" {
					for i := range cl {
						cl[i].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb2" + string(rune('0'+i))))
					}
				}
				in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
				o := &conversion.Options{CreatedAt: t0}
				if c.edit != nil {
					c.edit(&in.Tenant, in.Cloud, o)
				}
				p := planner.plan(in, o)
				require.NoError(t, p.Validate())
				var got *conversion.Refusal
				for i := range p.Refused {
					if p.Refused[i].Subject == cl[0].ID {
						got = &p.Refused[i]
					}
				}
				if c.refused == "" {
					assert.Nil(t, got)
					return
				}
				require.NotNil(t, got, "%+v", p)
				assert.Equal(t, c.refused, got.Code, got.Reason)
				for _, f := range c.fix {
					assert.Contains(t, got.Fix, f)
				}
				assert.NotContains(t, got.Reason+got.Fix, "--", "library text names no CLI flag")
				assert.NotContains(t, got.Reason+got.Fix, "§", "user-visible text cites no section")
			})
		}
	}
}

// TestHardeningNotes: a plan says which July 2026 inputs it could not check.
func TestHardeningNotes(t *testing.T) {
	t.Parallel()
	ten, on, cl := cloudOnly(1)
	p := conversion.PlanHardMatch(&conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}, &conversion.Options{CreatedAt: t0})
	require.Len(t, p.Changes, 2)
	assert.Contains(t, p.Notes, "users' onPremisesObjectIdentifier was not read: a user still carrying it from an earlier sync could not be refused, and Entra will block its hard match (AttributeUpdateNotAllowed)")
}

// TestSoftMatchRoles: Entra never soft-matches onto a user holding a role (no option lifts it);
// an eligibility alone is undocumented and refused unless role holders are allowed.
func TestSoftMatchRoles(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		eligible   bool
		allowRoles bool
		want       conversion.RefusalCode
	}{
		{"active role", false, true, "ExistingAdminRoleConflict"},
		{"eligibility", true, false, conversion.RefuseRoleHolder},
		{"eligibility allowed", true, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := cloudOnly(1)
			on[0].ProxyAddresses = []string{"SMTP:old0@contoso.example"}
			r := []matching.RoleAssignment{{ID: "x", PrincipalID: cl[0].ID, RoleDefinitionID: reader}}
			if c.eligible {
				ten.Eligibilities = r
			} else {
				ten.Roles = r
			}
			p := conversion.PlanSoftMatch(&conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}},
				&conversion.Options{CreatedAt: t0, AllowRoles: c.allowRoles})
			assert.Equal(t, c.want, refusalCodes(p)["user0@contoso.example"])
		})
	}
}
