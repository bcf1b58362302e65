package snapshot

import (
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// Tenant returns the tenant-wide settings matching depends on: the organization id and sync
// flag, the sync features (docs/entra-rules.md §2.2, §2.4, §6.3), the verified domains, the
// active role assignments, PIM eligibilities, role definitions and members of role-assignable
// groups (§2.4, §6.7) and AsOf = takenAt. Known says which of the inputs added on 2026-11-30 the
// file has: each of roleEligibilities, roleDefinitions and groupMembers when present (even
// empty), the bypass flag when present, and onPremisesObjectIdentifier when any user or deleted
// user has the member (null or a value).
func (s *Snapshot) Tenant() matching.TenantState {
	t := matching.TenantState{
		ID:          s.Organization.ID,
		SyncEnabled: s.Organization.OnPremisesSyncEnabled,
		Features: matching.Features{
			BlockSoftMatch:                    s.OnPremisesSynchronization.Features.BlockSoftMatchEnabled,
			BlockCloudObjectTakeoverHardMatch: s.OnPremisesSynchronization.Features.BlockCloudObjectTakeoverThroughHardMatchEnabled,
			SoftMatchOnUPN:                    s.OnPremisesSynchronization.Features.SoftMatchOnUpnEnabled,
		},
		AsOf: s.TakenAt,
	}
	for _, d := range s.Organization.VerifiedDomains {
		t.Domains = append(t.Domains, matching.Domain{Name: d.Name, IsDefault: d.IsDefault, IsInitial: d.IsInitial, Type: d.Type})
	}
	for _, r := range s.RoleAssignments {
		t.Roles = append(t.Roles, matching.RoleAssignment{ID: r.ID, PrincipalID: r.PrincipalID, RoleDefinitionID: r.RoleDefinitionID, DirectoryScopeID: r.DirectoryScopeID})
	}
	if s.RoleEligibilities != nil {
		t.Known |= matching.KnownEligibilities
		t.Eligibilities = make([]matching.RoleAssignment, 0, len(s.RoleEligibilities))
		for _, r := range s.RoleEligibilities {
			t.Eligibilities = append(t.Eligibilities, matching.RoleAssignment{ID: r.ID, PrincipalID: r.PrincipalID, RoleDefinitionID: r.RoleDefinitionID,
				DirectoryScopeID: r.DirectoryScopeID, Start: timeOf(r.StartDateTime), End: timeOf(r.EndDateTime)})
		}
	}
	if s.RoleDefinitions != nil {
		t.Known |= matching.KnownRoleDefinitions
		t.RoleDefinitions = make([]matching.RoleDefinition, 0, len(s.RoleDefinitions))
		for _, r := range s.RoleDefinitions {
			t.RoleDefinitions = append(t.RoleDefinitions, matching.RoleDefinition{ID: r.ID, DisplayName: r.DisplayName, IsBuiltIn: r.IsBuiltIn, IsPrivileged: r.IsPrivileged})
		}
	}
	if s.GroupMembers != nil {
		t.Known |= matching.KnownGroupMembers
		t.GroupMembers = make([]matching.GroupMember, 0, len(s.GroupMembers))
		for _, m := range s.GroupMembers {
			t.GroupMembers = append(t.GroupMembers, matching.GroupMember{GroupID: m.GroupID, MemberID: m.MemberID})
		}
	}
	if f := s.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled; f != nil {
		t.Known |= matching.KnownBypassFlag
		t.Features.AllowObjectIdentifierUpdate = *f
	}
	if s.hasObjectIdentifier() {
		t.Known |= matching.KnownObjectIdentifier
	}
	return t
}

// hasObjectIdentifier reports whether any user or deleted user has onPremisesObjectIdentifier
// (null or a value): then the snapshot's reader read the property.
func (s *Snapshot) hasObjectIdentifier() bool {
	for i := range s.Users {
		if s.Users[i].OnPremisesObjectIdentifier != nil {
			return true
		}
	}
	for i := range s.DeletedUsers {
		if s.DeletedUsers[i].OnPremisesObjectIdentifier != nil {
			return true
		}
	}
	return false
}

// Cloud returns the cloud objects as matching records, in the order users, groups, contacts,
// deleted users (Deleted set). It fails, naming the JSON path, on an onPremisesImmutableId
// that anchor.ParseSourceAnchor refuses; Read has already refused those, so only a Snapshot
// built in code can fail. The records share their strings with s. A caller that reads a file
// only to convert it should call ReadRecords instead, which never holds both.
func (s *Snapshot) Cloud() ([]matching.Cloud, error) {
	out := make([]matching.Cloud, 0, len(s.Users)+len(s.Groups)+len(s.Contacts)+len(s.DeletedUsers))
	for i := range s.Users {
		a, err := immutable(s.Users[i].OnPremisesImmutableID, ref{"users", i})
		if err != nil {
			return nil, err
		}
		out = append(out, userRecord(&s.Users[i], a))
	}
	for i := range s.Groups {
		a, err := immutable(s.Groups[i].OnPremisesImmutableID, ref{"groups", i})
		if err != nil {
			return nil, err
		}
		out = append(out, groupRecord(&s.Groups[i], a))
	}
	for i := range s.Contacts {
		out = append(out, contactRecord(&s.Contacts[i], anchor.SourceAnchor{}))
	}
	for i := range s.DeletedUsers {
		a, err := immutable(s.DeletedUsers[i].OnPremisesImmutableID, ref{"deletedUsers", i})
		if err != nil {
			return nil, err
		}
		out = append(out, deletedRecord(&s.DeletedUsers[i], a))
	}
	return out, nil
}

// userRecord is the record of u, whose onPremisesImmutableId parses to a.
func userRecord(u *User, a anchor.SourceAnchor) matching.Cloud {
	c := matching.Cloud{
		ID: u.ID, Class: matching.ClassUser, UserPrincipalName: u.UserPrincipalName, Mail: u.Mail, MailNickname: u.MailNickname,
		DisplayName: u.DisplayName, GivenName: u.GivenName, Surname: u.Surname, ProxyAddresses: u.ProxyAddresses,
		UserType: u.UserType, AccountEnabled: u.AccountEnabled, SyncEnabled: u.OnPremisesSyncEnabled,
		CloudManaged:                 u.OnPremisesSyncBehavior != nil && u.OnPremisesSyncBehavior.IsCloudManaged,
		OnPremisesDistinguishedName:  u.OnPremisesDistinguishedName,
		OnPremisesSamAccountName:     u.OnPremisesSamAccountName,
		OnPremisesUserPrincipalName:  u.OnPremisesUserPrincipalName,
		OnPremisesSecurityIdentifier: u.OnPremisesSecurityIdentifier,
		OnPremisesLastSync:           timeOf(u.OnPremisesLastSyncDateTime),
		ImmutableID:                  a,
	}
	if u.OnPremisesObjectIdentifier != nil {
		c.OnPremisesObjectIdentifier = *u.OnPremisesObjectIdentifier
	}
	return c
}

// deletedRecord is the record of the deleted user u.
func deletedRecord(u *User, a anchor.SourceAnchor) matching.Cloud {
	c := userRecord(u, a)
	c.Deleted = true
	c.DeletedAt = timeOf(u.DeletedDateTime)
	return c
}

func groupRecord(g *Group, a anchor.SourceAnchor) matching.Cloud {
	return matching.Cloud{
		ID: g.ID, Class: matching.ClassGroup, Mail: g.Mail, MailNickname: g.MailNickname, DisplayName: g.DisplayName,
		ProxyAddresses: g.ProxyAddresses, MailEnabled: g.MailEnabled, SecurityEnabled: g.SecurityEnabled,
		SyncEnabled: g.OnPremisesSyncEnabled, CloudManaged: g.OnPremisesSyncBehavior != nil && g.OnPremisesSyncBehavior.IsCloudManaged,
		OnPremisesLastSync: timeOf(g.OnPremisesLastSyncDateTime), ImmutableID: a,
	}
}

// contactRecord is the record of ct (Graph's orgContact has no onPremisesImmutableId: a is zero).
func contactRecord(ct *Contact, _ anchor.SourceAnchor) matching.Cloud {
	return matching.Cloud{
		ID: ct.ID, Class: matching.ClassContact, Mail: ct.Mail, MailNickname: ct.MailNickname, DisplayName: ct.DisplayName,
		ProxyAddresses: ct.ProxyAddresses, MailEnabled: ct.Mail != "" || len(ct.ProxyAddresses) > 0,
		SyncEnabled: ct.OnPremisesSyncEnabled, CloudManaged: ct.OnPremisesSyncBehavior != nil && ct.OnPremisesSyncBehavior.IsCloudManaged,
		OnPremisesLastSync: timeOf(ct.OnPremisesLastSyncDateTime),
	}
}

func immutable(s string, at ref) (anchor.SourceAnchor, error) {
	if s == "" {
		return anchor.SourceAnchor{}, nil
	}
	a, err := anchor.ParseSourceAnchor(s)
	if err != nil {
		return a, &Error{Name: "snapshot", Path: at.String() + ".onPremisesImmutableId", Msg: err.Error(), Err: ErrInvalid}
	}
	return a, nil
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// FromRecords builds a snapshot from matching records, the inverse of Tenant and Cloud: cloud
// objects go to users, groups, contacts or deletedUsers by Class and Deleted (objects of unknown
// class are left out). The organization's onPremisesLastSyncDateTime and the fields a record
// does not carry stay unset. Generators and tests use it to write snapshot files.
func FromRecords(t matching.TenantState, cloud []matching.Cloud) *Snapshot {
	s := &Snapshot{
		TakenAt: t.AsOf,
		Organization: Organization{
			ID:                    t.ID,
			OnPremisesSyncEnabled: t.SyncEnabled,
		},
		OnPremisesSynchronization: OnPremisesSynchronization{
			ID: t.ID,
			Features: Features{
				BlockSoftMatchEnabled:                           t.Features.BlockSoftMatch,
				BlockCloudObjectTakeoverThroughHardMatchEnabled: t.Features.BlockCloudObjectTakeoverHardMatch,
				SoftMatchOnUpnEnabled:                           t.Features.SoftMatchOnUPN,
			},
		},
	}
	for _, d := range t.Domains {
		s.Organization.VerifiedDomains = append(s.Organization.VerifiedDomains, VerifiedDomain{Name: d.Name, IsDefault: d.IsDefault, IsInitial: d.IsInitial, Type: d.Type})
	}
	for _, r := range t.Roles {
		s.RoleAssignments = append(s.RoleAssignments, RoleAssignment{ID: r.ID, PrincipalID: r.PrincipalID, RoleDefinitionID: r.RoleDefinitionID, DirectoryScopeID: r.DirectoryScopeID})
	}
	if t.Known&matching.KnownBypassFlag != 0 {
		s.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled = &t.Features.AllowObjectIdentifierUpdate
	}
	if t.Known&matching.KnownEligibilities != 0 {
		s.RoleEligibilities = make([]RoleEligibility, 0, len(t.Eligibilities))
		for _, r := range t.Eligibilities {
			s.RoleEligibilities = append(s.RoleEligibilities, RoleEligibility{ID: r.ID, PrincipalID: r.PrincipalID, RoleDefinitionID: r.RoleDefinitionID,
				DirectoryScopeID: r.DirectoryScopeID, StartDateTime: timePtr(r.Start), EndDateTime: timePtr(r.End)})
		}
	}
	if t.Known&matching.KnownRoleDefinitions != 0 {
		s.RoleDefinitions = make([]RoleDefinition, 0, len(t.RoleDefinitions))
		for _, r := range t.RoleDefinitions {
			s.RoleDefinitions = append(s.RoleDefinitions, RoleDefinition{ID: r.ID, DisplayName: r.DisplayName, IsBuiltIn: r.IsBuiltIn, IsPrivileged: r.IsPrivileged})
		}
	}
	if t.Known&matching.KnownGroupMembers != 0 {
		s.GroupMembers = make([]GroupMember, 0, len(t.GroupMembers))
		for _, m := range t.GroupMembers {
			s.GroupMembers = append(s.GroupMembers, GroupMember{GroupID: m.GroupID, MemberID: m.MemberID})
		}
	}
	for i := range cloud {
		c := &cloud[i]
		var behavior *SyncBehavior
		if c.CloudManaged {
			behavior = &SyncBehavior{IsCloudManaged: true}
		}
		switch c.Class {
		case matching.ClassUser:
			u := User{
				ID: c.ID, UserPrincipalName: c.UserPrincipalName, DisplayName: c.DisplayName, GivenName: c.GivenName, Surname: c.Surname,
				Mail: c.Mail, MailNickname: c.MailNickname, ProxyAddresses: c.ProxyAddresses, OnPremisesImmutableID: c.ImmutableID.String(),
				OnPremisesSyncEnabled: c.SyncEnabled, OnPremisesDistinguishedName: c.OnPremisesDistinguishedName,
				OnPremisesSamAccountName: c.OnPremisesSamAccountName, OnPremisesUserPrincipalName: c.OnPremisesUserPrincipalName,
				OnPremisesSecurityIdentifier: c.OnPremisesSecurityIdentifier, OnPremisesLastSyncDateTime: timePtr(c.OnPremisesLastSync),
				OnPremisesSyncBehavior: behavior, AccountEnabled: c.AccountEnabled, UserType: c.UserType,
			}
			if t.Known&matching.KnownObjectIdentifier != 0 {
				id := c.OnPremisesObjectIdentifier
				u.OnPremisesObjectIdentifier = &id
			}
			if c.Deleted {
				u.DeletedDateTime = timePtr(c.DeletedAt)
				s.DeletedUsers = append(s.DeletedUsers, u)
			} else {
				s.Users = append(s.Users, u)
			}
		case matching.ClassGroup:
			s.Groups = append(s.Groups, Group{
				ID: c.ID, DisplayName: c.DisplayName, Mail: c.Mail, MailNickname: c.MailNickname, MailEnabled: c.MailEnabled,
				SecurityEnabled: c.SecurityEnabled, ProxyAddresses: c.ProxyAddresses, OnPremisesImmutableID: c.ImmutableID.String(),
				OnPremisesSyncEnabled: c.SyncEnabled, OnPremisesSyncBehavior: behavior, OnPremisesLastSyncDateTime: timePtr(c.OnPremisesLastSync),
			})
		case matching.ClassContact:
			s.Contacts = append(s.Contacts, Contact{
				ID: c.ID, DisplayName: c.DisplayName, Mail: c.Mail, MailNickname: c.MailNickname, ProxyAddresses: c.ProxyAddresses,
				OnPremisesSyncEnabled: c.SyncEnabled, OnPremisesSyncBehavior: behavior, OnPremisesLastSyncDateTime: timePtr(c.OnPremisesLastSync),
			})
		}
	}
	return s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
