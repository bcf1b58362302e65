package conversiontest

import (
	"context"
	"iter"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// WriteHook is one hook for every write of a fake, in the Funcs shape: it gets the write's ctx,
// a description of the request (op, the port method's name, e.g. "SetCloudManaged"; target, the
// conversion.Target key of the object, e.g. "cloud:<id>") and next, the fake's own write. It may
// return an error without calling next (the write is not made), call next and return an error
// anyway (the write was made, its answer lost), or wait first. EveryWrite turns it into Funcs.
type WriteHook func(ctx context.Context, op, target string, next func(context.Context) error) error

// Before returns the WriteHook that calls f first and makes the write only when f returns nil
// (a refused write: throttling, a missing permission).
func Before(f func(ctx context.Context, op, target string) error) WriteHook {
	return func(ctx context.Context, op, target string, next func(context.Context) error) error {
		if err := f(ctx, op, target); err != nil {
			return err
		}
		return next(ctx)
	}
}

// After returns the WriteHook that makes the write and then, when it succeeded, returns f's
// error: the write happened and its answer was lost (a dropped connection, a gateway timeout, a
// crash between the write and its outcome).
func After(f func(ctx context.Context, op, target string) error) WriteHook {
	return func(ctx context.Context, op, target string, next func(context.Context) error) error {
		if err := next(ctx); err != nil {
			return err
		}
		return f(ctx, op, target)
	}
}

// SetFuncs replaces the directory's hooks (nil fields: the directory's own behaviour). Hooks run
// without the directory's lock held, so they may call it.
func (d *Directory) SetFuncs(f DirectoryFuncs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.funcs = f
}

func (d *Directory) hooks() DirectoryFuncs {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.funcs
}

// EveryWrite returns DirectoryFuncs that run h around each write of a Directory.
func (d *Directory) EveryWrite(h WriteHook) DirectoryFuncs {
	onprem := func(g anchor.ObjectGUID) string {
		return conversion.Target{Side: conversion.SideOnPrem, GUID: g}.Key()
	}
	return DirectoryFuncs{
		SetConsistencyGUID: func(ctx context.Context, g, old, nw anchor.ObjectGUID, next func(context.Context, anchor.ObjectGUID, anchor.ObjectGUID, anchor.ObjectGUID) error) error {
			return h(ctx, "SetConsistencyGUID", onprem(g), func(ctx context.Context) error { return next(ctx, g, old, nw) })
		},
		ReplaceProxyAddresses: func(ctx context.Context, g anchor.ObjectGUID, old, nw []string, next func(context.Context, anchor.ObjectGUID, []string, []string) error) error {
			return h(ctx, "ReplaceProxyAddresses", onprem(g), func(ctx context.Context) error { return next(ctx, g, old, nw) })
		},
		SetMail: func(ctx context.Context, g anchor.ObjectGUID, old, nw string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
			return h(ctx, "SetMail", onprem(g), func(ctx context.Context) error { return next(ctx, g, old, nw) })
		},
		SetUPN: func(ctx context.Context, g anchor.ObjectGUID, old, nw string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
			return h(ctx, "SetUPN", onprem(g), func(ctx context.Context) error { return next(ctx, g, old, nw) })
		},
		Move: func(ctx context.Context, g anchor.ObjectGUID, oldParent, newParent string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
			return h(ctx, "Move", onprem(g), func(ctx context.Context) error { return next(ctx, g, oldParent, newParent) })
		},
		CreateUser: func(ctx context.Context, nu conversion.NewUser, next func(context.Context, conversion.NewUser) (anchor.ObjectGUID, error)) (anchor.ObjectGUID, error) {
			var g anchor.ObjectGUID
			err := h(ctx, "CreateUser", conversion.Target{Side: conversion.SideOnPrem, DN: nu.DN()}.Key(), func(ctx context.Context) error {
				var err error
				g, err = next(ctx, nu)
				return err
			})
			return g, err
		},
	}
}

// User implements conversion.DirectoryReader (Funcs.User runs around it).
func (d *Directory) User(ctx context.Context, g anchor.ObjectGUID) (matching.OnPrem, error) {
	if h := d.hooks().User; h != nil {
		return h(ctx, g, d.user)
	}
	return d.user(ctx, g)
}

// UserByDN implements conversion.DirectoryReader (Funcs.UserByDN runs around it).
func (d *Directory) UserByDN(ctx context.Context, dn string) (matching.OnPrem, error) {
	if h := d.hooks().UserByDN; h != nil {
		return h(ctx, dn, d.userByDN)
	}
	return d.userByDN(ctx, dn)
}

// SetConsistencyGUID implements conversion.DirectoryWriter (Funcs.SetConsistencyGUID runs around it).
func (d *Directory) SetConsistencyGUID(ctx context.Context, g, old, nw anchor.ObjectGUID) error {
	if h := d.hooks().SetConsistencyGUID; h != nil {
		return h(ctx, g, old, nw, d.setConsistencyGUID)
	}
	return d.setConsistencyGUID(ctx, g, old, nw)
}

// ReplaceProxyAddresses implements conversion.DirectoryWriter (Funcs.ReplaceProxyAddresses runs around it).
func (d *Directory) ReplaceProxyAddresses(ctx context.Context, g anchor.ObjectGUID, old, nw []string) error {
	if h := d.hooks().ReplaceProxyAddresses; h != nil {
		return h(ctx, g, old, nw, d.replaceProxyAddresses)
	}
	return d.replaceProxyAddresses(ctx, g, old, nw)
}

// SetMail implements conversion.DirectoryWriter (Funcs.SetMail runs around it).
func (d *Directory) SetMail(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	if h := d.hooks().SetMail; h != nil {
		return h(ctx, g, old, nw, d.setMail)
	}
	return d.setMail(ctx, g, old, nw)
}

// SetUPN implements conversion.DirectoryWriter (Funcs.SetUPN runs around it).
func (d *Directory) SetUPN(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	if h := d.hooks().SetUPN; h != nil {
		return h(ctx, g, old, nw, d.setUPN)
	}
	return d.setUPN(ctx, g, old, nw)
}

// Move implements conversion.DirectoryWriter (Funcs.Move runs around it).
func (d *Directory) Move(ctx context.Context, g anchor.ObjectGUID, oldParent, newParent string) error {
	if h := d.hooks().Move; h != nil {
		return h(ctx, g, oldParent, newParent, d.move)
	}
	return d.move(ctx, g, oldParent, newParent)
}

// CreateUser implements conversion.DirectoryWriter (Funcs.CreateUser runs around it). New
// objectGUIDs are deterministic.
func (d *Directory) CreateUser(ctx context.Context, nu conversion.NewUser) (anchor.ObjectGUID, error) {
	if h := d.hooks().CreateUser; h != nil {
		return h(ctx, nu, d.createUser)
	}
	return d.createUser(ctx, nu)
}

// SetFuncs replaces the tenant's hooks (nil fields: the tenant's own behaviour). Hooks run
// without the tenant's lock held, so they may call it.
func (t *Tenant) SetFuncs(f TenantFuncs) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.funcs = f
}

