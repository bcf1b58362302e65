package matching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

const (
	roleGA     = "62e90394-69f5-4237-9190-012177145e10" // Global Administrator
	roleReader = "4a5d8f65-41da-4de4-8968-e035b65339cf" // Reports Reader
)

var (
	july      = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) // the hard-match protections start
	beforeJul = july.Add(-time.Second)
	knownAll  = matching.KnownObjectIdentifier | matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers | matching.KnownBypassFlag
)

// hardened returns a tenant mutator: AsOf, every July 2026 input known, the two role
// definitions, then each of more.
func hardened(at time.Time, more ...func(*matching.TenantState)) func(*matching.TenantState) {
	return func(tn *matching.TenantState) {
		tn.AsOf = at
		tn.Known = knownAll
		tn.RoleDefinitions = []matching.RoleDefinition{
			{ID: roleGA, DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true},
			{ID: roleReader, DisplayName: "Reports Reader", IsBuiltIn: true},
		}
		for _, f := range more {
			f(tn)
		}
	}
}

func assigned(principal, role string) func(*matching.TenantState) {
	return func(tn *matching.TenantState) {
		tn.Roles = append(tn.Roles, matching.RoleAssignment{ID: "asg-" + principal, PrincipalID: principal, RoleDefinitionID: role, DirectoryScopeID: "/"})
	}
}

func eligible(principal, role string, start, end time.Time) func(*matching.TenantState) {
	return func(tn *matching.TenantState) {
		tn.Eligibilities = append(tn.Eligibilities, matching.RoleAssignment{ID: "elig-" + principal, PrincipalID: principal, RoleDefinitionID: role,
			DirectoryScopeID: "/", Start: start, End: end})
	}
}

func member(group, user string) func(*matching.TenantState) {
	return func(tn *matching.TenantState) {
		tn.GroupMembers = append(tn.GroupMembers, matching.GroupMember{GroupID: group, MemberID: user})
	}
}

func forget(k matching.Known) func(*matching.TenantState) {
	return func(tn *matching.TenantState) { tn.Known &^= k }
}

func bypassOn(tn *matching.TenantState) { tn.Features.AllowObjectIdentifierUpdate = true }

// reasonHas checks that onprem[0]'s reason and fix contain the given texts.
func reasonHas(reason []string, fix ...string) func(t *testing.T, r *matching.Report) {
	return func(t *testing.T, r *matching.Report) {
		t.Helper()
		got := r.OnPrem()[0]
		for _, s := range reason {
			assert.Contains(t, got.Reason, s)
		}
		for _, s := range fix {
			assert.Contains(t, got.Fix, s)
		}
		assert.NotContains(t, got.Reason, "§")
		assert.NotContains(t, got.Fix, "§")
	}
}

