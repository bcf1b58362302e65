package graphx_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

const secret = "s3cret-token-value"

func TestNewOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    []graphx.Option
		wantErr string
	}{
		{"defaults", nil, ""},
		{"fake base", []graphx.Option{graphx.WithBaseURL("http://127.0.0.1:1/v1.0/")}, ""},
		{"no version", []graphx.Option{graphx.WithBaseURL("https://graph.microsoft.com")}, "must end in /v1.0"},
		{"relative", []graphx.Option{graphx.WithBaseURL("/v1.0")}, "absolute"},
		{"ftp", []graphx.Option{graphx.WithBaseURL("ftp://x/v1.0")}, "absolute"},
		{"bad budget period", []graphx.Option{graphx.WithWriteBudget(10, 0)}, "period"},
		{"budget off", []graphx.Option{graphx.WithWriteBudget(0, 0)}, ""},
		{"negative retries", []graphx.Option{graphx.WithMaxRetries(-1)}, "negative"},
		{"page size", []graphx.Option{graphx.WithPageSize(1000)}, "1..999"},
		{"nil http client", []graphx.Option{graphx.WithHTTPClient(nil)}, "nil HTTP client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := graphx.New(graphx.StaticToken(secret), tc.opts...)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, c)
		})
	}
	_, err := graphx.New(nil)
	assert.Error(t, err)
}

func TestStaticTokenIsRedacted(t *testing.T) {
	t.Parallel()
	cred := graphx.StaticToken(secret)
	assert.NotContains(t, fmt.Sprint(cred), secret)
	assert.NotContains(t, fmt.Sprintf("%#v", cred), secret)
}

// TestTokenNotSentOverPlainHTTPToRemoteHost: a token (static or not) goes over plain http to a
// loopback host only; New refuses any other endpoint and names it, and a followed link to a
// plain-http host is refused before the token is sent.
func TestTokenNotSentOverPlainHTTPToRemoteHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, base string
		cred       azcore.TokenCredential
		ok         bool
	}{
		{"static token, remote host", "http://graph.example/v1.0", graphx.StaticToken(secret), false},
		{"static token, remote IP", "http://10.0.0.5:8080/v1.0", graphx.StaticToken(secret), false},
		{"static token, all interfaces", "http://0.0.0.0:8080/v1.0", graphx.StaticToken(secret), false},
		{"credential, remote host", "http://graph.example/v1.0", nonStatic{}, false},
		{"static token, 127.0.0.1", "http://127.0.0.1:8080/v1.0", graphx.StaticToken(secret), true},
		{"static token, 127.3.2.1", "http://127.3.2.1/v1.0", graphx.StaticToken(secret), true},
		{"static token, ::1", "http://[::1]:8080/v1.0", graphx.StaticToken(secret), true},
		{"static token, localhost", "http://LOCALHOST:8080/v1.0", graphx.StaticToken(secret), true},
		{"static token, https", "https://graph.example/v1.0", graphx.StaticToken(secret), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := graphx.New(tc.cred, graphx.WithBaseURL(tc.base))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "refusing to send a bearer token over plain http")
			assert.Contains(t, err.Error(), tc.base, "the error names the endpoint")
			assert.NotContains(t, err.Error(), secret)
		})
	}

	var seen int
	c, err := graphx.New(graphx.StaticToken(secret), graphx.WithBaseURL("http://127.0.0.1:1/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			seen++
			body := `{"value":[{"id":"u1"}],"@odata.nextLink":"http://graph.example/v1.0/users?$skiptoken=X1"}`
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})}))
	require.NoError(t, err)
	for _, err = range c.Users(t.Context()) {
		if err != nil {
			break
		}
	}
	require.Error(t, err)
	assert.Equal(t, 1, seen, "the link to another host is not followed")
}

