package conversiontest_test

import (
	"testing"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

func TestDirectoryConformance(t *testing.T) {
	t.Parallel()
	conversiontest.DirectoryConformance(t, func(t *testing.T) conversiontest.DirectorySetup {
		return conversiontest.DirectorySetup{
			Directory:     conversiontest.NewDirectory(),
			ParentDN:      "OU=Synced,DC=corp,DC=example,DC=test",
			OtherParentDN: "OU=Moved,DC=corp,DC=example,DC=test",
		}
	})
}

func TestTenantConformance(t *testing.T) {
	t.Parallel()
	conversiontest.TenantConformance(t, func(t *testing.T) (conversion.Tenant, conversiontest.TenantSeed) {
		on := true
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		g := anchor.MustParse("5a5a5a5a-0000-4000-8000-000000000001")
		org := matching.Tenant{ID: conversiontest.TenantID, SyncEnabled: &on,
			Roles: []matching.RoleAssignment{{ID: "ra-1", PrincipalID: "u-role", RoleDefinitionID: "rd-reader"}}}
		tn := conversiontest.NewTenant(org,
			matching.Cloud{ID: "u-cloud", Class: matching.ClassUser, UserPrincipalName: "bob@contoso.example"},
			matching.Cloud{ID: "u-synced", Class: matching.ClassUser, UserPrincipalName: "ann@contoso.example",
				ImmutableID: anchor.AnchorOf(g), SyncEnabled: &on, OnPremisesLastSync: at},
			matching.Cloud{ID: "u-role", Class: matching.ClassUser, UserPrincipalName: "dee@contoso.example"},
			matching.Cloud{ID: "u-gone", Class: matching.ClassUser, UserPrincipalName: "cy@contoso.example",
				Deleted: true, DeletedAt: at},
		)
		return tn, conversiontest.TenantSeed{TenantID: conversiontest.TenantID, SyncEnabled: true,
			CloudOnly: "u-cloud", Synced: "u-synced", Deleted: "u-gone",
			RoleHolder: "u-role", RoleDefinitionID: "rd-reader", RoleAssignmentID: "ra-1"}
	})
}
