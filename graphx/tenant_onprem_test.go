package graphx_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

const leftUser = "11111111-0000-4000-8000-000000000009"

func leftSeed() *snapshot.Snapshot {
	s := tenantSeed(time.Now())
	off := false
	s.Users = append(s.Users, snapshot.User{ID: leftUser, UserPrincipalName: "dee@contoso.example", OnPremisesSyncEnabled: &off,
		OnPremisesImmutableID: "AAAAAAAAAAAAAAAAAAAAAA==", OnPremisesDistinguishedName: "CN=Dee,OU=Synced,DC=corp,DC=example",
		OnPremisesSamAccountName: "dee", OnPremisesUserPrincipalName: "dee@corp.example", OnPremisesSecurityIdentifier: "S-1-5-21-1-2-3-1105",
		Extra: map[string]json.RawMessage{"onPremisesDomainName": json.RawMessage(`"corp.example"`)}})
	return s
}

// TestTenantOnPremAttributes: read from beta (with onPremisesObjectIdentifier), cleared in one beta
// PATCH, written back, a value for onPremisesObjectIdentifier refused without a request, a synced
// user refused by Graph (ErrReadOnly), a stale old value refused (ErrConflict).
func TestTenantOnPremAttributes(t *testing.T) {
	t.Parallel()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(leftSeed()))
	srv.SetObjectIdentifier(leftUser, "8be7d522-0f33-4b5d-8d94-3d9f7d24b5a1")
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0), graphx.WithWriteBudget(0, 0))
	require.NoError(t, err)
	tn := c.Tenant()
	ctx := t.Context()

	before, err := tn.OnPremAttributes(ctx, leftUser)
	require.NoError(t, err)
	want := conversion.OnPremAttributes{DistinguishedName: "CN=Dee,OU=Synced,DC=corp,DC=example", DomainName: "corp.example",
		ImmutableID: "AAAAAAAAAAAAAAAAAAAAAA==", ObjectIdentifier: "8be7d522-0f33-4b5d-8d94-3d9f7d24b5a1", SamAccountName: "dee",
		SecurityIdentifier: "S-1-5-21-1-2-3-1105", UserPrincipalName: "dee@corp.example"}
	assert.Equal(t, want, before)

	n := len(srv.Writes())
	require.NoError(t, tn.SetOnPremAttributes(ctx, leftUser, before, conversion.OnPremAttributes{}))
	w := srv.Writes()
	require.Len(t, w, n+1, "one write clears all seven")
	assert.Equal(t, graphxtest.OpUpdateOnPremAttributes, w[n].Op)
	got, err := tn.OnPremAttributes(ctx, leftUser)
	require.NoError(t, err)
	assert.True(t, got.IsZero(), "%+v", got)
	assert.Empty(t, srv.ObjectIdentifier(leftUser))

	err = tn.SetOnPremAttributes(ctx, leftUser, before, conversion.OnPremAttributes{})
	assert.ErrorIs(t, err, conversion.ErrConflict)

	n = len(srv.Writes())
	err = tn.SetOnPremAttributes(ctx, leftUser, conversion.OnPremAttributes{}, before)
	assert.ErrorIs(t, err, conversion.ErrReadOnly, "onPremisesObjectIdentifier is cleared only")
	assert.Len(t, srv.Writes(), n, "refused without a request")

	back := before.Without(conversion.AttrObjectIdentifier)
	require.NoError(t, tn.SetOnPremAttributes(ctx, leftUser, conversion.OnPremAttributes{}, back))
	got, err = tn.OnPremAttributes(ctx, leftUser)
	require.NoError(t, err)
	assert.Equal(t, back, got)

	sa, err := tn.OnPremAttributes(ctx, synced)
	require.NoError(t, err)
	err = tn.SetOnPremAttributes(ctx, synced, sa, conversion.OnPremAttributes{})
	assert.ErrorIs(t, err, conversion.ErrReadOnly)

	_, err = tn.OnPremAttributes(ctx, "11111111-0000-4000-8000-0000000000ff")
	assert.ErrorIs(t, err, conversion.ErrNotFound)
}

// TestTenantObjectsAndBypass: group and contact isCloudManaged read and written with the
// re-read precondition, and the hardening bypass feature written and read back.
func TestTenantObjectsAndBypass(t *testing.T) {
	t.Parallel()
	const (
		grp = "22222222-0000-4000-8000-000000000001"
		ct  = "22222222-0000-4000-8000-000000000002"
	)
	on := true
	s := tenantSeed(time.Now())
	s.Groups = []snapshot.Group{{ID: grp, DisplayName: "Sales", SecurityEnabled: true, OnPremisesSyncEnabled: &on}}
	s.Contacts = []snapshot.Contact{{ID: ct, DisplayName: "Vendor", Mail: "v@vendor.example", OnPremisesSyncEnabled: &on}}
	s.OnPremisesSynchronization = snapshot.OnPremisesSynchronization{ID: tenantOrg}
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(s))
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL), graphx.WithMaxRetries(0), graphx.WithWriteBudget(0, 0))
	require.NoError(t, err)
	tn := c.Tenant()
	ctx := t.Context()

	for kind, id := range map[conversion.ObjectKind]string{conversion.KindGroup: grp, conversion.KindContact: ct} {
		b, err := tn.CloudManaged(ctx, kind, id)
		require.NoError(t, err)
		assert.False(t, b)
		require.NoError(t, tn.SetObjectCloudManaged(ctx, kind, id, false, true))
		b, err = tn.CloudManaged(ctx, kind, id)
		require.NoError(t, err)
		assert.True(t, b)
		assert.ErrorIs(t, tn.SetObjectCloudManaged(ctx, kind, id, false, true), conversion.ErrConflict)
	}
	_, err = tn.CloudManaged(ctx, conversion.KindGroup, "22222222-0000-4000-8000-0000000000ff")
	assert.ErrorIs(t, err, conversion.ErrNotFound)

	org, err := tn.Organization(ctx)
	require.NoError(t, err)
	assert.False(t, org.Features.AllowObjectIdentifierUpdate)
	require.NoError(t, tn.SetHardeningBypass(ctx, false, true))
	org, err = tn.Organization(ctx)
	require.NoError(t, err)
	assert.True(t, org.Features.AllowObjectIdentifierUpdate)
	assert.ErrorIs(t, tn.SetHardeningBypass(ctx, false, true), conversion.ErrConflict)
	require.NoError(t, tn.SetHardeningBypass(ctx, true, false))
	org, err = tn.Organization(ctx)
	require.NoError(t, err)
	assert.False(t, org.Features.AllowObjectIdentifierUpdate)
}