// TestHardMatchProtections encodes docs/entra-rules.md §2.4 "Hard-match security protections",
// §3 (AttributeUpdateNotAllowed, InvalidHardMatch) and Summary 5/6: both sides of 2026-07-01,
// of an eligibility window's start and end, and each input known or not.
func TestHardMatchProtections(t *testing.T) {
	t.Parallel()
	ann := adUser("ann", guidA)
	hard := cloudOnly("c1", "Ann (cloud)")
	hard.ImmutableID = idA
	withID := hard
	withID.OnPremisesObjectIdentifier = guidB.String() // stamped from another AD object
	ownID := hard
	ownID.OnPremisesObjectIdentifier = guidA.String() // ann's own objectGUID
	deletedCloudOnly := hard
	deletedCloudOnly.Deleted, deletedCloudOnly.DeletedAt = true, july.Add(-24*time.Hour)
	deletedSynced := synced("c1", "ann", idA)
	deletedSynced.SyncEnabled, deletedSynced.Deleted, deletedSynced.DeletedAt = ptr(false), true, july.Add(-24*time.Hour)
	remapped := synced("c1", "ann", idA)
	remapped.OnPremisesObjectIdentifier = guidB.String()
	joinedOwn := synced("c1", "ann", idA)
	joinedOwn.OnPremisesObjectIdentifier = guidA.String()
	managed := hard
	managed.CloudManaged = true
	smtp := cloudOnly("c1", "Ann (cloud)")
	smtp.ProxyAddresses = []string{"SMTP:ann@" + domain}

	runScenarios(t, []scenario{
		// Privileged roles, §2.4 (2) assigned and (3) eligible; Summary 5.
		{name: "InvalidHardMatch: privileged role assigned, from 2026-07-01 §2.4 Summary-5", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1", cloudOutcome: matching.Untouched,
			check: reasonHas([]string{"Global Administrator", "asg-c1", "is assigned"}, "Remove the role assignment asg-c1", "assign the role again")},
		{name: "hard-match: privileged role assigned, before 2026-07-01 §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(beforeJul, assigned("c1", roleGA)),
			outcome: matching.HardMatch, target: "c1", cloudOutcome: matching.Matched},
		{name: "hard-match: the superseded June 2026 any-role rule is gone §2.4 Changes", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC), assigned("c1", roleReader)),
			outcome: matching.HardMatch, target: "c1"},
		{name: "hard-match: a role that is not privileged does not block §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, assigned("c1", roleReader)),
			outcome: matching.HardMatch, target: "c1"},
		{name: "InvalidHardMatch: unknown role definitions count as privileged §2.4 §8", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, assigned("c1", roleReader), forget(matching.KnownRoleDefinitions)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1",
			check: reasonHas([]string{"taken as privileged"})},
		{name: "InvalidHardMatch: role missing from the definitions counts as privileged §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, assigned("c1", "custom-role-1")),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1", check: reasonHas([]string{"role custom-role-1"})},
		{name: "InvalidHardMatch: privileged role through a role-assignable group §2.4 §6.7", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, assigned("grp1", roleGA), member("grp1", "c1")),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1",
			check: reasonHas([]string{"through the role-assignable group grp1"}, "Remove the user from the role-assignable group grp1")},
		{name: "InvalidHardMatch: PIM-eligible inside its window §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("c1", roleGA, july.Add(-time.Hour), july.Add(time.Second))),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1",
			check: reasonHas([]string{"is eligible (PIM) for Global Administrator", "elig-c1"}, "Remove the PIM eligibility elig-c1")},
		{name: "InvalidHardMatch: PIM-eligible with an open window §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("c1", roleGA, time.Time{}, time.Time{})),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "InvalidHardMatch: PIM-eligible from exactly AsOf §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("c1", roleGA, july, time.Time{})),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "hard-match: PIM eligibility not started yet §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("c1", roleGA, july.Add(time.Second), time.Time{})),
			outcome: matching.HardMatch, target: "c1"},
		{name: "hard-match: PIM eligibility ended at AsOf §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("c1", roleGA, time.Time{}, july)),
			outcome: matching.HardMatch, target: "c1"},
		{name: "hard-match: PIM-eligible before 2026-07-01 §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(beforeJul, eligible("c1", roleGA, time.Time{}, time.Time{})),
			outcome: matching.HardMatch, target: "c1"},
		{name: "InvalidHardMatch: eligible through a group §2.4 (3)", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, eligible("grp1", roleGA, time.Time{}, time.Time{}), member("grp1", "c1")),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "InvalidHardMatch: soft-deleted cloud-only privileged user §2.4 Summary-5", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{deletedCloudOnly}, tenant: hardened(july, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1",
			check: reasonHas([]string{"soft-deleted", "soft-deleted ones included"}, "Restore the user from deleted items, then remove")},
		{name: "InvalidHardMatch: soft-deleted synced privileged user §2.4 §4a", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{deletedSynced}, tenant: hardened(july, eligible("c1", roleGA, time.Time{}, time.Time{})),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "hard-match: soft-deleted synced privileged user before 2026-07-01 §2.4 §4a", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := deletedSynced
				c.DeletedAt = beforeJul.Add(-24 * time.Hour)
				return c
			}()}, tenant: hardened(beforeJul, assigned("c1", roleGA)),
			outcome: matching.HardMatch, target: "c1"},
		{name: "InvalidHardMatch: AsOf unknown, protections taken to be in force §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(time.Time{}, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1", warning: matching.WarnNoAsOf,
			check: reasonHas([]string{"no date"})},

		// onPremisesObjectIdentifier, §2.4 (1); Summary 6.
		{name: "AttributeUpdateNotAllowed: onPremisesObjectIdentifier set, from 2026-07-01 §2.4 Summary-6", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july),
			outcome: matching.Blocked, code: matching.AttributeUpdateNotAllowed, target: "c1", cloudOutcome: matching.Untouched,
			check: reasonHas([]string{guidB.String(), "Hard match operation blocked due to security hardening"},
				"PATCH https://graph.microsoft.com/beta/users/c1", "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled")},
		{name: "hard-match: onPremisesObjectIdentifier set, before 2026-07-01 §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(beforeJul), outcome: matching.HardMatch, target: "c1"},
		{name: "hard-match: the bypass flag lifts the identifier block §2.4 §6.3", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july, bypassOn), outcome: matching.HardMatch, target: "c1",
			check: reasonHas([]string{"only because allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is on"})},
		{name: "InvalidHardMatch: the bypass flag does not lift the privileged block §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july, bypassOn, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "InvalidHardMatch: privileged and identifier set, both named §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1",
			check: reasonHas([]string{"onPremisesObjectIdentifier " + guidB.String() + " is set too"}, "Clear its onPremisesObjectIdentifier")},
		{name: "AttributeUpdateNotAllowed: bypass flag not in the input is taken as off §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july, bypassOn, forget(matching.KnownBypassFlag)),
			outcome: matching.Blocked, code: matching.AttributeUpdateNotAllowed, target: "c1", check: reasonHas([]string{"taken as off"})},
		{name: "hard-match: identifier is the AD object's own objectGUID (undocumented, predicted to match) §2.4 §8", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{ownID}, tenant: hardened(july), outcome: matching.HardMatch, target: "c1",
			check: reasonHas([]string{"own objectGUID", "does not document"})},
		{name: "hard-match: identifier not in the input, said in the reason §2.4 §8", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{withID}, tenant: hardened(july, forget(matching.KnownObjectIdentifier)),
			outcome: matching.HardMatch, target: "c1", warning: matching.WarnNotChecked,
			check: reasonHas([]string{"does not say onPremisesObjectIdentifier"})},
		{name: "hard-match: eligibilities and group members not in the input, said in the reason §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, tenant: hardened(july, forget(matching.KnownEligibilities|matching.KnownGroupMembers)),
			outcome: matching.HardMatch, target: "c1", check: reasonHas([]string{"PIM eligibilities", "members of role-assignable groups"})},
		{name: "AttributeUpdateNotAllowed: soft-deleted synced user re-entering from another AD object §2.4 §4a", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := deletedSynced
				c.OnPremisesObjectIdentifier = guidB.String()
				return c
			}()}, tenant: hardened(july), outcome: matching.Blocked, code: matching.AttributeUpdateNotAllowed, target: "c1"},

		// A synced user re-mapped to another AD object, §2.4 (remap) and §3.
		{name: "AttributeUpdateNotAllowed: synced user re-mapped to another AD object, from 2026-07-01 §2.4 §3", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{remapped}, tenant: hardened(july),
			outcome: matching.Blocked, code: matching.AttributeUpdateNotAllowed, target: "c1", cloudOutcome: matching.Untouched},
		{name: "joined: re-map before 2026-07-01 happens, with a warning §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{remapped}, tenant: hardened(beforeJul),
			outcome: matching.Joined, target: "c1", warning: matching.WarnRemap},
		{name: "joined: re-map with the bypass flag on, with a warning §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{remapped}, tenant: hardened(july, bypassOn),
			outcome: matching.Joined, target: "c1", warning: matching.WarnRemap},
		{name: "joined: synced user whose identifier is this object's objectGUID §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{joinedOwn}, tenant: hardened(july), outcome: matching.Joined, target: "c1"},
		{name: "joined: objectSid no longer stands in for the identifier §2.4 Changes", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := synced("c1", "ann", idA)
				c.OnPremisesSecurityIdentifier = "S-1-5-21-9-9-9-1001"
				return c
			}()}, tenant: hardened(july), outcome: matching.Joined, target: "c1"},

		// Exclusions and soft match, §2.4.
		{name: "CloudManaged: cloud-managed privileged target names the protections and the writeback exemption §2.4 §4c", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{managed}, tenant: hardened(july, assigned("c1", roleGA)),
			outcome: matching.Blocked, code: matching.CloudManaged, target: "c1", check: reasonHas([]string{"writeback"})},
		{name: "ExistingAdminRoleConflict: soft-match target holds a role through a group §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{smtp}, tenant: hardened(july, assigned("grp1", roleReader), member("grp1", "c1")),
			outcome: matching.Blocked, code: matching.ExistingAdminRoleConflict, target: "c1"},
		{name: "soft-match-smtp: eligibility alone is not the soft-match admin block (undocumented) §2.4 §8", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{smtp}, tenant: hardened(july, eligible("c1", roleGA, time.Time{}, time.Time{})),
			outcome: matching.SoftMatchSMTP, target: "c1", check: reasonHas([]string{"eligible", "undocumented"})},
		{name: "soft-match-smtp: the hard-match protections leave soft match alone §2.4", onprem: []matching.OnPrem{ann},
			cloud:  []matching.Cloud{func() matching.Cloud { c := smtp; c.OnPremisesObjectIdentifier = guidB.String(); return c }()},
			tenant: hardened(july), outcome: matching.SoftMatchSMTP, target: "c1"},
	})
}

