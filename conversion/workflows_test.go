package conversion_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

const syncedOU = "OU=Synced,DC=corp,DC=example,DC=test"

// TestOUMoveEndToEnd: move, the (fake) sync cycle soft-deletes the users that left the scope,
// restore, clear the ImmutableID: the users end cloud-only, nothing is deleted for good.
func TestOUMoveEndToEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ten, on, cl := conversiontest.Population(3, t0)
		in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
		p := conversion.PlanOUMove(in, &conversion.Options{CreatedAt: t0, TargetOU: "OU=CloudOnly,DC=corp,DC=example,DC=test", Users: []string{"user1@contoso.example", "user2@contoso.example"}})
		require.Empty(t, p.Refused)
		require.Len(t, p.Changes, 8)
		dir, ft := conversiontest.NewDirectory(on...), conversiontest.NewTenant(ten, cl...)
		dir.AddContainer("OU=CloudOnly,DC=corp,DC=example,DC=test")
		// The fake cycle soft-deletes each cloud user whose AD object left the scope, once: after
		// that the object is gone from the connector space and a restore sticks.
		var mu sync.Mutex
		gone := map[string]bool{}
		s := &conversiontest.Sync{OnDelta: func(context.Context) error {
			time.AfterFunc(2*time.Minute, func() {
				mu.Lock()
				defer mu.Unlock()
				for _, u := range dir.All() {
					if conversion.ParentDN(u.DN) != syncedOU {
						for _, c := range cl {
							if c.ImmutableID == anchor.AnchorOf(u.ObjectGUID) && !gone[c.ID] {
								gone[c.ID] = true
								_ = ft.SoftDelete(c.ID, time.Now())
							}
						}
					}
				}
			})
			return nil
		}}
		a := &conversion.Applier{Directory: dir, Tenant: ft, Sync: s, Journal: &conversion.MemJournal{}}
		res, err := a.Apply(t.Context(), p)
		require.NoError(t, err)
		require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
		for i, c := range cl {
			got, ok := ft.Get(c.ID)
			require.True(t, ok, "user %d exists", i)
			if i == 0 {
				assert.Equal(t, c.ImmutableID, got.ImmutableID, "user0 untouched")
				continue
			}
			assert.True(t, got.ImmutableID.IsZero())
			assert.False(t, got.Synced())
		}
	})
}

func TestPlanOUMoveRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, target string
		threshold    int
		want         conversion.RefusalCode
	}{
		{"target inside scope", "OU=Sub," + syncedOU, 0, conversion.RefuseInScope},
		{"over deletion threshold", "OU=CloudOnly,DC=corp,DC=example,DC=test", 2, conversion.RefuseDeletionThreshold},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := conversiontest.Population(3, t0)
			in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}, DeletionThreshold: tc.threshold}}
			p := conversion.PlanOUMove(in, &conversion.Options{CreatedAt: t0, TargetOU: tc.target})
			require.NotEmpty(t, p.Refused)
			assert.Equal(t, tc.want, p.Refused[len(p.Refused)-1].Code)
		})
	}
}

func TestTenantWideEndToEnd(t *testing.T) {
	t.Parallel()
	ten, on, cl := conversiontest.Population(3, t0)
	in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}
	refused := conversion.PlanTenantWide(in, &conversion.Options{CreatedAt: t0, ClearImmutableID: true})
	require.Len(t, refused.Refused, 1)
	assert.Equal(t, conversion.RefuseConfirm, refused.Refused[0].Code)
	assert.Empty(t, refused.Changes)

	synctest.Test(t, func(t *testing.T) {
		p := conversion.PlanTenantWide(in, &conversion.Options{CreatedAt: t0, ClearImmutableID: true, Confirm: ten.ID})
		require.Empty(t, p.Refused)
		require.Len(t, p.Changes, 5)
		ft := conversiontest.NewTenant(ten, cl...)
		a := &conversion.Applier{Directory: conversiontest.NewDirectory(on...), Tenant: ft, Journal: &conversion.MemJournal{}, WaitTimeout: 80 * time.Hour}
		start := time.Now()
		res, err := a.Apply(t.Context(), p)
		require.NoError(t, err)
		require.True(t, res.OK(), "%s: %v", res.Summary(), res.Err())
		assert.Equal(t, 72*time.Hour, time.Since(start))
		for _, c := range cl {
			got, _ := ft.Get(c.ID)
			assert.True(t, got.ImmutableID.IsZero())
		}
	})
}

