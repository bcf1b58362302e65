package conversiontest

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// TenantSeed names what a tenant under TenantConformance holds when its constructor returns it.
type TenantSeed struct {
	// TenantID is the organization's id; SyncEnabled its onPremisesSyncEnabled (null counts as
	// false).
	TenantID    string
	SyncEnabled bool
	// CloudOnly is an active user that is not synced (onPremisesSyncEnabled null or false), has
	// no onPremisesImmutableId, is not cloud-managed and holds no directory role.
	CloudOnly string
	// Synced is an active synced user (onPremisesSyncEnabled true) with an onPremisesImmutableId,
	// not cloud-managed.
	Synced string
	// Deleted is a soft-deleted user.
	Deleted string
	// RoleHolder is an active user holding the role RoleDefinitionID through a direct active
	// assignment whose id is RoleAssignmentID. When it is "", UserRoles is not checked (the
	// subtest is skipped and says why).
	RoleHolder, RoleDefinitionID, RoleAssignmentID string
}

// TenantConformance checks the contract of the conversion.Tenant port against the tenant
// newTenant returns (called once per subtest, which run in parallel, so each gets the seed
// fresh): the reads (Organization, User, DeletedUser, ListDeleted, UserRoles), ErrNotFound for
// a missing user on every read and write, each write kind applied (a re-read shows the new value,
// reading again gives the same) and refused with ErrConflict when its old value does not hold
// (nothing changes), ErrConflict for an onPremisesImmutableId another user holds, ErrReadOnly for
// onPremisesImmutableId of a synced user, and a restore that
// moves a user out of deleted items. Run it against every implementation of the port (the
// in-memory fake, graphx against graphxtest) so that they cannot drift apart.
//
// It does not check what the port leaves to the implementation: whether UserRoles of an unknown
// id fails, a restore of a user that is already active, or how long a tenant-wide disable of
// sync takes to complete (only that the organization reads the new value).
func TenantConformance(t *testing.T, newTenant func(t *testing.T) (conversion.Tenant, TenantSeed)) {
	t.Helper()
	const missing = "0badc0de-0000-4000-8000-00000000dead"
	// Random anchors: Entra refuses an onPremisesImmutableId another object holds.
	a, b := randomAnchor(t), randomAnchor(t)

	t.Run("Reads", func(t *testing.T) {
		t.Parallel()
		tn, s := newTenant(t)
		ctx := t.Context()
		org, err := tn.Organization(ctx)
		require.NoError(t, err)
		assert.Equal(t, s.TenantID, org.ID)
		assert.Equal(t, s.SyncEnabled, org.SyncEnabled != nil && *org.SyncEnabled)

		for _, tc := range []struct {
			name   string
			id     string
			synced bool
		}{{"cloud-only", s.CloudOnly, false}, {"synced", s.Synced, true}, {"role-holder", s.RoleHolder, false}} {
			if tc.id == "" {
				continue
			}
			t.Run(tc.name, func(t *testing.T) {
				u, err := tn.User(ctx, tc.id)
				require.NoError(t, err)
				assert.Equal(t, tc.id, u.ID)
				assert.Equal(t, matching.ClassUser, u.Class)
				assert.False(t, u.Deleted)
				assert.False(t, u.CloudManaged)
				if tc.name != "role-holder" {
					assert.Equal(t, tc.synced, u.Synced())
					assert.Equal(t, tc.synced, !u.ImmutableID.IsZero())
				}
				again, err := tn.User(ctx, tc.id)
				require.NoError(t, err)
				assert.Equal(t, u, again, "reading twice gives the same record")
			})
		}

		d, err := tn.DeletedUser(ctx, s.Deleted)
		require.NoError(t, err)
		assert.Equal(t, s.Deleted, d.ID)
		assert.True(t, d.Deleted)
		assert.False(t, d.DeletedAt.IsZero())
		var listed []string
		for u, err := range tn.ListDeleted(ctx) {
			require.NoError(t, err)
			assert.True(t, u.Deleted, u.ID)
			listed = append(listed, u.ID)
		}
		assert.Contains(t, listed, s.Deleted)
		assert.NotContains(t, listed, s.CloudOnly)
		for u, err := range tn.ListDeleted(ctx) {
			require.NoError(t, err)
			_ = u
			break // stopping early is allowed
		}
	})

	t.Run("UserRoles", func(t *testing.T) {
		t.Parallel()
		tn, s := newTenant(t)
		if s.RoleHolder == "" {
			t.Skip("TenantSeed.RoleHolder is empty: the tenant under test cannot serve UserRoles")
		}
		holds, err := tn.UserRoles(t.Context(), s.RoleHolder)
		require.NoError(t, err)
		var found bool
		for _, h := range holds {
			if h.ID == s.RoleAssignmentID {
				found = true
				assert.Equal(t, conversion.HoldAssignment, h.Kind)
				assert.Equal(t, s.RoleDefinitionID, h.RoleDefinitionID)
				assert.Empty(t, h.Group, "a direct assignment")
			}
		}
		assert.True(t, found, "the role holder's assignment %s in %+v", s.RoleAssignmentID, holds)
		holds, err = tn.UserRoles(t.Context(), s.CloudOnly)
		require.NoError(t, err)
		assert.Empty(t, holds)
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		tn, s := newTenant(t)
		ctx := t.Context()
		for _, tc := range []struct {
			name string
			do   func() error
		}{
			{"User", func() error { _, err := tn.User(ctx, missing); return err }},
			{"User-deleted", func() error { _, err := tn.User(ctx, s.Deleted); return err }},
			{"DeletedUser", func() error { _, err := tn.DeletedUser(ctx, missing); return err }},
			{"DeletedUser-active", func() error { _, err := tn.DeletedUser(ctx, s.CloudOnly); return err }},
			{"SetImmutableID", func() error { return tn.SetImmutableID(ctx, missing, anchor.SourceAnchor{}, a) }},
			{"SetCloudManaged", func() error { return tn.SetCloudManaged(ctx, missing, false, true) }},
			{"RestoreDeleted", func() error { return tn.RestoreDeleted(ctx, missing) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.do()
				assert.ErrorIs(t, err, conversion.ErrNotFound)
				assert.NotErrorIs(t, err, conversion.ErrConflict)
			})
		}
	})

	type step struct {
		name    string
		write   func(t *testing.T, tn conversion.Tenant, s TenantSeed) error
		want    func(u *matching.Cloud) // the change a successful write makes; nil: refused
		wantErr error
	}
	for _, kind := range []struct {
		name  string
		user  func(TenantSeed) string
		steps []step
	}{
		{"SetImmutableID", func(s TenantSeed) string { return s.CloudOnly }, []step{
			{"stale-absent", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, b, a)
			}, nil, conversion.ErrConflict},
			{"set", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, anchor.SourceAnchor{}, a)
			}, func(u *matching.Cloud) { u.ImmutableID = a }, nil},
			{"stale-value", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, b, anchor.SourceAnchor{})
			}, nil, conversion.ErrConflict},
			{"stale-still-absent", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, anchor.SourceAnchor{}, b)
			}, nil, conversion.ErrConflict},
			{"replace", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, a, b)
			}, func(u *matching.Cloud) { u.ImmutableID = b }, nil},
			{"clear", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetImmutableID(t.Context(), s.CloudOnly, b, anchor.SourceAnchor{})
			}, func(u *matching.Cloud) { u.ImmutableID = anchor.SourceAnchor{} }, nil},
			{"duplicate", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				// Entra keeps onPremisesImmutableId unique among users: taking the synced user's is refused.
				synced, err := tn.User(t.Context(), s.Synced)
				require.NoError(t, err)
				return tn.SetImmutableID(t.Context(), s.CloudOnly, anchor.SourceAnchor{}, synced.ImmutableID)
			}, nil, conversion.ErrConflict},
		}},
		{"SetImmutableIDSynced", func(s TenantSeed) string { return s.Synced }, []step{
			{"read-only", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				u, err := tn.User(t.Context(), s.Synced)
				require.NoError(t, err)
				return tn.SetImmutableID(t.Context(), s.Synced, u.ImmutableID, b)
			}, nil, conversion.ErrReadOnly},
		}},
		{"SetCloudManaged", func(s TenantSeed) string { return s.Synced }, []step{
			{"stale", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetCloudManaged(t.Context(), s.Synced, true, false)
			}, nil, conversion.ErrConflict},
			{"set", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetCloudManaged(t.Context(), s.Synced, false, true)
			}, func(u *matching.Cloud) { u.CloudManaged = true; u.SyncEnabled = nil }, nil},
			{"stale-after-set", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetCloudManaged(t.Context(), s.Synced, false, true)
			}, nil, conversion.ErrConflict},
			{"unset", func(t *testing.T, tn conversion.Tenant, s TenantSeed) error {
				return tn.SetCloudManaged(t.Context(), s.Synced, true, false)
			}, func(u *matching.Cloud) { u.CloudManaged = false }, nil},
		}},
	} {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			tn, s := newTenant(t)
			id := kind.user(s)
			u, err := tn.User(t.Context(), id)
			require.NoError(t, err)
			// Sequential on purpose: each step starts from the state the previous one left.
			for _, st := range kind.steps {
				t.Run(st.name, func(t *testing.T) {
					err := st.write(t, tn, s)
					if st.wantErr != nil {
						require.ErrorIs(t, err, st.wantErr)
					} else {
						require.NoError(t, err)
					}
					want := u
					if st.want != nil {
						st.want(&want)
					}
					got, err := tn.User(t.Context(), id)
					require.NoError(t, err)
					assert.Equal(t, want, got, "the user after the write")
					again, err := tn.User(t.Context(), id)
					require.NoError(t, err)
					assert.Equal(t, got, again, "reading again after the write")
					u = got
				})
			}
		})
	}

	t.Run("RestoreDeleted", func(t *testing.T) {
		t.Parallel()
		tn, s := newTenant(t)
		ctx := t.Context()
		before, err := tn.DeletedUser(ctx, s.Deleted)
		require.NoError(t, err)
		require.NoError(t, tn.RestoreDeleted(ctx, s.Deleted))
		u, err := tn.User(ctx, s.Deleted)
		require.NoError(t, err)
		assert.False(t, u.Deleted)
		assert.True(t, u.DeletedAt.IsZero())
		assert.Equal(t, before.UserPrincipalName, u.UserPrincipalName)
		assert.Equal(t, before.ImmutableID, u.ImmutableID, "a restore keeps onPremisesImmutableId")
		_, err = tn.DeletedUser(ctx, s.Deleted)
		assert.ErrorIs(t, err, conversion.ErrNotFound)
		for d, err := range tn.ListDeleted(ctx) {
			require.NoError(t, err)
			assert.NotEqual(t, s.Deleted, d.ID)
		}
	})

	t.Run("SetOrgSyncEnabled", func(t *testing.T) {
		t.Parallel()
		tn, s := newTenant(t)
		ctx := t.Context()
		err := tn.SetOrgSyncEnabled(ctx, !s.SyncEnabled, s.SyncEnabled)
		require.ErrorIs(t, err, conversion.ErrConflict, "stale")
		org, err := tn.Organization(ctx)
		require.NoError(t, err)
		assert.Equal(t, s.SyncEnabled, org.SyncEnabled != nil && *org.SyncEnabled, "a refused write changes nothing")

		require.NoError(t, tn.SetOrgSyncEnabled(ctx, s.SyncEnabled, !s.SyncEnabled))
		org, err = tn.Organization(ctx)
		require.NoError(t, err)
		assert.Equal(t, !s.SyncEnabled, org.SyncEnabled != nil && *org.SyncEnabled)
		again, err := tn.Organization(ctx)
		require.NoError(t, err)
		assert.Equal(t, org, again, "reading again after the write")
	})
}

func randomAnchor(t *testing.T) anchor.SourceAnchor {
	t.Helper()
	var b [16]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return anchor.AnchorOf(anchor.FromArray(b))
}
