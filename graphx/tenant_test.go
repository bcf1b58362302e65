package graphx_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

const (
	tenantOrg = "00000000-0000-0000-0000-0000000000aa"
	synced    = "11111111-0000-4000-8000-000000000001"
	cloudOnly = "11111111-0000-4000-8000-000000000002"
	gone      = "11111111-0000-4000-8000-000000000003"
	anchorA   = "IkTni9mw7Ee4YefeGpz7IA=="
)

func tenantSeed(now time.Time) *snapshot.Snapshot {
	on := true
	del := now.Add(-24 * time.Hour)
	return &snapshot.Snapshot{
		TakenAt:      now,
		Organization: snapshot.Organization{ID: tenantOrg, DisplayName: "T", OnPremisesSyncEnabled: &on},
		Users: []snapshot.User{
			{ID: synced, UserPrincipalName: "ann@contoso.example", OnPremisesImmutableID: anchorA, OnPremisesSyncEnabled: &on},
			{ID: cloudOnly, UserPrincipalName: "bob@contoso.example"},
		},
		DeletedUsers: []snapshot.User{{ID: gone, UserPrincipalName: "cy@contoso.example", DeletedDateTime: &del}},
	}
}

func newTenant(t *testing.T, opts ...graphxtest.Option) (*graphx.Tenant, *graphxtest.Server) {
	t.Helper()
	srv := graphxtest.NewServer(t, append([]graphxtest.Option{graphxtest.WithSeed(tenantSeed(time.Now()))}, opts...)...)
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0), graphx.WithWriteBudget(0, 0))
	require.NoError(t, err)
	return c.Tenant(), srv
}

func TestTenantReads(t *testing.T) {
	t.Parallel()
	tn, _ := newTenant(t)
	ctx := t.Context()
	org, err := tn.Organization(ctx)
	require.NoError(t, err)
	assert.Equal(t, tenantOrg, org.ID)
	require.NotNil(t, org.SyncEnabled)
	assert.True(t, *org.SyncEnabled)

	u, err := tn.User(ctx, synced)
	require.NoError(t, err)
	assert.Equal(t, anchorA, u.ImmutableID.String())
	assert.True(t, u.Synced())

	_, err = tn.User(ctx, "nope")
	assert.ErrorIs(t, err, conversion.ErrNotFound)
	assert.ErrorIs(t, err, graphx.ErrNotFound)

	d, err := tn.DeletedUser(ctx, gone)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	assert.False(t, d.DeletedAt.IsZero())
	_, err = tn.DeletedUser(ctx, synced)
	assert.ErrorIs(t, err, conversion.ErrNotFound)

	var ids []string
	for c, err := range tn.ListDeleted(ctx) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []string{gone}, ids)
}

