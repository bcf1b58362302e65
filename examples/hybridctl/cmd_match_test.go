package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// demoFiles writes the embedded demo data to a temporary directory and returns the paths.
func demoFiles(t *testing.T) (ldifPath, snapPath string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{demoLDIF, demoSnapshot} {
		b, err := demoData.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644))
	}
	return filepath.Join(dir, "corp.ldif"), filepath.Join(dir, "tenant.json")
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

type matchJSON struct {
	Objects []struct {
		Side, DN, ID, Outcome, Code, Target, Reason string
	} `json:"objects"`
	Summary       map[string]int `json:"summary"`
	Warnings      []string       `json:"warnings"`
	ExportStopped bool           `json:"exportStopped"`
}

func TestMatchFormats(t *testing.T) {
	t.Parallel()
	on, cl := demoFiles(t)
	base := []string{"match", "--onprem", on, "--cloud", cl, "--scope", demoScope}
	demoJSON, _, code := run(t, "", "demo", "--json")
	require.Equal(t, 0, code)

	t.Run("json is the demo report", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", append(base, "--format", "json")...)
		require.Equal(t, 0, code, errOut)
		assert.Empty(t, errOut)
		assert.JSONEq(t, demoJSON, out)
		alias, _, code := run(t, "", append(base, "--json")...)
		require.Equal(t, 0, code)
		assert.Equal(t, out, alias)
		var rep matchJSON
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		assert.Equal(t, "onprem", rep.Objects[0].Side)
		assert.Equal(t, "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test", rep.Objects[0].DN)
		assert.Equal(t, "joined", rep.Objects[0].Outcome)
	})
	t.Run("csv has a header and one row per object", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", append(base, "--format", "csv")...)
		require.Equal(t, 0, code, errOut)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		var rep matchJSON
		require.NoError(t, json.Unmarshal([]byte(demoJSON), &rep))
		assert.Equal(t, csvHeader, rows[0])
		assert.Len(t, rows, len(rep.Objects)+1)
		assert.Equal(t, []string{"onprem", "user", "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test"}, rows[1][:3])
	})
	t.Run("table is aligned and ends with the summary", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", base...)
		require.Equal(t, 0, code, errOut)
		lines := strings.Split(out, "\n")
		require.True(t, strings.HasPrefix(lines[0], "SIDE "), lines[0])
		col := strings.Index(lines[0], "OUTCOME")
		assert.Equal(t, "joined", strings.Fields(lines[1][col:])[0])
		assert.Equal(t, "hard-match", strings.Fields(lines[2][col:])[0])
		assert.Contains(t, out, "\nSummary: joined 1, hard-match 2,")
		assert.Contains(t, out, "\nWarnings:\n  - source anchor ")
	})
	t.Run("objectGUID anchor and no scope", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", "match", "--onprem", on, "--cloud", cl, "--source-anchor", "objectGUID", "--json")
		require.Equal(t, 0, code, errOut)
		var rep matchJSON
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		// Without a scope Olivia is in scope, and with objectGUID Kate's copied anchor is not used.
		outcomes := map[string]string{}
		for _, o := range rep.Objects {
			outcomes[o.DN] = o.Outcome
		}
		assert.NotEqual(t, "out-of-scope", outcomes["CN=Olivia Grant,OU=NotSynced,DC=corp,DC=example,DC=test"])
		assert.NotEqual(t, "blocked", outcomes["CN=Mia Santos,OU=Synced,DC=corp,DC=example,DC=test"])
	})
}

func TestMatchCloudSyncClient(t *testing.T) {
	t.Parallel()
	on, cl := demoFiles(t)
	// Cloud Sync ignores the source anchor setting; the run says so instead of predicting with it.
	out, errOut, code := run(t, "", "match", "--onprem", on, "--cloud", cl, "--client", "Cloud-Sync", "--source-anchor", "objectGUID")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Cloud Sync always uses mS-DS-ConsistencyGuid")
	out, errOut, code = run(t, "", "match", "--onprem", on, "--cloud", cl, "--source-anchor", "objectGUID")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "Cloud Sync always uses")
}

func TestMatchUsageErrors(t *testing.T) {
	t.Parallel()
	on, cl := demoFiles(t)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no onprem", []string{"--cloud", cl}, "--onprem is required"},
		{"no cloud", []string{"--onprem", on}, "--cloud is required"},
		{"bad format", []string{"--onprem", on, "--cloud", cl, "--format", "xml"}, `--format "xml": want table, json or csv`},
		{"bad anchor", []string{"--onprem", on, "--cloud", cl, "--source-anchor", "employeeID"}, `--source-anchor "employeeID": want objectGUID or mS-DS-ConsistencyGuid`},
		{"custom anchor", []string{"--onprem", on, "--cloud", cl, "--source-anchor", "custom"}, `--source-anchor "custom"`},
		{"bad client", []string{"--onprem", on, "--cloud", cl, "--client", "aadconnect"}, `--client "aadconnect": want connect-sync or cloud-sync`},
		{"base with a file", []string{"--onprem", on, "--cloud", cl, "--base", "DC=corp"}, "--base applies only to an ldap:// or ldaps:// --onprem source"},
		{"extra argument", []string{"--onprem", on, "--cloud", cl, "extra"}, `unexpected argument "extra"`},
		{"unknown flag", []string{"--onprem", on, "--cloud", cl, "--nope"}, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", append([]string{"match"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.msg)
			assert.Contains(t, errOut, "hybridctl help match")
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
		})
	}
}

