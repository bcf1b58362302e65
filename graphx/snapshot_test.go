package graphx_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// TestSnapshotRoundTrip: fake -> graphx.Snapshot -> snapshot file -> a second fake -> graphx:
// the tenant survives unchanged.
func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	on, off := true, false
	deleted := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Second)
	seed := &snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t1", DisplayName: "Contoso", OnPremisesSyncEnabled: &on,
			VerifiedDomains: []snapshot.VerifiedDomain{{Name: "contoso.example", IsDefault: true, Type: "Managed"}}},
		OnPremisesSynchronization: snapshot.OnPremisesSynchronization{ID: "t1",
			Features: snapshot.Features{BlockSoftMatchEnabled: true}},
		Users: []snapshot.User{
			{ID: "u1", UserPrincipalName: "ann@contoso.example", Mail: "ann@contoso.example", ProxyAddresses: []string{"SMTP:ann@contoso.example"},
				OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncEnabled: &on, AccountEnabled: &on,
				OnPremisesDistinguishedName: "CN=Ann,OU=Synced,DC=corp", OnPremisesSamAccountName: "ann", UserType: "Member"},
			{ID: "u2", UserPrincipalName: "bob@contoso.example", AccountEnabled: &off,
				OnPremisesImmutableID: "EMP-0042", OnPremisesSyncBehavior: &snapshot.SyncBehavior{IsCloudManaged: true}},
		},
		Groups:          []snapshot.Group{{ID: "g1", DisplayName: "Sales", Mail: "sales@contoso.example", MailEnabled: true, ProxyAddresses: []string{"SMTP:sales@contoso.example"}}},
		Contacts:        []snapshot.Contact{{ID: "c1", Mail: "x@partner.example", ProxyAddresses: []string{"SMTP:x@partner.example"}}},
		DeletedUsers:    []snapshot.User{{ID: "d1", UserPrincipalName: "dee@contoso.example", DeletedDateTime: &deleted, OnPremisesSyncEnabled: &on}},
		RoleAssignments: []snapshot.RoleAssignment{{ID: "r1", PrincipalID: "u2", RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/"}},
	}
	read := func(s *snapshot.Snapshot) *snapshot.Snapshot {
		t.Helper()
		srv := graphxtest.NewServer(t, graphxtest.WithSeed(s))
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithPageSize(1))
		require.NoError(t, err)
		got, err := c.Snapshot(t.Context())
		require.NoError(t, err)
		return got
	}
	first := read(seed)

	var buf bytes.Buffer
	w := snapshot.NewWriter(&buf)
	require.NoError(t, w.WriteHeader(first))
	for i := range first.Users {
		require.NoError(t, w.WriteUser(&first.Users[i]))
	}
	for i := range first.Groups {
		require.NoError(t, w.WriteGroup(&first.Groups[i]))
	}
	for i := range first.Contacts {
		require.NoError(t, w.WriteContact(&first.Contacts[i]))
	}
	for i := range first.DeletedUsers {
		require.NoError(t, w.WriteDeletedUser(&first.DeletedUsers[i]))
	}
	for i := range first.RoleAssignments {
		require.NoError(t, w.WriteRoleAssignment(&first.RoleAssignments[i]))
	}
	require.NoError(t, w.Close())
	file, err := snapshot.Read(&buf, "roundtrip.json")
	require.NoError(t, err)
	second := read(file)

	for _, got := range []*snapshot.Snapshot{first, second} {
		assert.Equal(t, seed.Organization.VerifiedDomains, got.Organization.VerifiedDomains)
		assert.Equal(t, seed.OnPremisesSynchronization.Features.BlockSoftMatchEnabled, got.OnPremisesSynchronization.Features.BlockSoftMatchEnabled)
		require.Len(t, got.Users, 2)
		assert.Equal(t, seed.Users[0].OnPremisesDistinguishedName, got.Users[0].OnPremisesDistinguishedName)
		assert.Equal(t, "EMP-0042", got.Users[1].OnPremisesImmutableID, "a non-GUID anchor is kept")
		require.NotNil(t, got.Users[1].OnPremisesSyncBehavior)
		assert.True(t, got.Users[1].OnPremisesSyncBehavior.IsCloudManaged)
		assert.Equal(t, seed.Groups[0].ProxyAddresses, got.Groups[0].ProxyAddresses)
		assert.Equal(t, seed.Contacts[0].Mail, got.Contacts[0].Mail)
		require.Len(t, got.DeletedUsers, 1)
		assert.True(t, deleted.Equal(*got.DeletedUsers[0].DeletedDateTime))
		assert.Equal(t, seed.RoleAssignments[0].PrincipalID, got.RoleAssignments[0].PrincipalID)
	}
	assert.Equal(t, first.Users, second.Users)
	assert.Equal(t, first.Groups, second.Groups)
}
