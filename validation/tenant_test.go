package validation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/validation"
)

// docs/entra-rules.md §3.1: with soft match on UPN off, a new user whose UPN a cloud user
// already holds is created with its UPN quarantined; a value synced from another AD object
// (different ImmutableId) is refused.
func TestCollisions(t *testing.T) {
	t.Parallel()
	yes := true
	tn := matching.TenantState{
		SyncEnabled: &yes,
		Domains:     []matching.Domain{{Name: "corp.example.com", IsDefault: true}, {Name: "example.onmicrosoft.com", IsInitial: true}},
		AsOf:        time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Known:       matching.KnownObjectIdentifier | matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers | matching.KnownBypassFlag,
	}
	on := []matching.OnPrem{
		{DN: "CN=ann,OU=Users,DC=corp,DC=example,DC=com", Class: matching.ClassUser, ObjectGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"),
			UserPrincipalName: "ann@corp.example.com", SAMAccountName: "ann", Enabled: true, Source: "t.ldif:1"},
		{DN: "CN=bob,OU=Users,DC=corp,DC=example,DC=com", Class: matching.ClassUser, ObjectGUID: anchor.MustParse("9be74422-b0d9-47ec-b861-e7de1a9cfb20"),
			UserPrincipalName: "bob@corp.example.com", SAMAccountName: "bob", Enabled: true, MailEnabled: true,
			ProxyAddresses: []string{"SMTP:bob@corp.example.com"}, Source: "t.ldif:9"},
	}
	other := anchor.MustParse("0be74422-b0d9-47ec-b861-e7de1a9cfb20").Bytes()
	cloud := []matching.Cloud{
		{ID: "c-ann", Class: matching.ClassUser, UserPrincipalName: "ann@corp.example.com", UserType: "Member"},
		{ID: "c-bob", Class: matching.ClassUser, UserPrincipalName: "robert@corp.example.com", UserType: "Member",
			ProxyAddresses: []string{"SMTP:bob@corp.example.com"}, ImmutableID: anchor.BinaryAnchor(other[:]), SyncEnabled: &yes},
	}
	rep := matching.Evaluate(matching.Config{}, tn, on, cloud)
	fs := validation.Collisions(on, rep)
	require.Len(t, fs, 2, "%+v", fs)
	assert.Equal(t, validation.RuleCloudCollision, fs[0].Rule)
	assert.Equal(t, "ann@corp.example.com", fs[0].Value)
	assert.Equal(t, validation.Quarantine, fs[0].Consequence)
	assert.Equal(t, "t.ldif:1", fs[0].Source)
	assert.Contains(t, fs[0].Message, "c-ann")
	assert.Equal(t, validation.RuleEngineBlocked, fs[1].Rule)
	assert.Equal(t, validation.Block, fs[1].Consequence)
	assert.Equal(t, on[1].DN, fs[1].DN)
}

// Objects outside the sync scope are never exported, so their findings are dropped.
func TestInScope(t *testing.T) {
	t.Parallel()
	on := []matching.OnPrem{
		{DN: "CN=ann,OU=Users,DC=corp,DC=example,DC=com", Class: matching.ClassUser, ObjectGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"),
			UserPrincipalName: "ann@corp.local", SAMAccountName: "ann", Enabled: true},
		{DN: "CN=bob,OU=Synced,DC=corp,DC=example,DC=com", Class: matching.ClassUser, ObjectGUID: anchor.MustParse("9be74422-b0d9-47ec-b861-e7de1a9cfb20"),
			UserPrincipalName: "bob@corp.local", SAMAccountName: "bob", Enabled: true},
	}
	objs := []validation.Object{{OnPrem: on[0]}, {OnPrem: on[1]}}
	fs := validation.Validate(validation.Config{}, objs)
	require.Len(t, fs, 2)
	rep := matching.Evaluate(matching.Config{Scope: []string{"OU=Synced,DC=corp,DC=example,DC=com"}}, matching.TenantState{}, on, nil)
	kept := validation.InScope(fs, rep)
	require.Len(t, kept, 1)
	assert.Equal(t, on[1].DN, kept[0].DN)
}
