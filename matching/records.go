package matching

import (
	"strconv"
	"strings"
	"time"

	"github.com/hybridid/hybridid/anchor"
)

// Class is the kind of directory object: user, group or contact.
type Class uint8

// The object classes sync handles.
const (
	ClassUnknown Class = iota
	ClassUser
	ClassGroup
	ClassContact
)

var classNames = [...]string{"unknown", "user", "group", "contact"}

// String returns "user", "group", "contact" or "unknown".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// OnPrem is one on-premises Active Directory object as the sync client reads it. Attribute
// values are as AD stores them; the engine does all normalisation itself.
type OnPrem struct {
	DN    string // distinguishedName
	Class Class

	ObjectGUID      anchor.ObjectGUID // objectGUID (raw 16 bytes)
	ConsistencyGUID anchor.ObjectGUID // mS-DS-ConsistencyGuid; zero when empty
	// CustomAnchor is the value of a custom sourceAnchor attribute (such as employeeID) when the
	// sync configuration names one; zero otherwise.
	CustomAnchor anchor.SourceAnchor

	UserPrincipalName string
	ProxyAddresses    []string // "SMTP:primary", "smtp:secondary", "X500:…"
	Mail              string
	MailNickname      string // empty in forests without the Exchange schema
	SAMAccountName    string
	ObjectSID         string // S-1-5-21-… text form; empty when unknown
	Enabled           bool   // userAccountControl & ACCOUNTDISABLE == 0
	MailEnabled       bool   // groups: has a mail address or SMTP proxy (Connect's mail-enabled test)

	DisplayName string
	GivenName   string
	Surname     string

	// Source says where the record came from (file:line, or an LDAP URL); used in messages only.
	Source string

	// ReadErrors are the values of this object the reader could not decode. An object with any
	// gets the outcome Error; every other object is still predicted.
	ReadErrors []ReadError
}

// ReadError is one attribute value of an on-premises object that its reader could not decode
// (a 36-byte mS-DS-ConsistencyGuid, a 3-byte objectSid, userAccountControl "0x200", an entry
// without objectClass).
type ReadError struct {
	Attribute string // the attribute, such as "objectSid"; "" for the entry as a whole
	Value     string // the value as read, printable (binary values in hex)
	Source    string // where it was read: file:line, or an LDAP URL and DN
	Message   string // what is wrong, without repeating the value
}

// Error returns "source: attribute: message (value ...)".
func (e *ReadError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
		b.WriteString(": ")
	}
	if e.Attribute != "" {
		b.WriteString(e.Attribute)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Value != "" {
		b.WriteString(" (value ")
		b.WriteString(strconv.Quote(e.Value))
		b.WriteString(")")
	}
	return b.String()
}

// spoilsAnchor reports whether the error leaves the object's anchor unknown: an entry-level
// error, an unreadable objectGUID or mS-DS-ConsistencyGuid, or, with a custom anchor attribute,
// any attribute other than objectSid and userAccountControl.
func (e *ReadError) spoilsAnchor(custom bool) bool {
	switch {
	case e.Attribute == "", EqualFold(e.Attribute, "objectGUID"), EqualFold(e.Attribute, "mS-DS-ConsistencyGuid"):
		return true
	case EqualFold(e.Attribute, "objectSid"), EqualFold(e.Attribute, "userAccountControl"):
		return false
	}
	return custom
}

// Cloud is one Entra object (user, group, org contact, or deleted user) with the Graph v1.0
// properties of docs/snapshot.md.
type Cloud struct {
	ID    string
	Class Class

	UserPrincipalName string
	Mail              string
	MailNickname      string
	DisplayName       string
	GivenName         string
	Surname           string
	ProxyAddresses    []string
	UserType          string // "Member" or "Guest"
	AccountEnabled    *bool
	MailEnabled       bool // groups
	SecurityEnabled   bool // groups

	ImmutableID anchor.SourceAnchor // onPremisesImmutableId; zero when not set
	// SyncEnabled is onPremisesSyncEnabled: nil (never synced / cloud-managed), true (synced),
	// false (was synced, sync turned off or soft-deleted from sync).
	SyncEnabled  *bool
	CloudManaged bool // onPremisesSyncBehavior.isCloudManaged

	OnPremisesDistinguishedName  string
	OnPremisesSamAccountName     string
	OnPremisesUserPrincipalName  string
	OnPremisesSecurityIdentifier string
	OnPremisesLastSync           time.Time
	// OnPremisesObjectIdentifier is the on-premises object identifier sync stamped on the user
	// (Graph's onPremisesObjectIdentifier); "" when not set. It is meaningful only when the
	// tenant's Known has KnownObjectIdentifier.
	OnPremisesObjectIdentifier string

	// Deleted is set for objects from deleted items; DeletedAt is deletedDateTime.
	Deleted   bool
	DeletedAt time.Time
}

