package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
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
	// Deleted items older than 30 days are gone for good, as in Graph (docs/entra-rules.md §6.2).
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

const echoToken = "hybridctl-echo-token-0123456789"

// echoGraph answers every request 400 with an error echoing every request header (Authorization
// included), the bare token and terminal escapes, and echoes Authorization in a response header.
func echoGraph(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("X-Echo-Authorization", auth)
		w.Header().Set("request-id", tok)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg := fmt.Sprintf("echo %v %s \x1b]0;owned\x07\x1b[31m", r.Header, tok)
		body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "Echo\x1b[1m" + tok, "message": msg,
			"innerError": map[string]string{"request-id": tok + "\x1b[2J"}}})
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1.0"
}

// TestEchoingServerLeaksNothing: against a server that echoes the request, no subcommand that
// reaches Graph prints the token or a raw control character, on stdout or stderr.
func TestEchoingServerLeaksNothing(t *testing.T) {
	t.Parallel()
	url := echoGraph(t)
	vars := map[string]string{"HYBRIDCTL_GRAPH_TOKEN": echoToken}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"snapshot", []string{"snapshot", "-o", filepath.Join(dir, "t.json"), "--graph-endpoint", url}},
		{"match --cloud graph", []string{"match", "--onprem", filepath.Join("demodata", "corp.ldif"), "--cloud", "graph", "--graph-endpoint", url}},
		{"match --cloud graph --json", []string{"match", "--onprem", filepath.Join("demodata", "corp.ldif"), "--cloud", "graph", "--graph-endpoint", url, "--json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runEnv(t, vars, strings.NewReader(""), tc.args...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, errOut, "Echo", "the server's error is reported")
			for _, s := range []string{out, errOut} {
				assert.NotContains(t, s, echoToken)
				assert.NotContains(t, s, "\x1b")
				assert.NotContains(t, s, "\x07")
			}
		})
	}
}

// TestGraphEndpointGuards: a token is not sent over plain http to a host that is not loopback,
// and snapshot -o does not clobber a directory or a file that is not a snapshot.
func TestGraphEndpointGuards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	note := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(note, []byte("my notes, no final newline"), 0o600))
	vars := map[string]string{"HYBRIDCTL_GRAPH_TOKEN": echoToken}
	for _, tc := range []struct {
		name, want string
		args       []string
	}{
		{"plain http to a remote host", "http://graph.example/v1.0", []string{"snapshot", "-o", filepath.Join(dir, "t.json"), "--graph-endpoint", "http://graph.example/v1.0"}},
		{"match over plain http", "http://10.1.2.3:8080/v1.0", []string{"match", "--onprem", filepath.Join("demodata", "corp.ldif"), "--cloud", "graph", "--graph-endpoint", "http://10.1.2.3:8080/v1.0"}},
		{"-o is a directory", "is a directory", []string{"snapshot", "-o", dir, "--graph-endpoint", "http://127.0.0.1:1/v1.0"}},
		{"-o is another file", "not a snapshot file", []string{"snapshot", "-o", note, "--graph-endpoint", "http://127.0.0.1:1/v1.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runEnv(t, vars, strings.NewReader(""), tc.args...)
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, tc.want)
			assert.NotContains(t, out+errOut, echoToken)
		})
	}
	b, err := os.ReadFile(note)
	require.NoError(t, err)
	assert.Equal(t, "my notes, no final newline", string(b), "left as it was")
}

// TestFakeTenantListensOnLoopbackByDefault: --listen :0 binds 127.0.0.1 and says so; an explicit
// host is honoured.
func TestFakeTenantListensOnLoopbackByDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, listen, wantPrefix string
		notice                   bool
	}{
		{"no host", ":0", "http://127.0.0.1:", true},
		{"explicit loopback", "127.0.0.1:0", "http://127.0.0.1:", false},
		{"explicit IPv6 loopback", "[::1]:0", "http://[::1]:", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			var out, errOut lockedBuffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
			done := make(chan int, 1)
			go func() { done <- runMain(ctx, e, []string{"fake-tenant", "--listen", tc.listen}) }()
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(out.String(), "\n") && !strings.Contains(errOut.String(), "cannot assign") {
				require.True(t, time.Now().Before(deadline), "no URL; stderr: %s", errOut.String())
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			code := <-done
			if strings.Contains(errOut.String(), "cannot assign") {
				t.Skip("no IPv6 loopback here")
			}
			assert.Equal(t, 0, code, errOut.String())
			assert.True(t, strings.HasPrefix(out.String(), tc.wantPrefix), out.String())
			if tc.notice {
				assert.Contains(t, errOut.String(), "listening on loopback only")
			} else {
				assert.Empty(t, errOut.String())
			}
		})
	}
}
