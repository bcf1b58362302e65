package conversiontest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
)

var at = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func TestTenantRules(t *testing.T) {
	t.Parallel()
	ten, _, cloud := conversiontest.Population(1, at)
	id := cloud[0].ID
	for _, tc := range []struct {
		name string
		run  func(ft *conversiontest.Tenant) error
		want error
	}{
		{"immutable id read-only while synced", func(ft *conversiontest.Tenant) error {
			return ft.SetImmutableID(t.Context(), id, cloud[0].ImmutableID, anchor.SourceAnchor{})
		}, conversion.ErrReadOnly},
		{"wrong old value", func(ft *conversiontest.Tenant) error { return ft.SetCloudManaged(t.Context(), id, true, false) }, conversion.ErrConflict},
		{"missing user", func(ft *conversiontest.Tenant) error { return ft.SetCloudManaged(t.Context(), "nope", false, true) }, conversion.ErrNotFound},
		{"restore of a live user", func(ft *conversiontest.Tenant) error { return ft.RestoreDeleted(t.Context(), id) }, conversion.ErrNotFound},
		{"clear after SOA", func(ft *conversiontest.Tenant) error {
			require.NoError(t, ft.SetCloudManaged(t.Context(), id, false, true))
			return ft.SetImmutableID(t.Context(), id, cloud[0].ImmutableID, anchor.SourceAnchor{})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ft := conversiontest.NewTenant(ten, cloud...)
			err := tc.run(ft)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestSoftDeleteRestore(t *testing.T) {
	t.Parallel()
	ten, _, cloud := conversiontest.Population(2, at)
	ft := conversiontest.NewTenant(ten, cloud...)
	require.NoError(t, ft.SoftDelete(cloud[1].ID, at))
	var ids []string
	for u, err := range ft.ListDeleted(t.Context()) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []string{cloud[1].ID}, ids)
	require.NoError(t, ft.RestoreDeleted(t.Context(), cloud[1].ID))
	got, ok := ft.Get(cloud[1].ID)
	require.True(t, ok)
	assert.Equal(t, cloud[1].ImmutableID, got.ImmutableID, "restore keeps the ImmutableID")
	assert.False(t, got.Synced())
}

func TestDirectoryWrites(t *testing.T) {
	t.Parallel()
	_, on, _ := conversiontest.Population(2, at)
	d := conversiontest.NewDirectory(on...)
	g := on[0].ObjectGUID
	ctx := t.Context()
	err := d.Move(ctx, g, "OU=Synced,DC=corp,DC=example,DC=test", "OU=Out,DC=corp,DC=example,DC=test")
	require.ErrorIs(t, err, conversion.ErrNotFound, "a move into a container that does not exist")
	d.AddContainer("OU=Out,DC=corp,DC=example,DC=test")
	require.NoError(t, d.Move(ctx, g, "OU=Synced,DC=corp,DC=example,DC=test", "OU=Out,DC=corp,DC=example,DC=test"))
	u, _ := d.Get(g)
	assert.Equal(t, "CN=User 0,OU=Out,DC=corp,DC=example,DC=test", u.DN)
	assert.ErrorIs(t, d.Move(ctx, g, "OU=Synced,DC=corp,DC=example,DC=test", "OU=X"), conversion.ErrConflict)
	require.NoError(t, d.SetConsistencyGUID(ctx, g, anchor.ObjectGUID{}, g))
	assert.ErrorIs(t, d.SetConsistencyGUID(ctx, g, anchor.ObjectGUID{}, g), conversion.ErrConflict)
	require.NoError(t, d.ReplaceProxyAddresses(ctx, g, []string{"SMTP:user0@contoso.example"}, []string{"SMTP:user0@contoso.example", "smtp:b@x"}))
	nu := conversion.NewUser{ParentDN: "OU=Synced,DC=corp,DC=example,DC=test", CN: "User 1", UPN: "x@y", SAMAccountName: "x"}
	_, err = d.CreateUser(ctx, nu)
	assert.ErrorIs(t, err, conversion.ErrConflict, "DN taken")
	nu.CN = "New, Person"
	ng, err := d.CreateUser(ctx, nu)
	require.NoError(t, err)
	got, err := d.UserByDN(ctx, `cn=New\, Person,OU=Synced,DC=corp,DC=example,DC=test`)
	require.NoError(t, err)
	assert.Equal(t, ng, got.ObjectGUID)
	assert.Len(t, d.Writes(), 4)
}