// Synced reports whether the cloud object is currently synced (onPremisesSyncEnabled is true
// and the object is not cloud-managed).
func (c *Cloud) Synced() bool { return c.SyncEnabled != nil && *c.SyncEnabled && !c.CloudManaged }

// Features are the tenant's onPremisesDirectorySynchronization features that change matching.
type Features struct {
	BlockSoftMatch                    bool // blockSoftMatchEnabled
	BlockCloudObjectTakeoverHardMatch bool // blockCloudObjectTakeoverThroughHardMatchEnabled
	SoftMatchOnUPN                    bool // softMatchOnUpnEnabled
	// AllowObjectIdentifierUpdate is allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled, the
	// temporary bypass of the July 2026 remap block; meaningful when Known has KnownBypassFlag.
	AllowObjectIdentifierUpdate bool
}

// Domain is one of the tenant's verified domains.
type Domain struct {
	Name      string
	IsDefault bool
	IsInitial bool
	Type      string // "Managed" or "Federated"
}

// RoleAssignment is an Entra directory role assignment: active (Graph's unifiedRoleAssignment)
// or, in TenantState.Eligibilities, a PIM eligibility (unifiedRoleEligibilityScheduleInstance).
type RoleAssignment struct {
	ID               string
	PrincipalID      string // a user, or a role-assignable group (see TenantState.GroupMembers)
	RoleDefinitionID string // the role template id
	DirectoryScopeID string
	// Start and End bound an eligibility; zero means open.
	Start, End time.Time
}

// RoleDefinition is an Entra directory role definition (Graph's unifiedRoleDefinition).
type RoleDefinition struct {
	ID           string // the role template id
	DisplayName  string
	IsBuiltIn    bool
	IsPrivileged bool
}

// GroupMember says that a user is a member of a role-assignable group, so that roles held
// through the group are seen.
type GroupMember struct {
	GroupID  string
	MemberID string
}

// Known says which of the inputs that arrived with the July 2026 rules the source provided.
// Older snapshots provide none of them; the engine then says in a reason that it could not check.
type Known uint8

// The inputs Known tracks.
const (
	KnownObjectIdentifier Known = 1 << iota // users' onPremisesObjectIdentifier was read
	KnownEligibilities                      // TenantState.Eligibilities is complete
	KnownRoleDefinitions                    // TenantState.RoleDefinitions is complete
	KnownGroupMembers                       // TenantState.GroupMembers is complete
	KnownBypassFlag                         // Features.AllowObjectIdentifierUpdate was read
)

// TenantState holds the tenant-wide settings and role data that matching depends on (not to be
// confused with conversion.Tenant, the port through which a tenant is changed).
type TenantState struct {
	ID          string
	SyncEnabled *bool // organization.onPremisesSyncEnabled
	Features    Features
	Domains     []Domain
	Roles       []RoleAssignment // active assignments
	// Eligibilities are PIM eligibilities; RoleDefinitions say which roles are privileged;
	// GroupMembers list the members of role-assignable groups named as principals above.
	Eligibilities   []RoleAssignment
	RoleDefinitions []RoleDefinition
	GroupMembers    []GroupMember
	Known           Known
	// AsOf is the moment the prediction is for (a snapshot's takenAt): it decides the 30-day
	// restore window and whether the June and July 2026 blocks are in force. The engine has no
	// clock of its own.
	AsOf time.Time
}
