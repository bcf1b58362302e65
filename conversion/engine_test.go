package conversion_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
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
		refused []string
	}{
		{"hard match", conversion.PlanHardMatch, nil, 4, nil},
		{"hard match blocked by role from June 2026", conversion.PlanHardMatch, func(in *conversion.Input) {
			in.Tenant.Roles = []matching.RoleAssignment{{ID: "r", PrincipalID: in.Cloud[0].ID}}
		}, 2, []string{conversion.RefuseRoleHolder}},
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
			var codes []string
			for _, r := range p.Refused {
				codes = append(codes, r.Code)
			}
			assert.Equal(t, tc.refused, codes, "%+v", p.Refused)
			require.Len(t, p.Changes, tc.changes, "%+v", p.Changes)
		})
	}
}