func TestTenantWrites(t *testing.T) {
	t.Parallel()
	a := anchor.AnchorOf(anchor.MustParse(anchorA))
	other := anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb21"))
	cases := []struct {
		name    string
		do      func(t *testing.T, tn *graphx.Tenant) error
		wantErr error
		check   func(t *testing.T, srv *graphxtest.Server)
	}{
		{name: "soa: set cloud managed", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetCloudManaged(t.Context(), synced, false, true)
		}, check: func(t *testing.T, srv *graphxtest.Server) {
			u, _ := srv.User(synced)
			require.NotNil(t, u.OnPremisesSyncBehavior)
			assert.True(t, u.OnPremisesSyncBehavior.IsCloudManaged)
		}},
		{name: "cloud managed: stale old", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetCloudManaged(t.Context(), synced, true, false)
		}, wantErr: conversion.ErrConflict},
		{name: "cloud managed: missing user", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetCloudManaged(t.Context(), "nope", false, true)
		}, wantErr: conversion.ErrNotFound},
		{name: "immutable id on a synced user is read-only (§1.7)", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetImmutableID(t.Context(), synced, a, other)
		}, wantErr: conversion.ErrReadOnly},
		{name: "immutable id: stale old", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetImmutableID(t.Context(), cloudOnly, a, other)
		}, wantErr: conversion.ErrConflict},
		{name: "immutable id: stamp a cloud-only user", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetImmutableID(t.Context(), cloudOnly, anchor.SourceAnchor{}, other)
		}, check: func(t *testing.T, srv *graphxtest.Server) {
			u, _ := srv.User(cloudOnly)
			assert.Equal(t, other.String(), u.OnPremisesImmutableID)
		}},
		{name: "immutable id: duplicate is a conflict", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetImmutableID(t.Context(), cloudOnly, anchor.SourceAnchor{}, a)
		}, wantErr: conversion.ErrConflict},
		{name: "immutable id: clear after SOA with null", do: func(t *testing.T, tn *graphx.Tenant) error {
			require.NoError(t, tn.SetCloudManaged(t.Context(), synced, false, true))
			return tn.SetImmutableID(t.Context(), synced, a, anchor.SourceAnchor{})
		}, check: func(t *testing.T, srv *graphxtest.Server) {
			u, _ := srv.User(synced)
			assert.Empty(t, u.OnPremisesImmutableID)
			w := srv.Writes()
			assert.JSONEq(t, `{"onPremisesImmutableId":null}`, w[len(w)-1].Body)
		}},
		{name: "restore", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.RestoreDeleted(t.Context(), gone)
		}, check: func(t *testing.T, srv *graphxtest.Server) {
			_, ok := srv.User(gone)
			assert.True(t, ok)
		}},
		{name: "restore: unknown id", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.RestoreDeleted(t.Context(), "11111111-0000-4000-8000-0000000000ff")
		}, wantErr: conversion.ErrNotFound},
		{name: "org sync off, then on while pending (§4b)", do: func(t *testing.T, tn *graphx.Tenant) error {
			require.NoError(t, tn.SetOrgSyncEnabled(t.Context(), true, false))
			return tn.SetOrgSyncEnabled(t.Context(), false, true)
		}, wantErr: conversion.ErrConflict},
		{name: "org sync: stale old", do: func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetOrgSyncEnabled(t.Context(), false, true)
		}, wantErr: conversion.ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn, srv := newTenant(t)
			err := tc.do(t, tn)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, srv)
			}
		})
	}
}

func TestTenantErrorsMapToConversion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		fault  graphxtest.Fault
		graphx error // the graphx sentinel of the *OpError
		want   error // the one conversion sentinel errors.Is matches
		after  time.Duration
	}{
		{"429 is throttled with Retry-After", graphxtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}, graphx.ErrThrottled, conversion.ErrThrottled, 7 * time.Second},
		{"429 without Retry-After names no wait", graphxtest.Fault{Status: http.StatusTooManyRequests}, graphx.ErrThrottled, conversion.ErrThrottled, 0},
		{"403 is forbidden", graphxtest.Fault{Status: http.StatusForbidden}, graphx.ErrForbidden, conversion.ErrForbidden, 0},
		{"400 has no conversion sentinel", graphxtest.Fault{Status: http.StatusBadRequest}, graphx.ErrBadRequest, nil, 0},
		{"500 may have been made", graphxtest.Fault{Status: http.StatusInternalServerError}, graphx.ErrOutcomeUnknown, conversion.ErrUnavailable, 0},
		{"503 may have been made", graphxtest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Second}, graphx.ErrOutcomeUnknown, conversion.ErrUnavailable, time.Second},
		{"drop may have been made", graphxtest.Fault{Drop: true}, graphx.ErrOutcomeUnknown, conversion.ErrUnavailable, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn, srv := newTenant(t, graphxtest.WithInterceptor(graphxtest.FailTimes(graphxtest.OpUpdateSyncBehavior, 1, tc.fault)))
			err := tn.SetCloudManaged(t.Context(), synced, false, true)
			require.Error(t, err)
			var oe *graphx.OpError
			require.ErrorAs(t, err, &oe, "the Tenant returns the *OpError itself")
			assert.Same(t, oe, err, "no wrapper around it")
			assert.ErrorIs(t, err, tc.graphx)
			for _, s := range []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrThrottled, conversion.ErrForbidden, conversion.ErrReadOnly, conversion.ErrUnavailable} {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%v): %v", s, err)
			}
			var ra conversion.RetryAfterError
			require.ErrorAs(t, err, &ra, "every *OpError satisfies the port's interface")
			d, named := ra.RetryAfter()
			assert.Equal(t, tc.after > 0, named)
			assert.Equal(t, tc.after, d)
			assert.Empty(t, srv.Writes(), "a refused write is not applied")
		})
	}
}

