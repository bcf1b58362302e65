package graphx_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

const (
	globalAdmin = "62e90394-69f5-4237-9190-012177145e10"
	userAdmin   = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	reader      = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
)

func strp(s string) *string { return &s }

// hardeningSeed is a tenant with every input of the July 2026 hard-match protections set.
func hardeningSeed() *snapshot.Snapshot {
	on, yes := true, true
	start := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
	recent := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	return &snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t1", DisplayName: "Contoso", OnPremisesSyncEnabled: &on},
		OnPremisesSynchronization: snapshot.OnPremisesSynchronization{ID: "t1",
			Features: snapshot.Features{SoftMatchOnUpnEnabled: true, AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: &yes}},
		Users: []snapshot.User{
			{ID: "u-remap", UserPrincipalName: "ann@contoso.example", OnPremisesObjectIdentifier: strp("8be74422-b0d9-47ec-b861-e7de1a9cfb20")},
			{ID: "u-null", UserPrincipalName: "bob@contoso.example", OnPremisesObjectIdentifier: strp("")},
			{ID: "u-unknown", UserPrincipalName: "cy@contoso.example"},
			{ID: "u-eligible", UserPrincipalName: "dee@contoso.example", OnPremisesObjectIdentifier: strp("")},
		},
		Groups: []snapshot.Group{{ID: "g-admins", DisplayName: "Tier 0", SecurityEnabled: true}, {ID: "g-other", DisplayName: "Other"}},
		DeletedUsers: []snapshot.User{{ID: "d1", UserPrincipalName: "eve@contoso.example", DeletedDateTime: &recent,
			OnPremisesObjectIdentifier: strp("11111111-2222-3333-4444-555555555555")}},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "ra1", PrincipalID: "g-admins", RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"}},
		RoleEligibilities: []snapshot.RoleEligibility{
			{ID: "re1", PrincipalID: "u-eligible", RoleDefinitionID: userAdmin, DirectoryScopeID: "/", StartDateTime: &start, EndDateTime: &end},
			{ID: "re2", PrincipalID: "u-null", RoleDefinitionID: reader, DirectoryScopeID: "/", StartDateTime: &start},
		},
		RoleDefinitions: []snapshot.RoleDefinition{
			{ID: globalAdmin, DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true},
			{ID: userAdmin, DisplayName: "User Administrator", IsBuiltIn: true, IsPrivileged: true},
			{ID: reader, DisplayName: "Global Reader", IsBuiltIn: true},
		},
		GroupMembers: []snapshot.GroupMember{{GroupID: "g-admins", MemberID: "u-remap"}, {GroupID: "g-other", MemberID: "u-null"}},
	}
}

func readSnapshot(t *testing.T, seed *snapshot.Snapshot, opts ...graphx.Option) (*snapshot.Snapshot, *graphxtest.Server) {
	t.Helper()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed))
	c, err := graphx.New(graphx.StaticToken("t"), append([]graphx.Option{graphx.WithBaseURL(srv.URL), graphx.WithPageSize(2)}, opts...)...)
	require.NoError(t, err)
	s, err := c.Snapshot(t.Context())
	require.NoError(t, err)
	return s, srv
}