func (t *Tenant) hooks() TenantFuncs {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.funcs
}

// EveryWrite returns TenantFuncs that run h around each write of a Tenant.
func (t *Tenant) EveryWrite(h WriteHook) TenantFuncs {
	cloud := func(id string) string { return conversion.Target{Side: conversion.SideCloud, ID: id}.Key() }
	tenant := func() string {
		t.mu.Lock()
		defer t.mu.Unlock()
		return conversion.Target{Side: conversion.SideTenant, ID: t.org.ID}.Key()
	}
	return TenantFuncs{
		SetImmutableID: func(ctx context.Context, id string, old, nw anchor.SourceAnchor, next func(context.Context, string, anchor.SourceAnchor, anchor.SourceAnchor) error) error {
			return h(ctx, "SetImmutableID", cloud(id), func(ctx context.Context) error { return next(ctx, id, old, nw) })
		},
		SetCloudManaged: func(ctx context.Context, id string, old, nw bool, next func(context.Context, string, bool, bool) error) error {
			return h(ctx, "SetCloudManaged", cloud(id), func(ctx context.Context) error { return next(ctx, id, old, nw) })
		},
		RestoreDeleted: func(ctx context.Context, id string, next func(context.Context, string) error) error {
			return h(ctx, "RestoreDeleted", cloud(id), func(ctx context.Context) error { return next(ctx, id) })
		},
		SetOrgSyncEnabled: func(ctx context.Context, old, nw bool, next func(context.Context, bool, bool) error) error {
			return h(ctx, "SetOrgSyncEnabled", tenant(), func(ctx context.Context) error { return next(ctx, old, nw) })
		},
		SetOnPremAttributes: func(ctx context.Context, id string, old, nw conversion.OnPremAttributes, next func(context.Context, string, conversion.OnPremAttributes, conversion.OnPremAttributes) error) error {
			return h(ctx, "SetOnPremAttributes", cloud(id), func(ctx context.Context) error { return next(ctx, id, old, nw) })
		},
		SetHardeningBypass: func(ctx context.Context, old, nw bool, next func(context.Context, bool, bool) error) error {
			return h(ctx, "SetHardeningBypass", tenant(), func(ctx context.Context) error { return next(ctx, old, nw) })
		},
		SetObjectCloudManaged: func(ctx context.Context, kind conversion.ObjectKind, id string, old, nw bool, next func(context.Context, conversion.ObjectKind, string, bool, bool) error) error {
			return h(ctx, "SetObjectCloudManaged", cloud(id), func(ctx context.Context) error { return next(ctx, kind, id, old, nw) })
		},
	}
}

