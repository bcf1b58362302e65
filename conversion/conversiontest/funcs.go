package conversiontest

import (
	"context"
	"iter"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// DirectoryFuncs holds one optional hook per method of conversion.Directory, in the shape of
// controller-runtime's interceptor.Funcs (the project's one fault shape, see package ldapxtest):
// a hook gets the call's ctx and arguments and next, the wrapped directory's method, and may
// return an error instead of calling next (the write does not happen), wait (honouring ctx),
// call next and return an error anyway (the write happened, its answer was lost), or change
// what next returns. A nil field calls the wrapped method. InterceptDirectory applies them to
// any conversion.Directory; this package's Directory also takes them directly (SetFuncs).
type DirectoryFuncs struct {
	User                  func(ctx context.Context, guid anchor.ObjectGUID, next func(context.Context, anchor.ObjectGUID) (matching.OnPrem, error)) (matching.OnPrem, error)
	UserByDN              func(ctx context.Context, dn string, next func(context.Context, string) (matching.OnPrem, error)) (matching.OnPrem, error)
	SetConsistencyGUID    func(ctx context.Context, guid, old, new anchor.ObjectGUID, next func(context.Context, anchor.ObjectGUID, anchor.ObjectGUID, anchor.ObjectGUID) error) error
	ReplaceProxyAddresses func(ctx context.Context, guid anchor.ObjectGUID, old, new []string, next func(context.Context, anchor.ObjectGUID, []string, []string) error) error
	SetMail               func(ctx context.Context, guid anchor.ObjectGUID, old, new string, next func(context.Context, anchor.ObjectGUID, string, string) error) error
	SetUPN                func(ctx context.Context, guid anchor.ObjectGUID, old, new string, next func(context.Context, anchor.ObjectGUID, string, string) error) error
	Move                  func(ctx context.Context, guid anchor.ObjectGUID, oldParent, newParent string, next func(context.Context, anchor.ObjectGUID, string, string) error) error
	CreateUser            func(ctx context.Context, u conversion.NewUser, next func(context.Context, conversion.NewUser) (anchor.ObjectGUID, error)) (anchor.ObjectGUID, error)
}

// InterceptDirectory returns d with the hooks of f around its methods (like controller-runtime's
// interceptor.NewClient). d may be any implementation: this package's Directory, ldapx's, or
// another wrapper. Methods f has no field for call d's.
func InterceptDirectory(d conversion.Directory, f DirectoryFuncs) conversion.Directory {
	return &interceptedDirectory{Directory: d, f: f}
}

type interceptedDirectory struct {
	conversion.Directory
	f DirectoryFuncs
}

func (d *interceptedDirectory) User(ctx context.Context, guid anchor.ObjectGUID) (matching.OnPrem, error) {
	if d.f.User != nil {
		return d.f.User(ctx, guid, d.Directory.User)
	}
	return d.Directory.User(ctx, guid)
}

func (d *interceptedDirectory) UserByDN(ctx context.Context, dn string) (matching.OnPrem, error) {
	if d.f.UserByDN != nil {
		return d.f.UserByDN(ctx, dn, d.Directory.UserByDN)
	}
	return d.Directory.UserByDN(ctx, dn)
}

func (d *interceptedDirectory) SetConsistencyGUID(ctx context.Context, guid, old, new anchor.ObjectGUID) error {
	if d.f.SetConsistencyGUID != nil {
		return d.f.SetConsistencyGUID(ctx, guid, old, new, d.Directory.SetConsistencyGUID)
	}
	return d.Directory.SetConsistencyGUID(ctx, guid, old, new)
}

func (d *interceptedDirectory) ReplaceProxyAddresses(ctx context.Context, guid anchor.ObjectGUID, old, new []string) error {
	if d.f.ReplaceProxyAddresses != nil {
		return d.f.ReplaceProxyAddresses(ctx, guid, old, new, d.Directory.ReplaceProxyAddresses)
	}
	return d.Directory.ReplaceProxyAddresses(ctx, guid, old, new)
}

func (d *interceptedDirectory) SetMail(ctx context.Context, guid anchor.ObjectGUID, old, new string) error {
	if d.f.SetMail != nil {
		return d.f.SetMail(ctx, guid, old, new, d.Directory.SetMail)
	}
	return d.Directory.SetMail(ctx, guid, old, new)
}

func (d *interceptedDirectory) SetUPN(ctx context.Context, guid anchor.ObjectGUID, old, new string) error {
	if d.f.SetUPN != nil {
		return d.f.SetUPN(ctx, guid, old, new, d.Directory.SetUPN)
	}
	return d.Directory.SetUPN(ctx, guid, old, new)
}

func (d *interceptedDirectory) Move(ctx context.Context, guid anchor.ObjectGUID, oldParent, newParent string) error {
	if d.f.Move != nil {
		return d.f.Move(ctx, guid, oldParent, newParent, d.Directory.Move)
	}
	return d.Directory.Move(ctx, guid, oldParent, newParent)
}

func (d *interceptedDirectory) CreateUser(ctx context.Context, u conversion.NewUser) (anchor.ObjectGUID, error) {
	if d.f.CreateUser != nil {
		return d.f.CreateUser(ctx, u, d.Directory.CreateUser)
	}
	return d.Directory.CreateUser(ctx, u)
}

// TenantFuncs holds one optional hook per method of conversion.Tenant, in the shape of
// DirectoryFuncs. InterceptTenant applies them to any conversion.Tenant; this package's Tenant
// also takes them directly (SetFuncs).
type TenantFuncs struct {
	Organization      func(ctx context.Context, next func(context.Context) (matching.TenantState, error)) (matching.TenantState, error)
	User              func(ctx context.Context, id string, next func(context.Context, string) (matching.Cloud, error)) (matching.Cloud, error)
	DeletedUser       func(ctx context.Context, id string, next func(context.Context, string) (matching.Cloud, error)) (matching.Cloud, error)
	ListDeleted       func(ctx context.Context, next func(context.Context) iter.Seq2[matching.Cloud, error]) iter.Seq2[matching.Cloud, error]
	UserRoles         func(ctx context.Context, id string, next func(context.Context, string) ([]conversion.RoleHold, error)) ([]conversion.RoleHold, error)
	SetImmutableID    func(ctx context.Context, id string, old, new anchor.SourceAnchor, next func(context.Context, string, anchor.SourceAnchor, anchor.SourceAnchor) error) error
	SetCloudManaged   func(ctx context.Context, id string, old, new bool, next func(context.Context, string, bool, bool) error) error
	RestoreDeleted    func(ctx context.Context, id string, next func(context.Context, string) error) error
	SetOrgSyncEnabled func(ctx context.Context, old, new bool, next func(context.Context, bool, bool) error) error

	OnPremAttributes      func(ctx context.Context, id string, next func(context.Context, string) (conversion.OnPremAttributes, error)) (conversion.OnPremAttributes, error)
	CloudManaged          func(ctx context.Context, kind conversion.ObjectKind, id string, next func(context.Context, conversion.ObjectKind, string) (bool, error)) (bool, error)
	SetOnPremAttributes   func(ctx context.Context, id string, old, new conversion.OnPremAttributes, next func(context.Context, string, conversion.OnPremAttributes, conversion.OnPremAttributes) error) error
	SetHardeningBypass    func(ctx context.Context, old, new bool, next func(context.Context, bool, bool) error) error
	SetObjectCloudManaged func(ctx context.Context, kind conversion.ObjectKind, id string, old, new bool, next func(context.Context, conversion.ObjectKind, string, bool, bool) error) error
}

// InterceptTenant returns t with the hooks of f around its methods (see InterceptDirectory). t
// may be any implementation: this package's Tenant, graphx's, or another wrapper.
func InterceptTenant(t conversion.Tenant, f TenantFuncs) conversion.Tenant {
	return &interceptedTenant{Tenant: t, f: f}
}

type interceptedTenant struct {
	conversion.Tenant
	f TenantFuncs
}

func (t *interceptedTenant) Organization(ctx context.Context) (matching.TenantState, error) {
	if t.f.Organization != nil {
		return t.f.Organization(ctx, t.Tenant.Organization)
	}
	return t.Tenant.Organization(ctx)
}

func (t *interceptedTenant) User(ctx context.Context, id string) (matching.Cloud, error) {
	if t.f.User != nil {
		return t.f.User(ctx, id, t.Tenant.User)
	}
	return t.Tenant.User(ctx, id)
}

func (t *interceptedTenant) DeletedUser(ctx context.Context, id string) (matching.Cloud, error) {
	if t.f.DeletedUser != nil {
		return t.f.DeletedUser(ctx, id, t.Tenant.DeletedUser)
	}
	return t.Tenant.DeletedUser(ctx, id)
}

func (t *interceptedTenant) ListDeleted(ctx context.Context) iter.Seq2[matching.Cloud, error] {
	if t.f.ListDeleted != nil {
		return t.f.ListDeleted(ctx, t.Tenant.ListDeleted)
	}
	return t.Tenant.ListDeleted(ctx)
}

func (t *interceptedTenant) UserRoles(ctx context.Context, id string) ([]conversion.RoleHold, error) {
	if t.f.UserRoles != nil {
		return t.f.UserRoles(ctx, id, t.Tenant.UserRoles)
	}
	return t.Tenant.UserRoles(ctx, id)
}

func (t *interceptedTenant) SetImmutableID(ctx context.Context, id string, old, new anchor.SourceAnchor) error {
	if t.f.SetImmutableID != nil {
		return t.f.SetImmutableID(ctx, id, old, new, t.Tenant.SetImmutableID)
	}
	return t.Tenant.SetImmutableID(ctx, id, old, new)
}

func (t *interceptedTenant) SetCloudManaged(ctx context.Context, id string, old, new bool) error {
	if t.f.SetCloudManaged != nil {
		return t.f.SetCloudManaged(ctx, id, old, new, t.Tenant.SetCloudManaged)
	}
	return t.Tenant.SetCloudManaged(ctx, id, old, new)
}

func (t *interceptedTenant) RestoreDeleted(ctx context.Context, id string) error {
	if t.f.RestoreDeleted != nil {
		return t.f.RestoreDeleted(ctx, id, t.Tenant.RestoreDeleted)
	}
	return t.Tenant.RestoreDeleted(ctx, id)
}

func (t *interceptedTenant) SetOrgSyncEnabled(ctx context.Context, old, new bool) error {
	if t.f.SetOrgSyncEnabled != nil {
		return t.f.SetOrgSyncEnabled(ctx, old, new, t.Tenant.SetOrgSyncEnabled)
	}
	return t.Tenant.SetOrgSyncEnabled(ctx, old, new)
}

func (t *interceptedTenant) OnPremAttributes(ctx context.Context, id string) (conversion.OnPremAttributes, error) {
	if t.f.OnPremAttributes != nil {
		return t.f.OnPremAttributes(ctx, id, t.Tenant.OnPremAttributes)
	}
	return t.Tenant.OnPremAttributes(ctx, id)
}

func (t *interceptedTenant) CloudManaged(ctx context.Context, kind conversion.ObjectKind, id string) (bool, error) {
	if t.f.CloudManaged != nil {
		return t.f.CloudManaged(ctx, kind, id, t.Tenant.CloudManaged)
	}
	return t.Tenant.CloudManaged(ctx, kind, id)
}

func (t *interceptedTenant) SetOnPremAttributes(ctx context.Context, id string, old, new conversion.OnPremAttributes) error {
	if t.f.SetOnPremAttributes != nil {
		return t.f.SetOnPremAttributes(ctx, id, old, new, t.Tenant.SetOnPremAttributes)
	}
	return t.Tenant.SetOnPremAttributes(ctx, id, old, new)
}

func (t *interceptedTenant) SetHardeningBypass(ctx context.Context, old, new bool) error {
	if t.f.SetHardeningBypass != nil {
		return t.f.SetHardeningBypass(ctx, old, new, t.Tenant.SetHardeningBypass)
	}
	return t.Tenant.SetHardeningBypass(ctx, old, new)
}

func (t *interceptedTenant) SetObjectCloudManaged(ctx context.Context, kind conversion.ObjectKind, id string, old, new bool) error {
	if t.f.SetObjectCloudManaged != nil {
		return t.f.SetObjectCloudManaged(ctx, kind, id, old, new, t.Tenant.SetObjectCloudManaged)
	}
	return t.Tenant.SetObjectCloudManaged(ctx, kind, id, old, new)
}
