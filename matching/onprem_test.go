package matching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
)

// EvaluateOnPrem gives every on-premises result of Evaluate, with the reasons and fixes of
// blocked, unreadable and out-of-scope objects, and differs only where its doc says.
func TestEvaluateOnPremMatchesEvaluate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		seed  int64
		tweak func(d *matchingtest.Dataset)
	}{
		{"default", 1, func(*matchingtest.Dataset) {}},
		{"no as-of", 2, func(d *matchingtest.Dataset) { d.Tenant.AsOf = time.Time{} }},
		{"before hardening", 3, func(d *matchingtest.Dataset) { d.Tenant.AsOf = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }},
		{"cloud sync", 4, func(d *matchingtest.Dataset) { d.Config.Client = matching.CloudSync }},
		{"soft match blocked", 5, func(d *matchingtest.Dataset) { d.Tenant.Features.BlockSoftMatch = true }},
		{"takeover blocked, no UPN soft match", 6, func(d *matchingtest.Dataset) {
			d.Tenant.Features.BlockCloudObjectTakeoverHardMatch = true
			d.Tenant.Features.SoftMatchOnUPN = false
		}},
		{"bypass on", 7, func(d *matchingtest.Dataset) {
			d.Tenant.Known |= matching.KnownBypassFlag | matching.KnownObjectIdentifier
			d.Tenant.Features.AllowObjectIdentifierUpdate = true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := matchingtest.Generate(tt.seed, 5000)
			tt.tweak(&d)
			full := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
			brief := matching.EvaluateOnPrem(d.Config, d.Tenant, d.OnPrem, d.Cloud)
			require.Len(t, brief.Objects, len(d.OnPrem))
			assert.Len(t, brief.OnPrem(), len(d.OnPrem))
			assert.Empty(t, brief.Cloud())
			want := full.OnPrem()
			summary := map[matching.Outcome]int{}
			blocked := 0
			for i := range want {
				w, g := want[i], brief.Objects[i]
				summary[w.Outcome]++
				switch w.Outcome {
				case matching.Blocked, matching.Error, matching.OutOfScope:
					blocked++
				default:
					assert.NotEmpty(t, w.Reason)
					w.Reason, w.Fix, g.Reason, g.Fix = "", "", "", ""
				}
				w.Takeover, w.LostProxyAddresses = nil, nil
				if !assert.Equal(t, w, g, "object %d (%s)", i, w.DN) {
					return
				}
			}
			assert.Positive(t, blocked)
			assert.Equal(t, summary, brief.Summary)
			assert.False(t, brief.ExportStopped)
			var warnings []matching.Warning
			for _, w := range full.Warnings {
				if w.Code != matching.WarnDeletionThreshold {
					warnings = append(warnings, w)
				}
			}
			assert.Equal(t, warnings, brief.Warnings)
		})
	}
}