// TestTenantConflictError: a write refused because the re-read value no longer holds is an
// *OpError with ErrConflict that conversion reads as ErrConflict, naming no wait.
func TestTenantConflictError(t *testing.T) {
	t.Parallel()
	tn, srv := newTenant(t)
	err := tn.SetCloudManaged(t.Context(), synced, true, false)
	var oe *graphx.OpError
	require.ErrorAs(t, err, &oe)
	assert.Same(t, oe, err)
	assert.ErrorIs(t, err, graphx.ErrConflict)
	assert.ErrorIs(t, err, conversion.ErrConflict)
	assert.NotErrorIs(t, err, conversion.ErrUnavailable)
	_, named := oe.RetryAfter()
	assert.False(t, named)
	assert.Contains(t, err.Error(), "isCloudManaged is false, expected true")
	assert.Empty(t, srv.Writes())
}

// TestTenantRestoreLostAnswer: a restore that Graph made but answered 404 (the answer of an
// earlier attempt lost, or someone else restored the user) is not conversion.ErrNotFound
// ("nothing was restored") but ErrOutcomeUnknown, so that conversion re-reads the user; a
// restore of a user that is in neither place stays ErrNotFound.
func TestTenantRestoreLostAnswer(t *testing.T) {
	t.Parallel()
	answer404 := graphxtest.Funcs{Restore: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
		if _, err := next(ctx, req); err != nil {
			return nil, err
		}
		return nil, &graphxtest.Fault{Status: http.StatusNotFound}
	}}
	tn, srv := newTenant(t, graphxtest.WithFuncs(answer404))
	err := tn.RestoreDeleted(t.Context(), gone)
	var oe *graphx.OpError
	require.ErrorAs(t, err, &oe)
	assert.Same(t, oe, err)
	assert.ErrorIs(t, err, graphx.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, conversion.ErrUnavailable)
	assert.NotErrorIs(t, err, conversion.ErrNotFound)
	assert.Contains(t, err.Error(), "the user is active")
	_, ok := srv.User(gone)
	assert.True(t, ok, "restored")

	err = tn.RestoreDeleted(t.Context(), "99999999-0000-4000-8000-000000000009")
	assert.ErrorIs(t, err, graphx.ErrNotFound)
	assert.ErrorIs(t, err, conversion.ErrNotFound)
}

// gatewayTimeout forwards every request to the server and, for the first n requests with method,
// replaces the server's answer with a 504: the write was made, the response lost at the gateway.
type gatewayTimeout struct {
	method string
	n      atomic.Int32
}

func (g *gatewayTimeout) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || r.Method != g.method || g.n.Add(-1) < 0 {
		return res, err
	}
	res.Body.Close()
	body := `{"error":{"code":"GatewayTimeout","message":"upstream timed out"}}`
	return &http.Response{StatusCode: http.StatusGatewayTimeout, Status: "504 Gateway Timeout", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"0.001"}}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: r}, nil
}

