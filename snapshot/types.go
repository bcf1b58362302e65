package snapshot

import (
	"encoding/json"
	"time"
)

// Snapshot is a whole tenant snapshot file (docs/snapshot.md). Every object has the
// shape Microsoft Graph v1.0 returns. Fields the package does not know are kept in Extra and
// written back unchanged.
type Snapshot struct {
	TakenAt                   time.Time                 `json:"takenAt"`
	Organization              Organization              `json:"organization"`
	OnPremisesSynchronization OnPremisesSynchronization `json:"onPremisesSynchronization"`
	Users                     []User                    `json:"users"`
	Groups                    []Group                   `json:"groups"`
	Contacts                  []Contact                 `json:"contacts"`
	DeletedUsers              []User                    `json:"deletedUsers"`
	RoleAssignments           []RoleAssignment          `json:"roleAssignments"`
	// The four below were added on 2026-11-30; nil means the file does not have them (unknown),
	// an empty slice that it has none.
	RoleEligibilities []RoleEligibility          `json:"roleEligibilities,omitempty"`
	RoleDefinitions   []RoleDefinition           `json:"roleDefinitions,omitempty"`
	GroupMembers      []GroupMember              `json:"groupMembers,omitempty"`
	Extra             map[string]json.RawMessage `json:"-"`
}

// Organization is Graph's organization resource (the fields hybrid identity needs).
type Organization struct {
	ID                         string                     `json:"id"`
	DisplayName                string                     `json:"displayName,omitempty"`
	OnPremisesSyncEnabled      *bool                      `json:"onPremisesSyncEnabled"`
	OnPremisesLastSyncDateTime *time.Time                 `json:"onPremisesLastSyncDateTime,omitempty"`
	VerifiedDomains            []VerifiedDomain           `json:"verifiedDomains"`
	Extra                      map[string]json.RawMessage `json:"-"`
}

// VerifiedDomain is Graph's verifiedDomain.
type VerifiedDomain struct {
	Name      string `json:"name"`
	IsDefault bool   `json:"isDefault"`
	IsInitial bool   `json:"isInitial"`
	Type      string `json:"type,omitempty"`
	// Extra keeps the members the package does not know (capabilities, …).
	Extra map[string]json.RawMessage `json:"-"`
}