// TestSnapshotHardeningInputs: graphx (on msgraph-sdk-go's request adapter) reads every input
// of the July 2026 protections from the fake, and a snapshot of them seeds a second fake that
// reads back the same.
func TestSnapshotHardeningInputs(t *testing.T) {
	t.Parallel()
	seed := hardeningSeed()
	first, _ := readSnapshot(t, seed)

	byID := map[string]snapshot.User{}
	for _, u := range first.Users {
		byID[u.ID] = u
	}
	assert.Equal(t, strp("8be74422-b0d9-47ec-b861-e7de1a9cfb20"), byID["u-remap"].OnPremisesObjectIdentifier)
	assert.Equal(t, strp(""), byID["u-null"].OnPremisesObjectIdentifier, "null is kept as null")
	assert.Nil(t, byID["u-unknown"].OnPremisesObjectIdentifier, "unknown stays unknown")
	require.Len(t, first.DeletedUsers, 1)
	assert.Equal(t, seed.DeletedUsers[0].OnPremisesObjectIdentifier, first.DeletedUsers[0].OnPremisesObjectIdentifier)
	require.NotNil(t, first.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled)
	assert.True(t, *first.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled)
	require.Len(t, first.RoleEligibilities, 2)
	for i, e := range first.RoleEligibilities {
		want := seed.RoleEligibilities[i]
		assert.Equal(t, want.PrincipalID, e.PrincipalID)
		assert.Equal(t, want.RoleDefinitionID, e.RoleDefinitionID)
		require.NotNil(t, e.StartDateTime)
		assert.True(t, want.StartDateTime.Equal(*e.StartDateTime))
		assert.Equal(t, want.EndDateTime == nil, e.EndDateTime == nil)
	}
	require.Len(t, first.RoleDefinitions, 3)
	for i, d := range first.RoleDefinitions {
		assert.Equal(t, seed.RoleDefinitions[i].ID, d.ID)
		assert.Equal(t, seed.RoleDefinitions[i].IsPrivileged, d.IsPrivileged, d.DisplayName)
	}
	assert.Equal(t, []snapshot.GroupMember{{GroupID: "g-admins", MemberID: "u-remap"}}, first.GroupMembers,
		"only the groups that hold a role are read")

	second, _ := readSnapshot(t, first)
	assert.Equal(t, first.Users, second.Users)
	assert.Equal(t, first.DeletedUsers, second.DeletedUsers)
	assert.Equal(t, first.RoleEligibilities, second.RoleEligibilities)
	assert.Equal(t, first.RoleDefinitions, second.RoleDefinitions)
	assert.Equal(t, first.GroupMembers, second.GroupMembers)
	assert.Equal(t, first.OnPremisesSynchronization.Features, second.OnPremisesSynchronization.Features)
}

// TestSnapshotHardeningInputsUnknown: a tenant that does not let the caller read the new parts
// (the fake answers 403 for what it was not seeded with) still gives a snapshot, with those
// parts nil (unknown) and a warning for each.
func TestSnapshotHardeningInputsUnknown(t *testing.T) {
	t.Parallel()
	seed := hardeningSeed()
	seed.RoleEligibilities, seed.RoleDefinitions, seed.GroupMembers = nil, nil, nil
	seed.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled = nil
	var logs bytes.Buffer
	s, _ := readSnapshot(t, seed, graphx.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Nil(t, s.RoleEligibilities)
	assert.Nil(t, s.RoleDefinitions)
	assert.Nil(t, s.GroupMembers)
	assert.Nil(t, s.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled)
	assert.Len(t, s.RoleAssignments, 1)
	assert.Contains(t, logs.String(), "role eligibilities not readable")
	assert.Contains(t, logs.String(), "role definitions not readable")
}

// TestBetaOnlyProperties: the fake, like Graph v1.0, does not know isPrivileged and
// onPremisesObjectIdentifier; graphx reads them on beta, and says so in the request it sends.
func TestBetaOnlyProperties(t *testing.T) {
	t.Parallel()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(hardeningSeed()))
	for _, tc := range []struct {
		name, path string
		want       int
	}{
		{"v1.0 user has no onPremisesObjectIdentifier", "/v1.0/users?$select=id,onPremisesObjectIdentifier", http.StatusBadRequest},
		{"beta user has it", "/beta/users?$select=id,onPremisesObjectIdentifier", http.StatusOK},
		{"v1.0 role definition has no isPrivileged", "/v1.0/roleManagement/directory/roleDefinitions?$select=id,isPrivileged", http.StatusBadRequest},
		{"beta role definition has it", "/beta/roleManagement/directory/roleDefinitions?$select=id,isPrivileged", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL[:len(srv.URL)-len("/v1.0")]+tc.path, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer t")
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			assert.Equal(t, tc.want, res.StatusCode)
		})
	}

	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL))
	require.NoError(t, err)
	v, err := c.UserObjectIdentifier(t.Context(), "u-remap")
	require.NoError(t, err)
	assert.Equal(t, strp("8be74422-b0d9-47ec-b861-e7de1a9cfb20"), v)
	require.NoError(t, c.ClearObjectIdentifier(t.Context(), "u-remap"))
	v, err = c.UserObjectIdentifier(t.Context(), "u-remap")
	require.NoError(t, err)
	assert.Equal(t, strp(""), v, "cleared to null")

	el, err := c.RoleEligibilitiesOf(t.Context(), "u-eligible")
	require.NoError(t, err)
	require.Len(t, el, 1)
	assert.Equal(t, userAdmin, el[0].RoleDefinitionID)
	ra, err := c.RoleAssignmentsOf(t.Context(), "g-admins")
	require.NoError(t, err)
	require.Len(t, ra, 1)
	none, err := c.RoleEligibilitiesOf(t.Context(), "u-unknown")
	require.NoError(t, err)
	assert.Empty(t, none)
}