func TestMatchInputErrors(t *testing.T) {
	t.Parallel()
	on, cl := demoFiles(t)
	brokenLDIF := writeTemp(t, "broken.ldif", "dn: CN=a,DC=corp\nobjectClass: user\nthis line has no colon\n")
	badSnap := writeTemp(t, "tenant.json", `{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u1"}, {"id": "u1"}]}`)
	typeSnap := writeTemp(t, "typed.json", `{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u1", "accountEnabled": "yes"}]}`)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing LDIF file", []string{"--onprem", filepath.Join(t.TempDir(), "none.ldif"), "--cloud", cl}, "none.ldif: no such file or directory"},
		{"missing snapshot", []string{"--onprem", on, "--cloud", filepath.Join(t.TempDir(), "none.json")}, "none.json: no such file or directory"},
		{"LDIF syntax names file and line", []string{"--onprem", brokenLDIF, "--cloud", cl}, brokenLDIF + `:3: missing ':' in "this line has no colon"`},
		{"duplicate id names the JSON path", []string{"--onprem", on, "--cloud", badSnap}, badSnap + `: users[1].id: id "u1" already used by users[0]`},
		{"wrong type names the JSON path", []string{"--onprem", on, "--cloud", typeSnap}, typeSnap + `: users[0].accountEnabled: JSON string where a boolean is expected`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", append([]string{"match"}, tt.args...)...)
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}

// TestMatchWithoutAdapters swaps the live-source hooks, so it must not run in parallel.
func TestMatchWithoutAdapters(t *testing.T) {
	on, cl := demoFiles(t)
	savedLDAP, savedGraph := openLDAP, openGraph
	openLDAP, openGraph = nil, nil
	t.Cleanup(func() { openLDAP, openGraph = savedLDAP, savedGraph })

	_, errOut, code := run(t, "", "match", "--onprem", "ldaps://dc1.corp.example.test", "--cloud", cl)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "cannot read a live directory")
	_, errOut, code = run(t, "", "match", "--onprem", on, "--cloud", "graph")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "cannot read a live tenant")
}

// TestMatchReadErrors: one undecodable value makes that object's outcome error, with the
// attribute, the value and the file:line; every other object is predicted; exit 1 with a count.
func TestMatchReadErrors(t *testing.T) {
	t.Parallel()
	on, cl := demoFiles(t)
	good, err := os.ReadFile(on)
	require.NoError(t, err)
	bad := writeTemp(t, "bad.ldif", string(good)+"\ndn: CN=Broken,OU=Synced,DC=corp,DC=example,DC=test\nobjectClass: user\nsAMAccountName: broken\n"+
		"objectSid:: AQID\nuserAccountControl: 0x200\n")
	out, errOut, code := run(t, "", "match", "--onprem", bad, "--cloud", cl, "--scope", demoScope, "--json")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "1 object could not be read")
	var rep matchJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 1, rep.Summary["error"])
	var broken string
	for _, o := range rep.Objects {
		if o.Outcome == "error" {
			broken = o.Reason
		}
	}
	assert.Contains(t, broken, "objectSid")
	assert.Contains(t, broken, "010203")
	assert.Contains(t, broken, "userAccountControl")
	assert.Contains(t, broken, "0x200")
	assert.Contains(t, broken, "bad.ldif:")
	demo, _, _ := run(t, "", "demo", "--json")
	var want matchJSON
	require.NoError(t, json.Unmarshal([]byte(demo), &want))
	assert.Equal(t, len(want.Objects)+1, len(rep.Objects), "every other object is still predicted")
}

// TestMatchDeletionThresholdFirst: when the export would stop, the table says so before the rows
// and the JSON keeps it in warnings.
func TestMatchDeletionThresholdFirst(t *testing.T) {
	t.Parallel()
	var on []matching.OnPrem
	var cloud []matching.Cloud
	yes := true
	for i := range 3 {
		g := anchor.MustParse(fmt.Sprintf("8be74422-b0d9-47ec-b861-e7de1a9cfb2%d", i))
		cloud = append(cloud, matching.Cloud{ID: fmt.Sprintf("c%d", i), Class: matching.ClassUser, UserPrincipalName: fmt.Sprintf("u%d@x.test", i),
			ImmutableID: anchor.AnchorOf(g), SyncEnabled: &yes})
	}
	rep := matching.Evaluate(matching.Config{DeletionThreshold: 2}, matching.TenantState{AsOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}, on, cloud)
	require.True(t, rep.ExportStopped)
	var table, js bytes.Buffer
	require.NoError(t, writeReport(&table, "table", rep))
	assert.True(t, strings.HasPrefix(table.String(), "EXPORT STOPPED: 3 synced cloud objects would be deleted"), table.String())
	require.NoError(t, writeReport(&js, "json", rep))
	var got matchJSON
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	assert.True(t, got.ExportStopped)
	require.NotEmpty(t, got.Warnings)
	assert.Contains(t, got.Warnings[0], "export deletion threshold")
}