// TestTenantWriteTimeoutIsUnknown: a write answered 504 may have been made, so it must not carry
// a conversion sentinel that says it was not (ErrThrottled would make conversion send it again,
// its precondition would then fail, and an applied change would be recorded as stale). The same
// holds for a restore resent after a 504 and answered 404.
func TestTenantWriteTimeoutIsUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		method  string
		retries int
		do      func(t *testing.T, tn *graphx.Tenant) error
		check   func(t *testing.T, srv *graphxtest.Server)
	}{
		{"set cloud managed", http.MethodPatch, 0, func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetCloudManaged(t.Context(), synced, false, true)
		}, func(t *testing.T, srv *graphxtest.Server) {
			u, _ := srv.User(synced)
			require.NotNil(t, u.OnPremisesSyncBehavior)
			assert.True(t, u.OnPremisesSyncBehavior.IsCloudManaged)
		}},
		{"org sync off", http.MethodPatch, 0, func(t *testing.T, tn *graphx.Tenant) error {
			return tn.SetOrgSyncEnabled(t.Context(), true, false)
		}, nil},
		{"restore resent after a 504", http.MethodPost, 1, func(t *testing.T, tn *graphx.Tenant) error {
			return tn.RestoreDeleted(t.Context(), gone)
		}, func(t *testing.T, srv *graphxtest.Server) {
			_, ok := srv.User(gone)
			assert.True(t, ok)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := graphxtest.NewServer(t, graphxtest.WithSeed(tenantSeed(time.Now())))
			gt := &gatewayTimeout{method: tc.method}
			gt.n.Store(1)
			c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(tc.retries),
				graphx.WithWriteBudget(0, 0), graphx.WithHTTPClient(&http.Client{Transport: gt}))
			require.NoError(t, err)
			err = tc.do(t, c.Tenant())
			require.Error(t, err)
			for _, s := range []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrThrottled, conversion.ErrForbidden, conversion.ErrReadOnly} {
				assert.NotErrorIs(t, err, s, "the write was made: %v", err)
			}
			if tc.method == http.MethodPatch {
				assert.ErrorIs(t, err, conversion.ErrUnavailable, "a 504 on a write means: re-read before any resend")
			}
			require.NotEmpty(t, srv.Writes(), "the write reached the tenant")
			if tc.check != nil {
				tc.check(t, srv)
			}
		})
	}
}

