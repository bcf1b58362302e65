package conversion

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/matching"
)

// The ports: what conversion needs from the on-premises directory, the tenant and the sync client.
// ldapx implements Directory, graphx implements Tenant, conversiontest implements both in memory.
//
// Every write names the value it replaces (old) as well as the new one. An adapter must refuse
// the write with an error wrapping ErrConflict when old no longer holds, where the protocol
// allows it atomically (LDAP: one modify that deletes the old value and adds the new one), and
// otherwise re-read just before writing. Reads return ErrNotFound for a missing object.
// Errors follow the contract in errors.go.

// DirectoryReader reads on-premises users. Objects are named by objectGUID, which survives moves
// and renames (an LDAP adapter can address them as "<GUID=…>").
type DirectoryReader interface {
	// User returns the user with this objectGUID.
	User(ctx context.Context, guid anchor.ObjectGUID) (matching.OnPrem, error)
	// UserByDN returns the user at dn.
	UserByDN(ctx context.Context, dn string) (matching.OnPrem, error)
}

// DirectoryWriter changes on-premises users. Each method is one LDAP operation.
type DirectoryWriter interface {
	// SetConsistencyGUID replaces mS-DS-ConsistencyGuid (zero old: attribute absent; zero new: remove it).
	SetConsistencyGUID(ctx context.Context, guid, old, new anchor.ObjectGUID) error
	// ReplaceProxyAddresses replaces the whole proxyAddresses set old with new.
	ReplaceProxyAddresses(ctx context.Context, guid anchor.ObjectGUID, old, new []string) error
	// SetMail replaces mail ("" means absent).
	SetMail(ctx context.Context, guid anchor.ObjectGUID, old, new string) error
	// SetUPN replaces userPrincipalName.
	SetUPN(ctx context.Context, guid anchor.ObjectGUID, old, new string) error
	// Move moves the object from the container oldParent to newParent (LDAP ModifyDN with newSuperior).
	Move(ctx context.Context, guid anchor.ObjectGUID, oldParent, newParent string) error
	// CreateUser adds a user object (LDAP Add) and returns its objectGUID. It returns an error
	// wrapping ErrConflict when an object already exists at the DN.
	CreateUser(ctx context.Context, u NewUser) (anchor.ObjectGUID, error)
}

// Directory is the on-premises directory port.
type Directory interface {
	DirectoryReader
	DirectoryWriter
}

// TenantReader reads the Entra tenant.
type TenantReader interface {
	// Organization returns the tenant id, onPremisesSyncEnabled, sync features, domains and role
	// assignments. AsOf is left for the caller.
	Organization(ctx context.Context) (matching.TenantState, error)
	// User returns the (not deleted) user with this object id.
	User(ctx context.Context, id string) (matching.Cloud, error)
	// DeletedUser returns the soft-deleted user with this object id (Deleted and DeletedAt set).
	DeletedUser(ctx context.Context, id string) (matching.Cloud, error)
	// ListDeleted lists the soft-deleted users (GET /directory/deletedItems/microsoft.graph.user).
	ListDeleted(ctx context.Context) iter.Seq2[matching.Cloud, error]
	// UserRoles returns how the user with this object id holds Entra directory roles now: active
	// assignments and PIM eligibilities, direct and (where the adapter can see them) through
	// role-assignable groups, with each role's privilege mark when it can be read. An adapter that
	// cannot see some of these says so in its documentation. Apply and Undo call it to re-check
	// every user a change concerns (see Applier.AllowRoles).
	UserRoles(ctx context.Context, id string) ([]RoleHold, error)
	// OnPremAttributes returns the seven on-premises attributes of the (not deleted) user with
	// this object id (Graph beta: onPremisesObjectIdentifier is a beta property).
	OnPremAttributes(ctx context.Context, id string) (OnPremAttributes, error)
	// CloudManaged returns onPremisesSyncBehavior.isCloudManaged of a group or contact
	// (GET /groups/{id}/onPremisesSyncBehavior, /contacts/{id}/…); false when it has none.
	CloudManaged(ctx context.Context, kind ObjectKind, id string) (bool, error)
}

// TenantWriter changes the tenant. Each method is one Graph write (one unit of the write budget).
type TenantWriter interface {
	// SetImmutableID sets onPremisesImmutableId (zero new: clear it with JSON null).
	SetImmutableID(ctx context.Context, id string, old, new anchor.SourceAnchor) error
	// SetCloudManaged sets onPremisesSyncBehavior.isCloudManaged (docs/entra-rules.md §4c).
	SetCloudManaged(ctx context.Context, id string, old, new bool) error
	// RestoreDeleted restores a soft-deleted user (POST /directory/deletedItems/{id}/restore).
	RestoreDeleted(ctx context.Context, id string) error
	// SetOrgSyncEnabled sets organization.onPremisesSyncEnabled (docs/entra-rules.md §4b).
	SetOrgSyncEnabled(ctx context.Context, old, new bool) error
	// SetOnPremAttributes replaces the on-premises attributes of a cloud-only user, old with new,
	// in one write (Graph beta PATCH /users/{id}; null for every attribute new leaves empty). A
	// synced user answers ErrReadOnly. onPremisesObjectIdentifier accepts only null: an adapter
	// refuses to set a value (ErrReadOnly) rather than send what Graph may reject.
	SetOnPremAttributes(ctx context.Context, id string, old, new OnPremAttributes) error
	// SetHardeningBypass sets the tenant sync feature
	// allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled (PATCH
	// /directory/onPremisesSynchronization/{id}). Organization reports it in
	// Features.AllowObjectIdentifierUpdate.
	SetHardeningBypass(ctx context.Context, old, new bool) error
	// SetObjectCloudManaged sets onPremisesSyncBehavior.isCloudManaged of a group or contact
	// (PATCH /groups/{id}/onPremisesSyncBehavior, /contacts/{id}/…; permissions
	// Group-OnPremisesSyncBehavior.ReadWrite.All, Contacts-OnPremisesSyncBehavior.ReadWrite.All).
	SetObjectCloudManaged(ctx context.Context, kind ObjectKind, id string, old, new bool) error
}