// OnPremisesSynchronization is Graph's onPremisesDirectorySynchronization resource.
type OnPremisesSynchronization struct {
	ID       string                     `json:"id,omitempty"`
	Features Features                   `json:"features"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Features is Graph's onPremisesDirectorySynchronizationFeature (the flags matching reads; the
// others are kept in Extra).
type Features struct {
	BlockSoftMatchEnabled                           bool `json:"blockSoftMatchEnabled"`
	BlockCloudObjectTakeoverThroughHardMatchEnabled bool `json:"blockCloudObjectTakeoverThroughHardMatchEnabled"`
	SoftMatchOnUpnEnabled                           bool `json:"softMatchOnUpnEnabled"`
	// AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is the July 2026 bypass flag; nil when
	// the file does not have it.
	AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled *bool                      `json:"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled,omitempty"`
	Extra                                                map[string]json.RawMessage `json:"-"`
}

// SyncBehavior is Graph's onPremisesSyncBehavior.
type SyncBehavior struct {
	IsCloudManaged bool `json:"isCloudManaged"`
	// Extra keeps the members the package does not know.
	Extra map[string]json.RawMessage `json:"-"`
}

// User is Graph's user resource with the on-premises properties (also used for deleted users).
type User struct {
	ID                           string        `json:"id"`
	UserPrincipalName            string        `json:"userPrincipalName,omitempty"`
	DisplayName                  string        `json:"displayName,omitempty"`
	GivenName                    string        `json:"givenName,omitempty"`
	Surname                      string        `json:"surname,omitempty"`
	Mail                         string        `json:"mail,omitempty"`
	MailNickname                 string        `json:"mailNickname,omitempty"`
	ProxyAddresses               []string      `json:"proxyAddresses,omitempty"`
	OnPremisesImmutableID        string        `json:"onPremisesImmutableId,omitempty"`
	OnPremisesSyncEnabled        *bool         `json:"onPremisesSyncEnabled,omitempty"`
	OnPremisesDistinguishedName  string        `json:"onPremisesDistinguishedName,omitempty"`
	OnPremisesSamAccountName     string        `json:"onPremisesSamAccountName,omitempty"`
	OnPremisesUserPrincipalName  string        `json:"onPremisesUserPrincipalName,omitempty"`
	OnPremisesSecurityIdentifier string        `json:"onPremisesSecurityIdentifier,omitempty"`
	OnPremisesLastSyncDateTime   *time.Time    `json:"onPremisesLastSyncDateTime,omitempty"`
	OnPremisesSyncBehavior       *SyncBehavior `json:"onPremisesSyncBehavior,omitempty"`
	// OnPremisesObjectIdentifier is nil when the file does not say (older snapshots), a pointer
	// to "" when Graph returned null, else the value.
	OnPremisesObjectIdentifier *string                    `json:"onPremisesObjectIdentifier,omitempty"`
	AccountEnabled             *bool                      `json:"accountEnabled,omitempty"`
	UserType                   string                     `json:"userType,omitempty"`
	DeletedDateTime            *time.Time                 `json:"deletedDateTime,omitempty"`
	Extra                      map[string]json.RawMessage `json:"-"`
}

// Group is Graph's group resource.
type Group struct {
	ID                         string                     `json:"id"`
	DisplayName                string                     `json:"displayName,omitempty"`
	Mail                       string                     `json:"mail,omitempty"`
	MailNickname               string                     `json:"mailNickname,omitempty"`
	MailEnabled                bool                       `json:"mailEnabled"`
	SecurityEnabled            bool                       `json:"securityEnabled"`
	ProxyAddresses             []string                   `json:"proxyAddresses,omitempty"`
	OnPremisesImmutableID      string                     `json:"onPremisesImmutableId,omitempty"`
	OnPremisesSyncEnabled      *bool                      `json:"onPremisesSyncEnabled"`
	OnPremisesSyncBehavior     *SyncBehavior              `json:"onPremisesSyncBehavior,omitempty"`
	OnPremisesLastSyncDateTime *time.Time                 `json:"onPremisesLastSyncDateTime,omitempty"`
	Extra                      map[string]json.RawMessage `json:"-"`
}

// Contact is Graph's orgContact resource.
type Contact struct {
	ID                         string                     `json:"id"`
	DisplayName                string                     `json:"displayName,omitempty"`
	Mail                       string                     `json:"mail,omitempty"`
	MailNickname               string                     `json:"mailNickname,omitempty"`
	ProxyAddresses             []string                   `json:"proxyAddresses,omitempty"`
	OnPremisesSyncEnabled      *bool                      `json:"onPremisesSyncEnabled"`
	OnPremisesSyncBehavior     *SyncBehavior              `json:"onPremisesSyncBehavior,omitempty"`
	OnPremisesLastSyncDateTime *time.Time                 `json:"onPremisesLastSyncDateTime,omitempty"`
	Extra                      map[string]json.RawMessage `json:"-"`
}

// RoleAssignment is Graph's unifiedRoleAssignment.
type RoleAssignment struct {
	ID               string `json:"id"`
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId,omitempty"`
	// Extra keeps the members the package does not know (appScopeId, condition, …).
	Extra map[string]json.RawMessage `json:"-"`
}

// RoleEligibility is Graph's unifiedRoleEligibilityScheduleInstance (PIM eligibility).
type RoleEligibility struct {
	ID               string     `json:"id"`
	PrincipalID      string     `json:"principalId"`
	RoleDefinitionID string     `json:"roleDefinitionId"`
	DirectoryScopeID string     `json:"directoryScopeId,omitempty"`
	StartDateTime    *time.Time `json:"startDateTime,omitempty"`
	EndDateTime      *time.Time `json:"endDateTime,omitempty"`
	// Extra keeps the members the package does not know.
	Extra map[string]json.RawMessage `json:"-"`
}

// RoleDefinition is Graph's unifiedRoleDefinition (the fields the hardening rules read).
type RoleDefinition struct {
	ID           string `json:"id"`
	DisplayName  string `json:"displayName,omitempty"`
	IsBuiltIn    bool   `json:"isBuiltIn"`
	IsPrivileged bool   `json:"isPrivileged"`
	// Extra keeps the members the package does not know.
	Extra map[string]json.RawMessage `json:"-"`
}

// GroupMember says that MemberID is a member of the role-assignable group GroupID.
type GroupMember struct {
	GroupID  string `json:"groupId"`
	MemberID string `json:"memberId"`
	// Extra keeps the members the package does not know.
	Extra map[string]json.RawMessage `json:"-"`
}
