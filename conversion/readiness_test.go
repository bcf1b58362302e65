package conversion_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

func TestReadiness(t *testing.T) {
	t.Parallel()
	ten, _, cl := cloudOnly(4)
	ten.AsOf = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	ten.Known = matching.KnownObjectIdentifier | matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers | matching.KnownBypassFlag
	ten.Features.BlockSoftMatch = true
	ten.RoleDefinitions = []matching.RoleDefinition{{ID: globalAdmin, DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true}}
	cl[0].OnPremisesObjectIdentifier = staleObjectID
	cl[1].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb21"))
	ten.Eligibilities = []matching.RoleAssignment{{ID: "elig-1", PrincipalID: cl[1].ID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"}}
	ten.Roles = []matching.RoleAssignment{{ID: "asg-2", PrincipalID: cl[2].ID, RoleDefinitionID: globalAdmin, DirectoryScopeID: "/"}} // no ImmutableID: nothing to hard-match
	on := true
	cl[3].SyncEnabled, cl[3].OnPremisesObjectIdentifier = &on, staleObjectID // synced: not a hard-match target

	r := conversion.Readiness(&conversion.Input{Tenant: ten, Cloud: cl})
	require.Len(t, r.Blocked, 2, "%+v", r.Blocked)
	assert.Equal(t, conversion.RefuseObjectIdentifier, r.Blocked[0].Code)
	assert.Equal(t, cl[0].ID, r.Blocked[0].ID)
	assert.Contains(t, r.Blocked[0].Fix, "Clear-ADSyncToolsOnPremisesAttribute")
	assert.Equal(t, conversion.EngineRefusal(matching.InvalidHardMatch), r.Blocked[1].Code)
	assert.Contains(t, r.Blocked[1].Fix, `PIM eligibility "elig-1"`)
	feats := map[string]*bool{}
	for _, f := range r.Features {
		feats[f.Name] = f.On
	}
	assert.True(t, *feats[conversion.FeatureBlockSoftMatch])
	assert.False(t, *feats[conversion.FeatureHardeningBypass])
	require.NotEmpty(t, r.Clients)
	assert.Equal(t, "2.5.79.0", r.Clients[0].MinVersion)
	assert.True(t, r.Clients[0].InForce)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "§")

	t.Run("bypass on, since a journal says", func(t *testing.T) {
		t.Parallel()
		ten2 := ten
		ten2.Features.AllowObjectIdentifierUpdate = true
		enable := conversion.Change{ID: "c0001", Action: conversion.SetHardeningBypass, Target: conversion.Target{Side: conversion.SideTenant, ID: ten.ID},
			Before: conversion.Bool(false), After: conversion.Bool(true)}
		since := ten.AsOf.Add(-26 * time.Hour)
		j := []conversion.Entry{{Time: since, Plan: "p", Kind: conversion.KindIntent, ChangeID: "c0001", Change: &enable},
			{Time: since, Plan: "p", Kind: conversion.KindOutcome, ChangeID: "c0001", Status: conversion.StatusApplied}}
		r := conversion.Readiness(&conversion.Input{Tenant: ten2, Cloud: cl}, j)
		for _, f := range r.Features {
			if f.Name == conversion.FeatureHardeningBypass {
				assert.True(t, *f.On)
				assert.Equal(t, since, f.Since)
			}
		}
		assert.Len(t, r.Blocked, 1, "the bypass lifts the identifier block, not the privileged one")
		assert.Contains(t, r.Notes, conversion.FeatureHardeningBypass+" is ON: turn it off once remediation is done (on for 26h0m0s)")
	})
}
