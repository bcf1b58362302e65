package matching_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
)

// verdict is the order-independent part of a result.
type verdict struct {
	Outcome      matching.Outcome
	Code         matching.Code
	Target       string
	PredictedUPN string
	MatchedBy    string
}

func verdicts(t *testing.T, rep *matching.Report) map[string]verdict {
	t.Helper()
	m := make(map[string]verdict, len(rep.Objects))
	for _, r := range rep.Objects {
		key := r.Side.String() + "|" + r.DN + r.ID
		require.NotContains(t, m, key, "generated keys must be unique")
		m[key] = verdict{r.Outcome, r.Code, r.Target, r.PredictedUPN, r.MatchedBy}
	}
	return m
}

func sameVerdicts(t *testing.T, want, got map[string]verdict) {
	t.Helper()
	assert.Len(t, got, len(want))
	bad := 0
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			bad++
			if bad <= 5 {
				t.Errorf("%s: got %+v, want %+v", k, g, w)
			}
		}
	}
	assert.Zero(t, bad, "objects whose verdict changed")
}

// TestShuffleInvariance: the order of the input does not change any object's outcome.
func TestShuffleInvariance(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3} {
		t.Run("seed"+string(rune('0'+seed)), func(t *testing.T) {
			t.Parallel()
			d := matchingtest.Generate(seed, 3000)
			want := verdicts(t, matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud))
			rng := rand.New(rand.NewPCG(uint64(seed), 7))
			on, cl := slices.Clone(d.OnPrem), slices.Clone(d.Cloud)
			rng.Shuffle(len(on), func(i, j int) { on[i], on[j] = on[j], on[i] })
			rng.Shuffle(len(cl), func(i, j int) { cl[i], cl[j] = cl[j], cl[i] })
			rep := matching.Evaluate(d.Config, d.Tenant, on, cl)
			sameVerdicts(t, want, verdicts(t, rep))
			// objects appear in input order
			for i := range on {
				assert.Equal(t, on[i].DN, rep.OnPrem()[i].DN)
			}
			for i := range cl {
				assert.Equal(t, cl[i].ID, rep.Cloud()[i].ID)
			}
		})
	}
}

// TestUnrelatedObjectInvariance: adding objects that share no value with the others changes no
// other object's outcome.
func TestUnrelatedObjectInvariance(t *testing.T) {
	t.Parallel()
	d := matchingtest.Generate(5, 2000)
	want := verdicts(t, matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud))
	extraOn := matching.OnPrem{
		DN: "CN=zz-unrelated,OU=Users,OU=Synced,DC=corp,DC=example,DC=test", Class: matching.ClassUser,
		ObjectGUID: anchor.MustParse("00000000-1111-2222-3333-444444444444"), UserPrincipalName: "zz-unrelated@corp.example.test",
		ProxyAddresses: []string{"SMTP:zz-unrelated@corp.example.test"}, SAMAccountName: "zz-unrelated", Enabled: true,
	}
	extraCloud := matching.Cloud{ID: "zz-cloud", Class: matching.ClassUser, UserPrincipalName: "zz-cloud@corp.example.test",
		ProxyAddresses: []string{"SMTP:zz-cloud@corp.example.test"}}
	for _, pos := range []int{0, 1000, 2000} {
		on := slices.Insert(slices.Clone(d.OnPrem), pos, extraOn)
		cl := slices.Insert(slices.Clone(d.Cloud), pos, extraCloud)
		got := verdicts(t, matching.Evaluate(d.Config, d.Tenant, on, cl))
		assert.Equal(t, matching.New, got["onprem|"+extraOn.DN].Outcome)
		assert.Equal(t, matching.Untouched, got["cloud|zz-cloud"].Outcome)
		delete(got, "onprem|"+extraOn.DN)
		delete(got, "cloud|zz-cloud")
		sameVerdicts(t, want, got)
	}
}

// TestDeterministic: the same input gives the same report, reasons included.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	d := matchingtest.Generate(9, 5000)
	a := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	b := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	assert.Equal(t, a, b)
}

// TestGeneratorKinds checks that every scenario the generator builds gets the outcome it was
// built for, which also exercises the engine on a large mixed population.
func TestGeneratorKinds(t *testing.T) {
	t.Parallel()
	d := matchingtest.Generate(11, 20000)
	rep := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	want := map[matchingtest.Kind][]matching.Outcome{
		matchingtest.KindJoined:        {matching.Joined},
		matchingtest.KindHardMatch:     {matching.HardMatch},
		matchingtest.KindSoftSMTP:      {matching.SoftMatchSMTP},
		matchingtest.KindSoftUPN:       {matching.SoftMatchUPN},
		matchingtest.KindRestore:       {matching.HardMatch},
		matchingtest.KindNew:           {matching.New},
		matchingtest.KindNewQuarantine: {matching.New},
		matchingtest.KindOutOfScope:    {matching.OutOfScope},
		matchingtest.KindFiltered:      {matching.OutOfScope},
	}
	wantCode := map[matchingtest.Kind]matching.Code{
		matchingtest.KindInvalidSoftMatch: matching.InvalidSoftMatch,
		matchingtest.KindAdminSoft:        matching.ExistingAdminRoleConflict,
		matchingtest.KindAdminHard:        matching.InvalidHardMatch,
		matchingtest.KindTypeMismatch:     matching.ObjectTypeMismatch,
		matchingtest.KindCloudManaged:     matching.CloudManaged,
	}
	for i, r := range rep.OnPrem() {
		k := d.Kinds[i]
		if r.Code == matching.AmbiguousMatch || k == matchingtest.KindDuplicateUPN {
			continue // a duplicate UPN neighbour makes any scenario ambiguous
		}
		if outs, ok := want[k]; ok {
			assert.Contains(t, outs, r.Outcome, "kind %d %s: %s", k, r.DN, r.Reason)
		}
		if c, ok := wantCode[k]; ok {
			assert.Equal(t, c, r.Code, "kind %d %s: %s", k, r.DN, r.Reason)
		}
	}
	assert.Positive(t, rep.Summary[matching.Deleted])
}

// TestJSONRoundTrip: a report decodes back from its JSON form, words and all.
func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	d := matchingtest.Generate(4, 500)
	rep := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var back matching.Report
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rep.Objects, back.Objects)
	assert.Equal(t, rep.Summary, back.Summary)
	assert.Equal(t, rep.Warnings, back.Warnings)
	assert.Len(t, back.OnPrem(), 500)
	assert.Len(t, back.Cloud(), 500)
}
