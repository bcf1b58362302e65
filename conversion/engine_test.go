package conversion_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// TestPlannersWithEngine runs the planners with the real matching engine as Predictor.
func TestPlannersWithEngine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		plan    func(in *conversion.Input, o *conversion.Options) *conversion.Plan
		edit    func(in *conversion.Input)
		changes int
		refused []conversion.RefusalCode
	}{
		{"hard match", conversion.PlanHardMatch, nil, 4, nil},
		{"hard match of a role holder refused", conversion.PlanHardMatch, func(in *conversion.Input) {
			in.Tenant.Roles = []matching.RoleAssignment{{ID: "r", PrincipalID: in.Cloud[0].ID, RoleDefinitionID: "rd"}}
			in.Tenant.RoleDefinitions = []matching.RoleDefinition{{ID: "rd", DisplayName: "Reader"}}
		}, 2, []conversion.RefusalCode{conversion.RefuseRoleHolder}},
		{"re-anchor", conversion.PlanReAnchor, func(in *conversion.Input) {
			in.Cloud[0].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"))
		}, 1, nil},
		{"soft match", conversion.PlanSoftMatch, func(in *conversion.Input) {
			in.OnPrem[0].ProxyAddresses = []string{"SMTP:old0@contoso.example"}
		}, 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := cloudOnly(2)
			in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
			if tc.edit != nil {
				tc.edit(in)
			}
			p := tc.plan(in, &conversion.Options{CreatedAt: t0, Predict: matching.Evaluate})
			var codes []conversion.RefusalCode
			for _, r := range p.Refused {
				codes = append(codes, r.Code)
			}
			assert.Equal(t, tc.refused, codes, "%+v", p.Refused)
			require.Len(t, p.Changes, tc.changes, "%+v", p.Changes)
		})
	}
}

// TestPlanOUMoveWithEngine is the regression test of a bug where PlanOUMove with a Predictor
// looked the prediction up under the AD user's DN before the move, found none (the projected
// user is already in the target OU) and refused every user.
func TestPlanOUMoveWithEngine(t *testing.T) {
	t.Parallel()
	const parked = "OU=Parked,DC=corp,DC=example,DC=test"
	for _, tc := range []struct {
		name    string
		users   []string
		edit    func(in *conversion.Input)
		changes int
		refused []string
	}{
		{name: "one user", users: []string{"user1@contoso.example"}, changes: 4},
		{name: "every user", changes: 12},
		{name: "target OU with a differently cased DN", users: []string{"user0@contoso.example"}, changes: 4,
			edit: func(in *conversion.Input) {
				in.OnPrem[0].DN = strings.ToUpper(in.OnPrem[0].DN)
			}},
		{name: "input without objectGUIDs (found by DN)", users: []string{"user2@contoso.example"}, changes: 4,
			edit: func(in *conversion.Input) {
				// The cloud side knows the anchor; the AD export lacks objectGUID but carries the
				// consistency GUID, which is the anchor.
				for i := range in.OnPrem {
					in.OnPrem[i].ConsistencyGUID = in.OnPrem[i].ObjectGUID
					in.OnPrem[i].ObjectGUID = anchor.ObjectGUID{}
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := conversiontest.Population(3, t0)
			in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl,
				Config: matching.Config{Scope: []string{syncedOU}, SourceAnchor: matching.AnchorConsistencyGUID}}
			if tc.edit != nil {
				tc.edit(in)
			}
			p := conversion.PlanOUMove(in, &conversion.Options{CreatedAt: t0, Users: tc.users, TargetOU: parked,
				ClearImmutableID: true, Predict: matching.Evaluate})
			var codes []string
			for _, r := range p.Refused {
				codes = append(codes, string(r.Code)+": "+r.Reason)
			}
			assert.Equal(t, tc.refused, codes)
			assert.Len(t, p.Changes, tc.changes)
			assert.Empty(t, p.Notes, "the outcome was verified")
		})
	}
}

// TestPlanOUMovePredictionStillRefuses: with the lookup fixed, a Predictor that does not predict
// out-of-scope for the moved user still stops it (the verification is not bypassed).
func TestPlanOUMovePredictionStillRefuses(t *testing.T) {
	t.Parallel()
	ten, on, cl := conversiontest.Population(2, t0)
	in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
	var seen []string
	predict := func(cfg matching.Config, tt matching.TenantState, onprem []matching.OnPrem, cloud []matching.Cloud) *matching.Report {
		rep := matching.Evaluate(cfg, tt, onprem, cloud)
		for i := range rep.Objects {
			if r := &rep.Objects[i]; r.Side == matching.SideOnPrem {
				seen = append(seen, r.DN)
				if strings.HasPrefix(r.DN, "CN=User 1,") {
					r.Outcome, r.Reason = matching.Joined, "pretend the OU is still synced"
				}
			}
		}
		return rep
	}
	p := conversion.PlanOUMove(in, &conversion.Options{CreatedAt: t0, TargetOU: "OU=Parked,DC=corp,DC=example,DC=test", Predict: predict})
	require.Len(t, p.Refused, 1, "%+v", p.Refused)
	assert.Equal(t, conversion.RefusePrediction, p.Refused[0].Code)
	assert.Contains(t, p.Refused[0].Reason, "CN=User 1,OU=Parked,", "the refusal names the projected DN")
	assert.Len(t, p.Changes, 4, "user0 goes ahead")
	assert.Contains(t, seen, "CN=User 0,OU=Parked,DC=corp,DC=example,DC=test", "the engine saw the moved user")
}

// TestPlanSOAVerifiesWithEngine: SOA is verified on the cloud side. With the real engine every
// converted user is predicted untouched (the AD side is blocked CloudManaged: sync skips it,
// docs/entra-rules.md §4c); a predictor that says otherwise gets the user refused, with its reason.
func TestPlanSOAVerifiesWithEngine(t *testing.T) {
	t.Parallel()
	tenant, onprem, cloud := conversiontest.Population(3, t0)
	in := &conversion.Input{Tenant: tenant, Cloud: cloud, OnPrem: onprem}

	p := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, Predict: matching.Evaluate})
	assert.Len(t, p.Changes, 3)
	assert.Empty(t, p.Refused)
	assert.Empty(t, p.Notes, "verified plans carry no 'not verified' note")

	var seen []matching.Cloud
	deleting := func(cfg matching.Config, t matching.TenantState, on []matching.OnPrem, cl []matching.Cloud) *matching.Report {
		seen = cl
		rep := matching.Evaluate(cfg, t, on, cl)
		for i := range rep.Objects {
			if r := &rep.Objects[i]; r.Side == matching.SideCloud && r.ID == cloud[0].ID {
				r.Outcome, r.Reason = matching.Deleted, "test says deleted"
			}
		}
		return rep
	}
	p = conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, Predict: deleting})
	assert.Len(t, p.Changes, 2)
	require.Len(t, p.Refused, 1)
	assert.Equal(t, conversion.RefusePrediction, p.Refused[0].Code)
	assert.Contains(t, p.Refused[0].Reason, "test says deleted")
	for _, c := range seen {
		assert.True(t, c.CloudManaged, "the prediction is made on the projected state")
	}

	p = conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0})
	assert.Len(t, p.Changes, 3)
	assert.NotEmpty(t, p.Notes, "an unverified plan says so")
}
