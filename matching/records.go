package matching

import (
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
}

// Cloud is one Entra object (user, group, org contact, or deleted user) with the Graph v1.0
// properties of ../shared/spec/snapshot.md.
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
}

// Domain is one of the tenant's verified domains.
type Domain struct {
	Name      string
	IsDefault bool
	IsInitial bool
	Type      string // "Managed" or "Federated"
}

// RoleAssignment is an active Entra directory role assignment.
type RoleAssignment struct {
	ID               string
	PrincipalID      string
	RoleDefinitionID string
	DirectoryScopeID string
}

// Tenant holds the tenant-wide settings that matching depends on.
type Tenant struct {
	ID          string
	SyncEnabled *bool // organization.onPremisesSyncEnabled
	Features    Features
	Domains     []Domain
	Roles       []RoleAssignment
	// AsOf is the moment the prediction is for (a snapshot's takenAt): it decides the 30-day
	// restore window and whether the June and July 2026 blocks are in force. The engine has no
	// clock of its own.
	AsOf time.Time
}
