package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/snapshot"
)

// lockedBuffer is a bytes.Buffer safe for one writer goroutine and a polling reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startFakeTenant runs `hybridctl fake-tenant` seeded with the demo tenant on a free loopback
// port and returns its base URL; the server stops at the end of the test.
func startFakeTenant(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut lockedBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- runMain(ctx, e, []string{"fake-tenant", "--listen", "127.0.0.1:0", "--seed", filepath.Join("demodata", "tenant.json")})
	}()
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, 0, <-done, "fake-tenant exit status; stderr: %s", errOut.String())
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "\n") {
		require.True(t, time.Now().Before(deadline), "fake-tenant printed no URL; stderr: %s", errOut.String())
		time.Sleep(10 * time.Millisecond)
	}
	url := strings.TrimSpace(out.String())
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:") && strings.HasSuffix(url, "/v1.0"), url)
	return url
}

func TestSnapshotAndMatchAgainstFakeTenant(t *testing.T) {
	t.Parallel()
	url := startFakeTenant(t)
	vars := map[string]string{"HYBRIDCTL_GRAPH_TOKEN": "test-token"}

	file := filepath.Join(t.TempDir(), "tenant.json")
	_, errOut, code := runEnv(t, vars, strings.NewReader(""), "snapshot", "-o", file, "--graph-endpoint", url)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "test-token", "the token is never printed")

	got, err := snapshot.ReadFile(file)
	require.NoError(t, err)
	seed, err := snapshot.ReadFile(filepath.Join("demodata", "tenant.json"))
	require.NoError(t, err)
	assert.Len(t, got.Users, len(seed.Users))
	// Deleted items older than 30 days are gone for good, as in Graph (reference §6.2).
	var restorable []string
	for _, u := range seed.DeletedUsers {
		if u.DeletedDateTime != nil && time.Since(*u.DeletedDateTime) < 30*24*time.Hour {
			restorable = append(restorable, u.ID)
		}
	}
	var deleted []string
	for _, u := range got.DeletedUsers {
		deleted = append(deleted, u.ID)
	}
	assert.ElementsMatch(t, restorable, deleted)
	assert.Equal(t, seed.Organization.ID, got.Organization.ID)
	assert.Equal(t, seed.OnPremisesSynchronization.Features.SoftMatchOnUpnEnabled, got.OnPremisesSynchronization.Features.SoftMatchOnUpnEnabled)

	// The live tenant and its snapshot give the same prediction.
	ldifPath := filepath.Join("demodata", "corp.ldif")
	scope := "OU=Synced,DC=corp,DC=example,DC=test"
	live, errOut, code := runEnv(t, vars, strings.NewReader(""), "match", "--onprem", ldifPath, "--cloud", "graph",
		"--graph-endpoint", url, "--scope", scope, "--json")
	require.Equal(t, 0, code, errOut)
	fromFile, errOut, code := runEnv(t, vars, strings.NewReader(""), "match", "--onprem", ldifPath, "--cloud", file,
		"--scope", scope, "--json")
	require.Equal(t, 0, code, errOut)
	var a, b struct {
		Summary map[string]int `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(live), &a))
	require.NoError(t, json.Unmarshal([]byte(fromFile), &b))
	assert.Equal(t, b.Summary, a.Summary)
	assert.NotEmpty(t, a.Summary)
}

func TestGraphCommandUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"fake-tenant without listen", []string{"fake-tenant"}},
		{"fake-tenant bad faults", []string{"fake-tenant", "--listen", "127.0.0.1:0", "--faults", "nonsense"}},
		{"fake-tenant negative rate", []string{"fake-tenant", "--listen", "127.0.0.1:0", "--write-rate", "-1"}},
		{"snapshot without -o", []string{"snapshot"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := run(t, "", tc.args...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, "hybridctl help")
		})
	}
}
