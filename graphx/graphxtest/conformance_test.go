package graphxtest_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

func ptr[T any](v T) *T { return &v }

// seed is a small tenant: one synced user, one cloud-only user, one cloud-managed user, a
// deleted user inside and one outside the restore window.
func seed(now time.Time) *snapshot.Snapshot {
	old := now.Add(-31 * 24 * time.Hour)
	recent := now.Add(-24 * time.Hour)
	return &snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "tenant-1", DisplayName: "Contoso", OnPremisesSyncEnabled: ptr(true),
			VerifiedDomains: []snapshot.VerifiedDomain{{Name: "contoso.example", IsDefault: true}}},
		OnPremisesSynchronization: snapshot.OnPremisesSynchronization{ID: "tenant-1",
			Features: snapshot.Features{SoftMatchOnUpnEnabled: true}},
		Users: []snapshot.User{
			{ID: "u-synced", UserPrincipalName: "ann@contoso.example", ProxyAddresses: []string{"SMTP:ann@contoso.example"},
				OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncEnabled: ptr(true),
				OnPremisesDistinguishedName: "CN=Ann,DC=corp"},
			{ID: "u-cloud", UserPrincipalName: "bob@contoso.example", ProxyAddresses: []string{"SMTP:Bob@contoso.example", "smtp:robert@contoso.example"}},
			{ID: "u-managed", UserPrincipalName: "cy@contoso.example", OnPremisesImmutableID: "yYuRNW0Z6kCXeYidebdT8A==",
				OnPremisesSyncBehavior: &snapshot.SyncBehavior{IsCloudManaged: true}},
		},
		Groups:   []snapshot.Group{{ID: "g-1", DisplayName: "Sales", MailEnabled: true, OnPremisesSyncEnabled: ptr(true)}},
		Contacts: []snapshot.Contact{{ID: "c-1", Mail: "ext@partner.example"}},
		DeletedUsers: []snapshot.User{
			{ID: "d-recent", UserPrincipalName: "dee@contoso.example", DeletedDateTime: &recent, OnPremisesImmutableID: "iGhmiAEBERG7uxI0VniQqw=="},
			{ID: "d-old", UserPrincipalName: "old@contoso.example", DeletedDateTime: &old},
		},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "ra-1", PrincipalID: "u-cloud", RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/"}},
	}
}

// clock is a settable clock for the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func newPair(t *testing.T, opts ...graphxtest.Option) (*graphx.Client, *graphxtest.Server, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	opts = append([]graphxtest.Option{graphxtest.WithClock(clk.now), graphxtest.WithSeed(seed(clk.t))}, opts...)
	srv := graphxtest.NewServer(t, opts...)
	c, err := graphx.New(graphx.StaticToken("test-token"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0))
	require.NoError(t, err)
	return c, srv, clk
}