// TestCloudSync encodes docs/entra-rules.md §1.6 and Summary 19.
func TestCloudSync(t *testing.T) {
	t.Parallel()
	ann := adUser("ann", guidA)
	upnOnly := cloudOnly("c1", "Ann (cloud)")
	upnOnly.UserPrincipalName = "ann@" + domain
	cs := matching.Config{Client: matching.CloudSync, SourceAnchor: matching.AnchorObjectGUID}
	withCG := ann
	withCG.ConsistencyGUID = guidB
	runScenarios(t, []scenario{
		{name: "soft-match-upn: flagged uncertain under Cloud Sync §1.6 Summary-19", cfg: cs, onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{upnOnly}, outcome: matching.SoftMatchUPN, target: "c1", warning: matching.WarnCloudSync,
			check: reasonHas([]string{"uncertain"})},
		{name: "soft-match-upn: not flagged under Connect §2.2", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{upnOnly}, outcome: matching.SoftMatchUPN, target: "c1",
			check: func(t *testing.T, r *matching.Report) { assert.NotContains(t, r.OnPrem()[0].Reason, "uncertain") }},
		{name: "new: Cloud Sync uses mS-DS-ConsistencyGuid whatever the setting §1.6", cfg: cs, onprem: []matching.OnPrem{withCG},
			outcome: matching.New, warning: matching.WarnAnchorSettingIgnored,
			check: func(t *testing.T, r *matching.Report) {
				assert.Equal(t, anchor.AnchorOf(guidB).String(), r.OnPrem()[0].Anchor)
			}},
		{name: "InvalidHardMatch: the protections apply under Cloud Sync too §1.6 §2.4", cfg: cs, onprem: []matching.OnPrem{ann},
			cloud:  []matching.Cloud{func() matching.Cloud { c := cloudOnly("c1", "Ann"); c.ImmutableID = idA; return c }()},
			tenant: hardened(july, assigned("c1", roleGA)), outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
	})
}
