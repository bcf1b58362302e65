package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
	"github.com/hybridid/hybridid/snapshot"
)

// TestFilesGiveTheSameReport checks that writing the generated population to LDIF and a
// snapshot and reading it back loses nothing the engine looks at.
func TestFilesGiveTheSameReport(t *testing.T) {
	t.Parallel()
	const n, seed = 3000, 7
	dir := t.TempDir()
	require.NoError(t, run(n, seed, dir))

	f, err := os.Open(filepath.Join(dir, "onprem.ldif"))
	require.NoError(t, err)
	defer f.Close()
	var on []matching.OnPrem
	for rec, err := range ldif.ReadOnPrem(f, "onprem.ldif", ldif.Mapping{}) {
		require.NoError(t, err)
		on = append(on, rec)
	}
	snap, err := snapshot.ReadFile(filepath.Join(dir, "tenant.json"))
	require.NoError(t, err)
	cloud, err := snap.Cloud()
	require.NoError(t, err)
	scope, err := os.ReadFile(filepath.Join(dir, "scope.txt"))
	require.NoError(t, err)

	d := matchingtest.Generate(seed, n)
	require.Len(t, on, len(d.OnPrem))
	require.Len(t, cloud, len(d.Cloud))
	assert.Equal(t, d.Config.Scope, strings.Fields(string(scope)))

	want := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	// The snapshot groups cloud objects by kind (users, groups, contacts, deleted users), so the
	// cloud side comes back in another order: compare the on-premises results and the counts.
	got := matching.Evaluate(d.Config, snap.Tenant(), on, cloud)
	assert.Equal(t, want.Summary, got.Summary)
	assert.Equal(t, marshal(t, want.OnPrem()), marshal(t, got.OnPrem()))
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.NewEncoder(&buf).Encode(v))
	return buf.String()
}