// rolesServer serves the role reads of Tenant.UserRoles for user "u1": a direct assignment, an
// eligibility, membership of a role-assignable group "g1" (which holds an assignment) and of an
// ordinary group "g2", and the definitions of two roles (the third cannot be read). It records
// the $filter of each request and answers 400 to a request without one, as Graph does for
// transitive role reads.
func rolesServer(t *testing.T, filters *[]string) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	page := func(w http.ResponseWriter, items ...string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"value":[%s]}`, strings.Join(items, ","))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := r.URL.Query().Get("$filter")
		mu.Lock()
		*filters = append(*filters, r.URL.Path+"?"+f)
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/roleManagement/directory/roleAssignments"):
			switch f {
			case "principalId eq 'u1'":
				page(w, `{"id":"a-direct","principalId":"u1","roleDefinitionId":"rd-reader","directoryScopeId":"/"}`)
			case "principalId eq 'g1'":
				page(w, `{"id":"a-group","principalId":"g1","roleDefinitionId":"rd-ga","directoryScopeId":"/"}`)
			case "":
				http.Error(w, `{"error":{"code":"BadRequest","message":"filter required"}}`, http.StatusBadRequest)
			default:
				page(w)
			}
		case strings.HasSuffix(r.URL.Path, "/roleManagement/directory/roleEligibilityScheduleInstances"):
			if f == "principalId eq 'u1'" {
				page(w, `{"id":"e-direct","principalId":"u1","roleDefinitionId":"rd-custom","directoryScopeId":"/","startDateTime":"2026-01-01T00:00:00Z","endDateTime":"2027-01-01T00:00:00Z"}`)
				return
			}
			page(w)
		case strings.HasSuffix(r.URL.Path, "/users/u1/memberOf/microsoft.graph.group"):
			page(w, `{"id":"g1","isAssignableToRole":true}`, `{"id":"g2","isAssignableToRole":false}`)
		case strings.HasSuffix(r.URL.Path, "/users/nobody/memberOf/microsoft.graph.group"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":{"code":"Request_ResourceNotFound","message":"no such user"}}`)
		case strings.HasSuffix(r.URL.Path, "/beta/roleManagement/directory/roleDefinitions/rd-ga"):
			io.WriteString(w, `{"id":"rd-ga","displayName":"Global Administrator","isBuiltIn":true,"isPrivileged":true}`)
		case strings.HasSuffix(r.URL.Path, "/beta/roleManagement/directory/roleDefinitions/rd-reader"):
			io.WriteString(w, `{"id":"rd-reader","displayName":"Directory Readers","isBuiltIn":true,"isPrivileged":false}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":{"code":"Request_ResourceNotFound","message":"not found"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTenantUserRoles(t *testing.T) {
	t.Parallel()
	var filters []string
	srv := rolesServer(t, &filters)
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL+"/v1.0"), graphx.WithMaxRetries(0))
	require.NoError(t, err)
	tn := c.Tenant()
	holds, err := tn.UserRoles(t.Context(), "u1")
	require.NoError(t, err)
	byID := map[string]conversion.RoleHold{}
	for _, h := range holds {
		byID[h.ID] = h
	}
	require.Len(t, byID, 3, "%+v", holds)
	assert.Equal(t, conversion.RoleHold{Kind: conversion.HoldAssignment, ID: "a-direct", RoleDefinitionID: "rd-reader", RoleName: "Directory Readers",
		Privilege: conversion.NotPrivileged}, byID["a-direct"])
	assert.Equal(t, conversion.RoleHold{Kind: conversion.HoldAssignment, ID: "a-group", RoleDefinitionID: "rd-ga", RoleName: "Global Administrator",
		Privilege: conversion.Privileged, Group: "g1"}, byID["a-group"])
	e := byID["e-direct"]
	assert.Equal(t, conversion.HoldEligibility, e.Kind)
	assert.Equal(t, conversion.PrivilegeUnknown, e.Privilege, "a definition that cannot be read leaves the privilege unknown")
	assert.Equal(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), e.End.UTC())
	assert.Contains(t, filters, "/v1.0/roleManagement/directory/roleAssignments?principalId eq 'u1'")
	assert.Contains(t, filters, "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?principalId eq 'u1'")
	assert.Contains(t, filters, "/v1.0/roleManagement/directory/roleAssignments?principalId eq 'g1'")
	assert.NotContains(t, filters, "/v1.0/roleManagement/directory/roleAssignments?principalId eq 'g2'", "only role-assignable groups")

	n := len(filters)
	_, err = tn.UserRoles(t.Context(), "u1")
	require.NoError(t, err)
	defs := 0
	for _, f := range filters[n:] {
		if strings.Contains(f, "roleDefinitions/rd-ga") || strings.Contains(f, "roleDefinitions/rd-reader") {
			defs++
		}
	}
	assert.Zero(t, defs, "role definitions are read once")

	holds, err = tn.UserRoles(t.Context(), "nobody")
	require.NoError(t, err, "a user that is gone has no memberships")
	assert.Empty(t, holds)
}

func TestTenantUserRolesFailure(t *testing.T) {
	t.Parallel()
	tn, _ := newTenant(t, graphxtest.WithInterceptor(graphxtest.FailTimes(graphxtest.OpListRoleAssignments, 1, graphxtest.Fault{Status: http.StatusForbidden})))
	_, err := tn.UserRoles(t.Context(), synced)
	require.Error(t, err, "the re-check never passes on what it could not read")
	assert.ErrorIs(t, err, conversion.ErrForbidden)
}