func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	srv := graphxtest.NewServer(t, graphxtest.WithFaults(graphxtest.FailTimes("*", 2, graphxtest.Fault{Status: 503})))
	c, err := graphx.New(graphx.StaticToken(secret), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0),
		graphx.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, err = c.Organization(t.Context())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, fmt.Sprintf("%#v", err), secret)
	assert.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), secret)
}

func TestRetries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		fault     graphxtest.Fault
		op        string
		times     int
		write     bool
		wantErr   error
		wantTries int64
	}{
		{"503 on read is retried", graphxtest.Fault{Status: 503}, graphxtest.OpGetOrganization, 2, false, nil, 3},
		{"429 with Retry-After on write is retried", graphxtest.Fault{Status: 429, RetryAfter: 5 * time.Second}, graphxtest.OpUpdateUser, 1, true, nil, 2},
		{"dropped read is retried", graphxtest.Fault{Drop: true}, graphxtest.OpGetOrganization, 1, false, nil, 2},
		{"dropped write is not resent", graphxtest.Fault{Drop: true}, graphxtest.OpUpdateUser, 1, true, graphx.ErrOutcomeUnknown, 1},
		{"503 on write is not resent", graphxtest.Fault{Status: 503, RetryAfter: time.Second}, graphxtest.OpUpdateUser, 1, true, graphx.ErrOutcomeUnknown, 1},
		{"504 on write is not resent", graphxtest.Fault{Status: 504}, graphxtest.OpUpdateUser, 1, true, graphx.ErrOutcomeUnknown, 1},
		{"504 on read is retried", graphxtest.Fault{Status: 504}, graphxtest.OpGetOrganization, 1, false, nil, 2},
		{"500 on write is not resent", graphxtest.Fault{Status: 500}, graphxtest.OpUpdateUser, 1, true, graphx.ErrOutcomeUnknown, 1},
		{"404 is not retried", graphxtest.Fault{Status: 404}, graphxtest.OpUpdateUser, 1, true, graphx.ErrNotFound, 1},
		{"retries run out", graphxtest.Fault{Status: 503}, graphxtest.OpGetOrganization, 100, false, graphx.ErrThrottled, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				fake, err := graphxtest.New(graphxtest.WithSeed(seedUsers(1)),
					graphxtest.WithFaults(graphxtest.FailTimes(tc.op, tc.times, tc.fault)))
				require.NoError(t, err)
				c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
					graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}), graphx.WithMaxRetries(3))
				require.NoError(t, err)
				before := fake.Requests()
				start := time.Now()
				if tc.write {
					err = c.SetImmutableID(t.Context(), "u-00000", "A0000001")
				} else {
					_, err = c.Organization(t.Context())
				}
				if tc.wantErr == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, tc.wantErr)
				}
				assert.Equal(t, tc.wantTries, fake.Requests()-before)
				if tc.fault.RetryAfter > 0 && tc.wantErr == nil {
					assert.GreaterOrEqual(t, time.Since(start), tc.fault.RetryAfter)
				}
			})
		})
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"value":[{"id":"u1"}],"@odata.nextLink":"https://evil.example/v1.0/users?$skiptoken=1"}`)
	}))
	defer srv.Close()
	c, err := graphx.New(graphx.StaticToken(secret), graphx.WithBaseURL(srv.URL+"/v1.0"))
	require.NoError(t, err)
	var ids []string
	var last error
	for u, err := range c.Users(t.Context()) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []string{"u1"}, ids)
	assert.ErrorContains(t, last, "another host")
}

func TestUsersWithSyncBehaviorAndAnnotations(t *testing.T) {
	t.Parallel()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(&snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t"},
		Users: []snapshot.User{
			{ID: "converted", OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncBehavior: &snapshot.SyncBehavior{IsCloudManaged: true}},
			{ID: "cloud"},
		},
	}))
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL))
	require.NoError(t, err)
	s, err := c.Snapshot(t.Context())
	require.NoError(t, err)
	require.Len(t, s.Users, 2)
	require.NotNil(t, s.Users[0].OnPremisesSyncBehavior)
	assert.True(t, s.Users[0].OnPremisesSyncBehavior.IsCloudManaged)
	assert.Empty(t, s.Users[0].OnPremisesSyncBehavior.Extra)
	assert.Nil(t, s.Users[1].OnPremisesSyncBehavior, "a cloud-only user costs no extra request")
	u, err := c.User(t.Context(), "cloud")
	require.NoError(t, err)
	assert.NotContains(t, u.Extra, "@odata.context")
}

func TestGroupsAndContactsWithSyncBehavior(t *testing.T) {
	t.Parallel()
	synced := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(&snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t"},
		Groups: []snapshot.Group{
			{ID: "g-converted", DisplayName: "Sales", OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==",
				OnPremisesLastSyncDateTime: &synced, OnPremisesSyncBehavior: &snapshot.SyncBehavior{IsCloudManaged: true}},
			{ID: "g-cloud", DisplayName: "Cloud only"},
		},
		Contacts: []snapshot.Contact{
			{ID: "c-converted", Mail: "x@fabrikam.example", OnPremisesLastSyncDateTime: &synced,
				OnPremisesSyncBehavior: &snapshot.SyncBehavior{IsCloudManaged: true}},
			{ID: "c-cloud", Mail: "y@fabrikam.example"},
		},
	}))
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL))
	require.NoError(t, err)
	s, err := c.Snapshot(t.Context())
	require.NoError(t, err)
	require.Len(t, s.Groups, 2)
	require.Len(t, s.Contacts, 2)
	byGroup := map[string]snapshot.Group{}
	for _, g := range s.Groups {
		byGroup[g.ID] = g
	}
	require.NotNil(t, byGroup["g-converted"].OnPremisesSyncBehavior, "docs/entra-rules.md §4c: groups carry the SOA state too")
	assert.True(t, byGroup["g-converted"].OnPremisesSyncBehavior.IsCloudManaged)
	assert.Nil(t, byGroup["g-cloud"].OnPremisesSyncBehavior, "a cloud-only group costs no extra request")
	byContact := map[string]snapshot.Contact{}
	for _, o := range s.Contacts {
		byContact[o.ID] = o
	}
	require.NotNil(t, byContact["c-converted"].OnPremisesSyncBehavior)
	assert.True(t, byContact["c-converted"].OnPremisesSyncBehavior.IsCloudManaged)
	assert.Nil(t, byContact["c-cloud"].OnPremisesSyncBehavior)
}

func TestBatchChunksAndBeta(t *testing.T) {
	t.Parallel()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(seedUsers(45)))
	srv.SetObjectIdentifier("u-00001", "x")
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var ws []graphx.Write
	for i := range 45 {
		ws = append(ws, graphx.ImmutableIDWrite(fmt.Sprintf("u-%05d", i), fmt.Sprintf("B%07d", i)))
	}
	ws = append(ws, graphx.ClearObjectIdentifierWrite("u-00001"))
	before := srv.Requests()
	errs, err := c.Batch(t.Context(), ws)
	require.NoError(t, err)
	for i, e := range errs {
		assert.NoError(t, e, "item %d", i)
	}
	assert.Equal(t, int64(4), srv.Requests()-before, "3 batches of at most 20 plus one beta request")
	assert.Empty(t, srv.ObjectIdentifier("u-00001"))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSlowAnswerHonoursContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		fake, err := graphxtest.New(graphxtest.WithFaults(graphxtest.FailTimes(graphxtest.OpGetOrganization, 1, graphxtest.Fault{Delay: time.Minute})))
		require.NoError(t, err)
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
			graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err = c.Organization(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		var oe *graphx.OpError
		assert.ErrorAs(t, err, &oe)
		_, err = c.Organization(t.Context())
		assert.NoError(t, err, "the next call is answered at once")
	})
}