// Organization implements conversion.TenantReader (Funcs.Organization runs around it).
func (t *Tenant) Organization(ctx context.Context) (matching.TenantState, error) {
	if h := t.hooks().Organization; h != nil {
		return h(ctx, t.organization)
	}
	return t.organization(ctx)
}

// User implements conversion.TenantReader (Funcs.User runs around it).
func (t *Tenant) User(ctx context.Context, id string) (matching.Cloud, error) {
	if h := t.hooks().User; h != nil {
		return h(ctx, id, t.user)
	}
	return t.user(ctx, id)
}

// DeletedUser implements conversion.TenantReader (Funcs.DeletedUser runs around it).
func (t *Tenant) DeletedUser(ctx context.Context, id string) (matching.Cloud, error) {
	if h := t.hooks().DeletedUser; h != nil {
		return h(ctx, id, t.deletedUser)
	}
	return t.deletedUser(ctx, id)
}

// ListDeleted implements conversion.TenantReader, in id order (Funcs.ListDeleted runs around it).
func (t *Tenant) ListDeleted(ctx context.Context) iter.Seq2[matching.Cloud, error] {
	if h := t.hooks().ListDeleted; h != nil {
		return h(ctx, t.listDeleted)
	}
	return t.listDeleted(ctx)
}

// UserRoles implements conversion.TenantReader (Funcs.UserRoles runs around it): the user's
// active assignments and eligibilities, direct and through the role-assignable groups of the
// tenant's GroupMembers, with the privilege marks of its RoleDefinitions (conversion.HoldsOf on
// the tenant as it is now). It sees everything the tenant holds; unlike Graph it does not check
// that the user exists.
func (t *Tenant) UserRoles(ctx context.Context, id string) ([]conversion.RoleHold, error) {
	if h := t.hooks().UserRoles; h != nil {
		return h(ctx, id, t.userRoles)
	}
	return t.userRoles(ctx, id)
}

// OnPremAttributes implements conversion.TenantReader (Funcs.OnPremAttributes runs around it).
func (t *Tenant) OnPremAttributes(ctx context.Context, id string) (conversion.OnPremAttributes, error) {
	if h := t.hooks().OnPremAttributes; h != nil {
		return h(ctx, id, t.onPremAttributes)
	}
	return t.onPremAttributes(ctx, id)
}

