package syncsim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/internal/syncsim"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

func TestCycle(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tenant, onprem, cloud := conversiontest.Population(3, now)
	newUser := matching.OnPrem{DN: "CN=New,OU=Synced,DC=corp,DC=example,DC=test", Class: matching.ClassUser,
		ObjectGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"), UserPrincipalName: "new@contoso.example", SAMAccountName: "new", Enabled: true}
	cases := []struct {
		name   string
		onprem []matching.OnPrem
		check  func(t *testing.T, f *graphxtest.Fake, c *syncsim.Cycle)
	}{
		{"joined users are updated", onprem, func(t *testing.T, f *graphxtest.Fake, c *syncsim.Cycle) {
			assert.Equal(t, matching.Joined, c.Outcome(onprem[0].DN).Outcome)
			assert.Len(t, f.Users(), 3)
		}},
		{"a new AD user is created synced", append(onprem[:3:3], newUser), func(t *testing.T, f *graphxtest.Fake, c *syncsim.Cycle) {
			a := c.Outcome(newUser.DN)
			require.Equal(t, matching.New, a.Outcome, a.Reason)
			u, ok := f.User(a.CloudID)
			require.True(t, ok)
			assert.Equal(t, "IkTni9mw7Ee4YefeGpz7IA==", u.OnPremisesImmutableID)
			assert.True(t, *u.OnPremisesSyncEnabled)
		}},
		{"a vanished AD user is soft-deleted", onprem[1:], func(t *testing.T, f *graphxtest.Fake, c *syncsim.Cycle) {
			assert.True(t, c.Deleted(cloud[0].ID))
			_, ok := f.User(cloud[0].ID)
			assert.False(t, ok)
			assert.Len(t, f.Snapshot().DeletedUsers, 1)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := graphxtest.New(graphxtest.WithSeed(snapshot.FromRecords(tenant, cloud)))
			require.NoError(t, err)
			sim := &syncsim.Sim{Source: syncsim.Users(tc.onprem...), Tenant: f,
				Config: matching.Config{Scope: []string{"OU=Synced,DC=corp,DC=example,DC=test"}}}
			require.NoError(t, sim.TriggerDelta(t.Context()))
			require.Len(t, sim.Cycles(), 1)
			tc.check(t, f, sim.Cycles()[0])
			assert.Empty(t, f.Writes(), "a cycle is not a Graph API write")
		})
	}
}