// ObjectKind names a cloud object that is not a user, for the group and contact
// source-of-authority transfer.
type ObjectKind string

// Object kinds.
const (
	KindGroup   ObjectKind = "group"
	KindContact ObjectKind = "contact"
)

// Tenant is the Entra tenant port.
type Tenant interface {
	TenantReader
	TenantWriter
}

// SyncCycle starts a delta sync cycle. Entra Connect Sync cannot be started from outside its
// server: such an implementation returns a *ManualSyncError naming the command to run, and
// waiting steps then simply poll the tenant.
type SyncCycle interface {
	TriggerDelta(ctx context.Context) error
}

// ManualSync is a SyncCycle for Entra Connect Sync: it always returns a *ManualSyncError with
// "Start-ADSyncSyncCycle -PolicyType Delta".
type ManualSync struct{}

// TriggerDelta returns a *ManualSyncError.
func (ManualSync) TriggerDelta(context.Context) error {
	return &ManualSyncError{Command: "Start-ADSyncSyncCycle -PolicyType Delta"}
}

// ErrNoDirectory is what NoDirectory answers: the run reached the on-premises directory and none
// was given.
var ErrNoDirectory = errors.New("no on-premises directory was given")

// NoDirectory stands in for the directory of a run whose changes do not touch it (source-of-
// authority and tenant-wide plans): every method fails with ErrNoDirectory. An Applier with a nil
// Directory uses it.
type NoDirectory struct{}

var _ Directory = NoDirectory{}

func (NoDirectory) User(context.Context, anchor.ObjectGUID) (matching.OnPrem, error) {
	return matching.OnPrem{}, ErrNoDirectory
}
func (NoDirectory) UserByDN(context.Context, string) (matching.OnPrem, error) {
	return matching.OnPrem{}, ErrNoDirectory
}
func (NoDirectory) SetConsistencyGUID(context.Context, anchor.ObjectGUID, anchor.ObjectGUID, anchor.ObjectGUID) error {
	return ErrNoDirectory
}
func (NoDirectory) ReplaceProxyAddresses(context.Context, anchor.ObjectGUID, []string, []string) error {
	return ErrNoDirectory
}
func (NoDirectory) SetMail(context.Context, anchor.ObjectGUID, string, string) error {
	return ErrNoDirectory
}
func (NoDirectory) SetUPN(context.Context, anchor.ObjectGUID, string, string) error {
	return ErrNoDirectory
}
func (NoDirectory) Move(context.Context, anchor.ObjectGUID, string, string) error {
	return ErrNoDirectory
}
func (NoDirectory) CreateUser(context.Context, NewUser) (anchor.ObjectGUID, error) {
	return anchor.ObjectGUID{}, ErrNoDirectory
}

// TouchesDirectory reports whether any of changes acts on the on-premises directory.
func TouchesDirectory(changes iter.Seq[Change]) bool {
	for c := range changes {
		if c.Target.Side == SideOnPrem {
			return true
		}
	}
	return false
}

// TouchesDirectory reports whether the plan changes the on-premises directory.
func (p *Plan) TouchesDirectory() bool { return TouchesDirectory(slices.Values(p.Changes)) }

// JournalChanges returns the changes a journal's entries record, in order (for
// TouchesDirectory before an undo or resolve).
func JournalChanges(entries []Entry) iter.Seq[Change] {
	return func(yield func(Change) bool) {
		for _, e := range entries {
			if e.Change != nil && !yield(*e.Change) {
				return
			}
		}
	}
}

// NewUser is an on-premises user to create (hard match of a cloud-only user with no AD account).
type NewUser struct {
	ParentDN        string            `json:"parentDN"`
	CN              string            `json:"cn"`
	UPN             string            `json:"userPrincipalName"`
	SAMAccountName  string            `json:"sAMAccountName"`
	MailNickname    string            `json:"mailNickname,omitempty"`
	Mail            string            `json:"mail,omitempty"`
	ProxyAddresses  []string          `json:"proxyAddresses,omitempty"`
	DisplayName     string            `json:"displayName,omitempty"`
	GivenName       string            `json:"givenName,omitempty"`
	Surname         string            `json:"surname,omitempty"`
	ConsistencyGUID anchor.ObjectGUID `json:"mS-DS-ConsistencyGuid"`
}

// DN returns "CN=<cn>,<parent>" with the CN escaped as RFC 4514 requires.
func (u NewUser) DN() string { return "CN=" + dn.EscapeValue(u.CN) + "," + u.ParentDN }