// CloudManaged implements conversion.TenantReader for the groups and contacts the tenant was
// made with (Funcs.CloudManaged runs around it).
func (t *Tenant) CloudManaged(ctx context.Context, kind conversion.ObjectKind, id string) (bool, error) {
	if h := t.hooks().CloudManaged; h != nil {
		return h(ctx, kind, id, t.cloudManaged)
	}
	return t.cloudManaged(ctx, kind, id)
}

// SetImmutableID implements conversion.TenantWriter (Funcs.SetImmutableID runs around it).
func (t *Tenant) SetImmutableID(ctx context.Context, id string, old, nw anchor.SourceAnchor) error {
	if h := t.hooks().SetImmutableID; h != nil {
		return h(ctx, id, old, nw, t.setImmutableID)
	}
	return t.setImmutableID(ctx, id, old, nw)
}

// SetCloudManaged implements conversion.TenantWriter (Funcs.SetCloudManaged runs around it).
func (t *Tenant) SetCloudManaged(ctx context.Context, id string, old, nw bool) error {
	if h := t.hooks().SetCloudManaged; h != nil {
		return h(ctx, id, old, nw, t.setCloudManaged)
	}
	return t.setCloudManaged(ctx, id, old, nw)
}

// RestoreDeleted implements conversion.TenantWriter (Funcs.RestoreDeleted runs around it).
func (t *Tenant) RestoreDeleted(ctx context.Context, id string) error {
	if h := t.hooks().RestoreDeleted; h != nil {
		return h(ctx, id, t.restoreDeleted)
	}
	return t.restoreDeleted(ctx, id)
}

// SetOrgSyncEnabled implements conversion.TenantWriter (Funcs.SetOrgSyncEnabled runs around it).
// Turning sync off also sets every synced user's onPremisesSyncEnabled to false at once.
func (t *Tenant) SetOrgSyncEnabled(ctx context.Context, old, nw bool) error {
	if h := t.hooks().SetOrgSyncEnabled; h != nil {
		return h(ctx, old, nw, t.setOrgSyncEnabled)
	}
	return t.setOrgSyncEnabled(ctx, old, nw)
}

// SetOnPremAttributes implements conversion.TenantWriter as Graph beta does (Funcs.SetOnPremAttributes
// runs around it): refused on a synced user (ErrReadOnly), onPremisesObjectIdentifier accepts only
// null (ErrReadOnly), a security identifier must start with "S-1-5-", an ImmutableID must be a
// valid anchor that no other user has (ErrConflict otherwise).
func (t *Tenant) SetOnPremAttributes(ctx context.Context, id string, old, nw conversion.OnPremAttributes) error {
	if h := t.hooks().SetOnPremAttributes; h != nil {
		return h(ctx, id, old, nw, t.setOnPremAttributes)
	}
	return t.setOnPremAttributes(ctx, id, old, nw)
}

// SetHardeningBypass implements conversion.TenantWriter: the tenant's
// allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled (Funcs.SetHardeningBypass runs around it).
func (t *Tenant) SetHardeningBypass(ctx context.Context, old, nw bool) error {
	if h := t.hooks().SetHardeningBypass; h != nil {
		return h(ctx, old, nw, t.setHardeningBypass)
	}
	return t.setHardeningBypass(ctx, old, nw)
}

// SetObjectCloudManaged implements conversion.TenantWriter for groups and contacts
// (Funcs.SetObjectCloudManaged runs around it).
func (t *Tenant) SetObjectCloudManaged(ctx context.Context, kind conversion.ObjectKind, id string, old, nw bool) error {
	if h := t.hooks().SetObjectCloudManaged; h != nil {
		return h(ctx, kind, id, old, nw, t.setObjectCloudManaged)
	}
	return t.setObjectCloudManaged(ctx, kind, id, old, nw)
}
