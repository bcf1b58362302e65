package conversiontest_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// passDirectory sets every hook to call next: the wrapper must be invisible.
var passDirectory = conversiontest.DirectoryFuncs{
	User: func(ctx context.Context, g anchor.ObjectGUID, next func(context.Context, anchor.ObjectGUID) (matching.OnPrem, error)) (matching.OnPrem, error) {
		return next(ctx, g)
	},
	UserByDN: func(ctx context.Context, dn string, next func(context.Context, string) (matching.OnPrem, error)) (matching.OnPrem, error) {
		return next(ctx, dn)
	},
	SetConsistencyGUID: func(ctx context.Context, g, o, n anchor.ObjectGUID, next func(context.Context, anchor.ObjectGUID, anchor.ObjectGUID, anchor.ObjectGUID) error) error {
		return next(ctx, g, o, n)
	},
	ReplaceProxyAddresses: func(ctx context.Context, g anchor.ObjectGUID, o, n []string, next func(context.Context, anchor.ObjectGUID, []string, []string) error) error {
		return next(ctx, g, o, n)
	},
	SetMail: func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
		return next(ctx, g, o, n)
	},
	SetUPN: func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
		return next(ctx, g, o, n)
	},
	Move: func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
		return next(ctx, g, o, n)
	},
	CreateUser: func(ctx context.Context, u conversion.NewUser, next func(context.Context, conversion.NewUser) (anchor.ObjectGUID, error)) (anchor.ObjectGUID, error) {
		return next(ctx, u)
	},
}

var passTenant = conversiontest.TenantFuncs{
	Organization: func(ctx context.Context, next func(context.Context) (matching.TenantState, error)) (matching.TenantState, error) {
		return next(ctx)
	},
	User: func(ctx context.Context, id string, next func(context.Context, string) (matching.Cloud, error)) (matching.Cloud, error) {
		return next(ctx, id)
	},
	DeletedUser: func(ctx context.Context, id string, next func(context.Context, string) (matching.Cloud, error)) (matching.Cloud, error) {
		return next(ctx, id)
	},
	ListDeleted: func(ctx context.Context, next func(context.Context) iter.Seq2[matching.Cloud, error]) iter.Seq2[matching.Cloud, error] {
		return next(ctx)
	},
	UserRoles: func(ctx context.Context, id string, next func(context.Context, string) ([]conversion.RoleHold, error)) ([]conversion.RoleHold, error) {
		return next(ctx, id)
	},
	SetImmutableID: func(ctx context.Context, id string, o, n anchor.SourceAnchor, next func(context.Context, string, anchor.SourceAnchor, anchor.SourceAnchor) error) error {
		return next(ctx, id, o, n)
	},
	SetCloudManaged: func(ctx context.Context, id string, o, n bool, next func(context.Context, string, bool, bool) error) error {
		return next(ctx, id, o, n)
	},
	RestoreDeleted: func(ctx context.Context, id string, next func(context.Context, string) error) error {
		return next(ctx, id)
	},
	SetOrgSyncEnabled: func(ctx context.Context, o, n bool, next func(context.Context, bool, bool) error) error {
		return next(ctx, o, n)
	},
}

func TestDirectoryConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		wrap func(conversion.Directory) conversion.Directory
	}{
		{"fake", func(d conversion.Directory) conversion.Directory { return d }},
		{"intercepted-pass-through", func(d conversion.Directory) conversion.Directory {
			return conversiontest.InterceptDirectory(d, passDirectory)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conversiontest.DirectoryConformance(t, func(t *testing.T) conversiontest.DirectorySetup {
				d := conversiontest.NewDirectory()
				d.AddContainer("OU=Synced,DC=corp,DC=example,DC=test", "OU=Moved,DC=corp,DC=example,DC=test")
				return conversiontest.DirectorySetup{
					Directory:     tc.wrap(d),
					ParentDN:      "OU=Synced,DC=corp,DC=example,DC=test",
					OtherParentDN: "OU=Moved,DC=corp,DC=example,DC=test",
				}
			})
		})
	}
}

func newFakeTenant() (*conversiontest.Tenant, conversiontest.TenantSeed) {
	on := true
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := anchor.MustParse("5a5a5a5a-0000-4000-8000-000000000001")
	org := matching.TenantState{ID: conversiontest.TenantID, SyncEnabled: &on,
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
}

func TestTenantConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		wrap func(conversion.Tenant) conversion.Tenant
	}{
		{"fake", func(tn conversion.Tenant) conversion.Tenant { return tn }},
		{"intercepted-pass-through", func(tn conversion.Tenant) conversion.Tenant {
			return conversiontest.InterceptTenant(tn, passTenant)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conversiontest.TenantConformance(t, func(t *testing.T) (conversion.Tenant, conversiontest.TenantSeed) {
				tn, s := newFakeTenant()
				return tc.wrap(tn), s
			})
		})
	}
}