// TestConformance states the behaviours of the Graph subset and checks them against the fake
// through graphx (msgraph-sdk-go's request adapter).
func TestConformance(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, clk *clock)
	}{
		{"snapshot round-trips the seed", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			s, err := c.Snapshot(t.Context())
			require.NoError(t, err)
			assert.Equal(t, "tenant-1", s.Organization.ID)
			assert.True(t, s.OnPremisesSynchronization.Features.SoftMatchOnUpnEnabled)
			require.Len(t, s.Users, 3)
			assert.Equal(t, "IkTni9mw7Ee4YefeGpz7IA==", s.Users[0].OnPremisesImmutableID)
			assert.Equal(t, "CN=Ann,DC=corp", s.Users[0].OnPremisesDistinguishedName)
			assert.Len(t, s.Groups, 1)
			assert.Len(t, s.Contacts, 1)
			require.Len(t, s.DeletedUsers, 1, "a user deleted more than 30 days ago is purged")
			assert.Equal(t, "d-recent", s.DeletedUsers[0].ID)
			assert.Len(t, s.RoleAssignments, 1)
		}},
		{"synced user's immutable id is read-only (§1.7)", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			err := c.SetImmutableID(t.Context(), "u-synced", "yYuRNW0Z6kCXeYidebdT8A==")
			require.ErrorIs(t, err, graphx.ErrReadOnly)
			var oe *graphx.OpError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, http.StatusBadRequest, oe.Status)
			assert.Equal(t, "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService", oe.Code)
			assert.Contains(t, oe.Message, "on-premises mastered")
			assert.NotEmpty(t, oe.RequestID)
		}},
		{"cloud user's immutable id is set and cleared with null", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			require.NoError(t, c.SetImmutableID(t.Context(), "u-cloud", "QF5HMK7n80qvdYsUPIHa9Q=="))
			u, _ := srv.User("u-cloud")
			assert.Equal(t, "QF5HMK7n80qvdYsUPIHa9Q==", u.OnPremisesImmutableID)
			found, err := c.FindUsersByImmutableID(t.Context(), "QF5HMK7n80qvdYsUPIHa9Q==")
			require.NoError(t, err)
			require.Len(t, found, 1)
			require.NoError(t, c.ClearImmutableID(t.Context(), "u-cloud"))
			u, _ = srv.User("u-cloud")
			assert.Empty(t, u.OnPremisesImmutableID)
		}},
		{"cloud-managed user's immutable id is writable", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			require.NoError(t, c.ClearImmutableID(t.Context(), "u-managed"))
		}},
		{"duplicate immutable id is a conflict", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			err := c.SetImmutableID(t.Context(), "u-cloud", "yYuRNW0Z6kCXeYidebdT8A==")
			require.ErrorIs(t, err, graphx.ErrConflict)
		}},
		{"unknown user is not found", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			require.ErrorIs(t, c.ClearImmutableID(t.Context(), "nobody"), graphx.ErrNotFound)
			_, err := c.User(t.Context(), "nobody")
			require.ErrorIs(t, err, graphx.ErrNotFound)
		}},
		{"find by UPN and by proxy address (advanced query)", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			u, err := c.FindUsersByUPN(t.Context(), "BOB@contoso.example")
			require.NoError(t, err)
			require.Len(t, u, 1)
			u, err = c.FindUsersByProxyAddress(t.Context(), "smtp:robert@contoso.example")
			require.NoError(t, err)
			require.Len(t, u, 1)
			assert.Equal(t, "u-cloud", u[0].ID)
		}},
		{"SOA switch makes a synced user cloud-managed (§4c)", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			require.NoError(t, c.SetCloudManaged(t.Context(), graphx.KindUser, "u-synced", true))
			sb, err := c.SyncBehavior(t.Context(), graphx.KindUser, "u-synced")
			require.NoError(t, err)
			assert.True(t, sb.IsCloudManaged)
			u, _ := srv.User("u-synced")
			assert.Nil(t, u.OnPremisesSyncEnabled)
			require.NoError(t, c.SetImmutableID(t.Context(), "u-synced", "yYuRNW0Z6kCXeYidebdT8B=="), "writable after SOA")
			require.NoError(t, c.SetCloudManaged(t.Context(), graphx.KindGroup, "g-1", true))
		}},
		{"restore inside the 30-day window keeps id and anchor", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			u, err := c.RestoreDeletedUser(t.Context(), "d-recent")
			require.NoError(t, err)
			assert.Equal(t, "d-recent", u.ID)
			assert.Equal(t, "iGhmiAEBERG7uxI0VniQqw==", u.OnPremisesImmutableID)
			_, ok := srv.User("d-recent")
			assert.True(t, ok)
			_, err = c.RestoreDeletedUser(t.Context(), "d-old")
			require.ErrorIs(t, err, graphx.ErrNotFound)
		}},
		{"tenant disable is pending 72 h; re-enable refused meanwhile (§4b)", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, clk *clock) {
			require.NoError(t, c.SetTenantSyncEnabled(t.Context(), "tenant-1", false))
			err := c.SetTenantSyncEnabled(t.Context(), "tenant-1", true)
			require.ErrorIs(t, err, graphx.ErrConflict)
			clk.advance(72 * time.Hour)
			u, _ := srv.User("u-synced")
			assert.False(t, *u.OnPremisesSyncEnabled)
			assert.Empty(t, u.OnPremisesDistinguishedName, "the disable clears on-premises DN")
			require.NoError(t, c.SetTenantSyncEnabled(t.Context(), "tenant-1", true))
		}},
		{"feature flags toggle", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			require.NoError(t, c.SetSyncFeatures(t.Context(), "tenant-1", graphx.FeatureChange{BlockSoftMatchEnabled: ptr(true)}))
			s, err := c.OnPremisesSynchronization(t.Context())
			require.NoError(t, err)
			assert.True(t, s.Features.BlockSoftMatchEnabled)
			assert.True(t, s.Features.SoftMatchOnUpnEnabled, "untouched flag kept")
		}},
		{"onPremisesObjectIdentifier is cleared on beta only with null", func(t *testing.T, c *graphx.Client, srv *graphxtest.Server, _ *clock) {
			srv.SetObjectIdentifier("u-synced", "8be74422-b0d9-47ec-b861-e7de1a9cfb20")
			require.NoError(t, c.ClearObjectIdentifier(t.Context(), "u-synced"))
			assert.Empty(t, srv.ObjectIdentifier("u-synced"))
		}},
		{"batch answers per item", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			errs, err := c.Batch(t.Context(), []graphx.Write{
				graphx.ImmutableIDWrite("u-cloud", "QF5HMK7n80qvdYsUPIHa9Q=="),
				graphx.ImmutableIDWrite("u-synced", "QF5HMK7n80qvdYsUPIHa9A=="),
				graphx.ClearImmutableIDWrite("nobody"),
			})
			require.NoError(t, err)
			require.Len(t, errs, 3)
			assert.NoError(t, errs[0])
			assert.ErrorIs(t, errs[1], graphx.ErrReadOnly)
			assert.ErrorIs(t, errs[2], graphx.ErrNotFound)
		}},
		{"write limiter answers 429 with Retry-After", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			// the fake in this case allows 1 write per minute (see options below)
			require.NoError(t, c.SetSyncFeatures(t.Context(), "tenant-1", graphx.FeatureChange{}))
			err := c.SetSyncFeatures(t.Context(), "tenant-1", graphx.FeatureChange{})
			require.ErrorIs(t, err, graphx.ErrThrottled)
			var oe *graphx.OpError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, http.StatusTooManyRequests, oe.Status)
			assert.Equal(t, time.Minute, oe.Wait)
		}},
		{"injected 503 is mapped", func(t *testing.T, c *graphx.Client, _ *graphxtest.Server, _ *clock) {
			_, err := c.Organization(t.Context())
			require.ErrorIs(t, err, graphx.ErrThrottled)
			var oe *graphx.OpError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, 503, oe.Status)
		}},
		{"paging follows nextLink", func(t *testing.T, _ *graphx.Client, srv *graphxtest.Server, _ *clock) {
			c, err := graphx.New(graphx.StaticToken("x"), graphx.WithBaseURL(srv.URL), graphx.WithPageSize(1))
			require.NoError(t, err)
			n := 0
			for _, err := range c.Users(t.Context()) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 3, n)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []graphxtest.Option
			switch tc.name {
			case "write limiter answers 429 with Retry-After":
				opts = append(opts, graphxtest.WithWriteRate(1, time.Minute))
			case "injected 503 is mapped":
				opts = append(opts, graphxtest.WithFaults(graphxtest.FailTimes(graphxtest.OpGetOrganization, 1, graphxtest.Fault{Status: 503})))
			}
			c, srv, clk := newPair(t, opts...)
			tc.run(t, c, srv, clk)
		})
	}
}

func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	srv := graphxtest.NewServer(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/users", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

func TestParseFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, spec string
		wantErr    bool
	}{
		{"status with count", "updateUser=503x2", false},
		{"several", "listUsers=delay:2s,batch=partial,restore=drop", false},
		{"empty", "", false},
		{"bad status", "updateUser=200", true},
		{"no action", "updateUser", true},
		{"bad count", "updateUser=503x0", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := graphxtest.ParseFaults(tc.spec)
			assert.Equal(t, tc.wantErr, err != nil, "err=%v", err)
		})
	}
}

var _ = errors.Is
