package graphx_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
)

const echoToken = "echo-secret-token-0123456789"

// echoServer answers every request 400 with an error whose message holds every request header
// (Authorization included), the bare token and terminal escape sequences, and echoes the
// Authorization header back in response headers, as some proxies and gateways do.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("X-Echo-Authorization", auth)
		w.Header().Set("request-id", tok)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg := fmt.Sprintf("echo: %v token=%s \x1b]0;owned\x07\x1b[31mred", r.Header, tok)
		body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "Echo\x1b[1m" + tok, "message": msg,
			"innerError": map[string]string{"request-id": tok + "\x1b[2J"}}})
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEchoedSecretsAreScrubbed: whatever a server echoes, a graphx error and log carry neither
// the token nor a control character, for reads, single writes and batches.
func TestEchoedSecretsAreScrubbed(t *testing.T) {
	t.Parallel()
	srv := echoServer(t)
	var logs bytes.Buffer
	c, err := graphx.New(graphx.StaticToken(echoToken), graphx.WithBaseURL(srv.URL+"/v1.0"), graphx.WithMaxRetries(0),
		graphx.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	var errs []error
	_, err = c.Organization(t.Context())
	errs = append(errs, err)
	errs = append(errs, c.SetImmutableID(t.Context(), "u1", "IkTni9mw7Ee4YefeGpz7IA=="))
	errs = append(errs, c.ClearObjectIdentifier(t.Context(), "u1"))
	_, err = c.Snapshot(t.Context())
	errs = append(errs, err)
	items, err := c.Batch(t.Context(), []graphx.Write{graphx.ImmutableIDWrite("u1", "A1")})
	errs = append(errs, err)
	errs = append(errs, items...)
	n := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		n++
		var oe *graphx.OpError
		if assert.ErrorAs(t, err, &oe) {
			assert.Contains(t, oe.Code, "Echo", "the server's error was parsed: %v", err)
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.NotContains(t, text, echoToken)
			assert.NotContains(t, text, "\x1b")
			assert.NotContains(t, text, "\x07")
		}
	}
	assert.Equal(t, 5, n, "every call failed against the echo server")
	assert.NotContains(t, logs.String(), echoToken)
	assert.NotContains(t, logs.String(), "\x1b")
}

// sendCounter forwards to next and then, for the requests with method, answers as the test
// says: a lost response (timeout after the server got the request) or a failed dial (never
// sent).
type sendCounter struct {
	next   http.RoundTripper
	method string
	mode   string // "timeout" or "dial"
	sends  atomic.Int32
}

func (s *sendCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != s.method {
		return s.next.RoundTrip(r)
	}
	s.sends.Add(1)
	if s.mode == "dial" {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	}
	res, err := s.next.RoundTrip(r)
	if err == nil {
		res.Body.Close()
	}
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
}

// TestWriteOutcomeUnknown: a write whose answer timed out is sent once and fails with
// ErrOutcomeUnknown (it was made); one whose dial failed is sent once (no more) and fails with
// ErrUnavailable; a batch whose answer was lost marks every item unknown.
func TestWriteOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, mode string
		batch              bool
		want               error
		applied            bool
	}{
		{"PATCH timed out", http.MethodPatch, "timeout", false, graphx.ErrOutcomeUnknown, true},
		{"PATCH dial failed", http.MethodPatch, "dial", false, graphx.ErrUnavailable, false},
		{"batch timed out", http.MethodPost, "timeout", true, graphx.ErrOutcomeUnknown, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, err := graphxtest.New(graphxtest.WithSeed(seedUsers(2)))
			require.NoError(t, err)
			sc := &sendCounter{next: fake.Transport(), method: tc.method, mode: tc.mode}
			c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
				graphx.WithHTTPClient(&http.Client{Transport: sc}), graphx.WithMaxRetries(5), graphx.WithWriteBudget(0, 0))
			require.NoError(t, err)
			if tc.batch {
				items, err := c.Batch(t.Context(), []graphx.Write{graphx.ImmutableIDWrite("u-00000", "A1"), graphx.ImmutableIDWrite("u-00001", "A2")})
				require.NoError(t, err)
				for _, e := range items {
					assert.ErrorIs(t, e, tc.want)
				}
			} else {
				assert.ErrorIs(t, c.SetImmutableID(t.Context(), "u-00000", "A1"), tc.want)
			}
			assert.EqualValues(t, 1, sc.sends.Load(), "sent once, never resent")
			assert.Equal(t, tc.applied, len(fake.Writes()) > 0)
		})
	}
}