func TestReAnchorEndToEnd(t *testing.T) {
	t.Parallel()
	ten, on, cl := cloudOnly(2)
	// user0's cloud object keeps the ImmutableID of a deleted-and-recreated AD account.
	old := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	cl[0].ImmutableID = anchor.AnchorOf(old)
	in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}
	p := conversion.PlanReAnchor(in, &conversion.Options{CreatedAt: t0})
	require.Len(t, p.Changes, 1)
	assert.Equal(t, conversion.SetConsistencyGUID, p.Changes[0].Action)
	require.Len(t, p.Refused, 0, "user1 has no ImmutableID and is not selected")
	dir := conversiontest.NewDirectory(on...)
	a := &conversion.Applier{Directory: dir, Tenant: conversiontest.NewTenant(ten, cl...), Journal: &conversion.MemJournal{}}
	res, err := a.Apply(t.Context(), p)
	require.NoError(t, err)
	require.True(t, res.OK())
	got, _ := dir.Get(on[0].ObjectGUID)
	assert.Equal(t, old, got.ConsistencyGUID)

	// Planning again: nothing left to do.
	on[0].ConsistencyGUID = old
	again := conversion.PlanReAnchor(in, &conversion.Options{CreatedAt: t0})
	assert.Empty(t, again.Changes)
	assert.Equal(t, conversion.RefuseAlreadyDone, again.Refused[0].Code)
}

func TestPlanSoftMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		edit    func(ten *matching.TenantState, on []matching.OnPrem, cl []matching.Cloud)
		action  conversion.Action
		refused conversion.RefusalCode
	}{
		{"align primary smtp", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud) {
			on[0].ProxyAddresses = []string{"SMTP:old0@contoso.example"}
		}, conversion.SetProxyAddresses, ""},
		{"block soft match", func(ten *matching.TenantState, _ []matching.OnPrem, _ []matching.Cloud) {
			ten.Features.BlockSoftMatch = true
		}, "", "SoftMatchBlocked"},
		{"cloud has immutable id", func(_ *matching.TenantState, _ []matching.OnPrem, cl []matching.Cloud) {
			cl[0].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"))
		}, "", "InvalidSoftMatch"},
		{"role holder", func(ten *matching.TenantState, _ []matching.OnPrem, cl []matching.Cloud) {
			ten.Roles = []matching.RoleAssignment{{PrincipalID: cl[0].ID}}
		}, "", "ExistingAdminRoleConflict"},
		{"upn when no mailbox", func(ten *matching.TenantState, on []matching.OnPrem, cl []matching.Cloud) {
			ten.Features.SoftMatchOnUPN = true
			cl[0].ProxyAddresses, cl[0].Mail = nil, ""
			on[0].UserPrincipalName = "User0@Contoso.example"
			on[0].ProxyAddresses = nil
		}, "", conversion.RefuseAlreadyDone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := cloudOnly(2)
			tc.edit(&ten, on, cl)
			p := conversion.PlanSoftMatch(&conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}, &conversion.Options{CreatedAt: t0, Users: []string{cl[0].ID}})
			require.NoError(t, p.Validate())
			if tc.refused != "" {
				require.Len(t, p.Refused, 1, "%+v", p.Refused)
				assert.Equal(t, tc.refused, p.Refused[0].Code)
				return
			}
			require.Len(t, p.Changes, 1)
			assert.Equal(t, tc.action, p.Changes[0].Action)
			after, _ := p.Changes[0].After.List()
			assert.Contains(t, after, "SMTP:user0@contoso.example")
			assert.Contains(t, after, "smtp:old0@contoso.example")
		})
	}
}
