package graphx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// TestTenantConformance runs the conversion.Tenant port suite against graphx.Tenant: the real
// Graph client (static token) against a fresh graphxtest server per subtest.
func TestTenantConformance(t *testing.T) {
	t.Parallel()
	const (
		org      = "00000000-0000-0000-0000-0000000000ab"
		synced   = "22222222-0000-4000-8000-000000000001"
		cloud    = "22222222-0000-4000-8000-000000000002"
		deleted  = "22222222-0000-4000-8000-000000000003"
		holder   = "22222222-0000-4000-8000-000000000004"
		readerID = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" // Directory Readers
	)
	conversiontest.TenantConformance(t, func(t *testing.T) (conversion.Tenant, conversiontest.TenantSeed) {
		on := true
		now := time.Now()
		del := now.Add(-24 * time.Hour)
		seed := &snapshot.Snapshot{
			TakenAt:      now,
			Organization: snapshot.Organization{ID: org, DisplayName: "Conformance", OnPremisesSyncEnabled: &on},
			Users: []snapshot.User{
				{ID: synced, UserPrincipalName: "ann@contoso.example", OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncEnabled: &on},
				{ID: cloud, UserPrincipalName: "bob@contoso.example"},
				{ID: holder, UserPrincipalName: "dee@contoso.example"},
			},
			DeletedUsers:      []snapshot.User{{ID: deleted, UserPrincipalName: "cy@contoso.example", DeletedDateTime: &del}},
			RoleAssignments:   []snapshot.RoleAssignment{{ID: "ra-1", PrincipalID: holder, RoleDefinitionID: readerID, DirectoryScopeID: "/"}},
			RoleEligibilities: []snapshot.RoleEligibility{},
			RoleDefinitions:   []snapshot.RoleDefinition{{ID: readerID, DisplayName: "Directory Readers", IsBuiltIn: true}},
			GroupMembers:      []snapshot.GroupMember{},
		}
		srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed))
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0), graphx.WithWriteBudget(0, 0))
		require.NoError(t, err)
		return c.Tenant(), conversiontest.TenantSeed{TenantID: org, SyncEnabled: true, CloudOnly: cloud, Synced: synced,
			Deleted: deleted, RoleHolder: holder, RoleDefinitionID: readerID, RoleAssignmentID: "ra-1"}
	})
}
