package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestDemoGolden(t *testing.T) {
	t.Parallel()
	out, errOut, code := run(t, "", "demo", "--json")
	require.Equal(t, 0, code, errOut)
	golden := filepath.Join("testdata", "demo.golden.json")
	if *updateGolden {
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run 'go test ./examples/hybridctl -run TestDemoGolden -update' to create it")
	assert.Equal(t, string(want), out, "demo JSON changed; if on purpose, rerun with -update and review the diff")
	assert.True(t, json.Valid([]byte(out)))
}

func TestDemoCoversEveryOutcomeAndCode(t *testing.T) {
	t.Parallel()
	rep, strict, err := demoReports()
	require.NoError(t, err)
	outcomes := map[string]bool{}
	codes := map[string]bool{}
	for _, r := range []*matching.Report{rep, strict} {
		for _, o := range r.Objects {
			outcomes[o.Outcome.String()] = true
			if o.Code != matching.NoCode {
				codes[o.Code.String()] = true
			}
		}
	}
	for _, o := range []string{"joined", "hard-match", "soft-match-smtp", "soft-match-upn", "new", "blocked", "out-of-scope", "deleted", "untouched"} {
		assert.True(t, outcomes[o], "no object has outcome %s", o)
	}
	for c := matching.Code(1); c.String() != ""; c++ {
		if c == matching.RemapBlocked {
			continue // no longer reported: AttributeUpdateNotAllowed is Entra's name for it
		}
		assert.True(t, codes[c.String()], "no object is blocked with %s", c)
	}
	// The July 2026 hard-match protections show with their reason and fix.
	var frank, kate matching.ObjectResult
	for _, o := range rep.OnPrem() {
		switch {
		case strings.HasPrefix(o.DN, "CN=Frank Ito,"):
			frank = o
		case strings.HasPrefix(o.DN, "CN=Kate Novak,"):
			kate = o
		}
	}
	assert.Equal(t, matching.InvalidHardMatch, frank.Code)
	assert.Contains(t, frank.Reason, "Global Administrator")
	assert.Contains(t, frank.Fix, "Remove the role assignment ra-frank-ga")
	assert.Equal(t, matching.AttributeUpdateNotAllowed, kate.Code)
	assert.Contains(t, kate.Fix, "onPremisesObjectIdentifier")
	// Every outcome except SoftMatchBlocked shows in the main report itself.
	main := map[matching.Outcome]bool{}
	for _, o := range rep.Objects {
		main[o.Outcome] = true
	}
	assert.True(t, main[matching.SoftMatchSMTP] && main[matching.SoftMatchUPN] && main[matching.Deleted])
	// Every result explains itself.
	for _, o := range rep.Objects {
		assert.NotEmpty(t, o.Reason, "%s%s", o.DN, o.ID)
		if o.Outcome == matching.Blocked {
			assert.NotEmpty(t, o.Fix, o.DN)
		}
	}
}

// TestDemoTextGolden pins the whole text output, both acts: the match report and the
// conversion (plan tables, apply and undo against the fakes, with a fixed clock).
func TestDemoTextGolden(t *testing.T) {
	t.Parallel()
	out, errOut, code := run(t, "", "demo")
	require.Equal(t, 0, code, errOut)
	golden := filepath.Join("testdata", "demo.golden.txt")
	if *updateGolden {
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run 'go test ./examples/hybridctl -run TestDemoTextGolden -update' to create it")
	assert.Equal(t, string(want), out, "demo text changed; if on purpose, rerun with -update and review the diff")
	assert.Contains(t, out, "\nAct 2: convert users")
	assert.Contains(t, out, "Every value is back as it was.")
	assert.Contains(t, out, "dev.patel@contoso.example     soft-match-upn from CN=Dev Patel,OU=Synced,DC=corp,DC=example,DC=test  hard-match from")
}

func TestDemoText(t *testing.T) {
	t.Parallel()
	out, errOut, code := run(t, "", "demo")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.True(t, strings.HasPrefix(out, "hybridctl demo: "))
	assert.Contains(t, out, "SIDE    OBJECT")
	assert.Contains(t, out, "\nSummary: ")
	assert.Contains(t, out, "What if blockSoftMatchEnabled were on")
	assert.Contains(t, out, "soft-match-smtp -> blocked SoftMatchBlocked")

	_, errOut, code = run(t, "", "demo", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unexpected argument "extra"`)
}
