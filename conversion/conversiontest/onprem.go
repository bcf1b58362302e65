package conversiontest

import (
	"context"
	"fmt"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// SetDomainName sets a user's onPremisesDomainName, which matching records do not carry.
func (t *Tenant) SetDomainName(id, v string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.users[id]; !ok {
		return notFound("user " + id)
	}
	t.domain[id] = v
	return nil
}

func (t *Tenant) onPremLocked(u *matching.Cloud) conversion.OnPremAttributes {
	return conversion.OnPremAttributes{
		DistinguishedName:  u.OnPremisesDistinguishedName,
		DomainName:         t.domain[u.ID],
		ImmutableID:        u.ImmutableID.String(),
		ObjectIdentifier:   u.OnPremisesObjectIdentifier,
		SamAccountName:     u.OnPremisesSamAccountName,
		SecurityIdentifier: u.OnPremisesSecurityIdentifier,
		UserPrincipalName:  u.OnPremisesUserPrincipalName,
	}
}

// onPremAttributes is the fake's own OnPremAttributes (conversion.TenantReader), the next of its hook.
func (t *Tenant) onPremAttributes(_ context.Context, id string) (conversion.OnPremAttributes, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return conversion.OnPremAttributes{}, notFound("user " + id)
	}
	return t.onPremLocked(u), nil
}

// setOnPremAttributes is the fake's own SetOnPremAttributes (conversion.TenantWriter), the next of its hook. As Graph beta does: refused on a synced
// user (ErrReadOnly), onPremisesObjectIdentifier accepts only null (ErrReadOnly), a security
// identifier must start with "S-1-5-", an ImmutableID must be a valid anchor that no other user has.
func (t *Tenant) setOnPremAttributes(ctx context.Context, id string, old, nw conversion.OnPremAttributes) error {
	return t.modify(ctx, "SetOnPremAttributes", id, old.Value(), nw.Value(), func(u *matching.Cloud) error {
		if cur := t.onPremLocked(u); cur != old {
			return conflict("on-premises attributes", old.Value(), cur.Value())
		}
		if u.Synced() {
			return fmt.Errorf("on-premises attributes of synced user %s: %w", id, conversion.ErrReadOnly)
		}
		if nw.ObjectIdentifier != "" && nw.ObjectIdentifier != old.ObjectIdentifier {
			return fmt.Errorf("onPremisesObjectIdentifier of %s: only null is accepted: %w", id, conversion.ErrReadOnly)
		}
		if nw.SecurityIdentifier != "" && !strings.HasPrefix(nw.SecurityIdentifier, "S-1-5-") {
			return fmt.Errorf("onPremisesSecurityIdentifier %q: must start with S-1-5-: %w", nw.SecurityIdentifier, conversion.ErrReadOnly)
		}
		var sa anchor.SourceAnchor
		if nw.ImmutableID != "" {
			var err error
			if sa, err = anchor.ParseSourceAnchor(nw.ImmutableID); err != nil {
				return fmt.Errorf("onPremisesImmutableId: %v: %w", err, conversion.ErrReadOnly)
			}
			for _, o := range t.users {
				if o != u && o.ImmutableID == sa {
					return conflict("onPremisesImmutableId held by "+o.ID, "none", sa)
				}
			}
		}
		u.OnPremisesDistinguishedName = nw.DistinguishedName
		u.ImmutableID = sa
		u.OnPremisesObjectIdentifier = nw.ObjectIdentifier
		u.OnPremisesSamAccountName = nw.SamAccountName
		u.OnPremisesSecurityIdentifier = nw.SecurityIdentifier
		u.OnPremisesUserPrincipalName = nw.UserPrincipalName
		if nw.DomainName == "" {
			delete(t.domain, id)
		} else {
			t.domain[id] = nw.DomainName
		}
		return nil
	})
}

// setHardeningBypass is the fake's own SetHardeningBypass (conversion.TenantWriter), the next of its hook: the tenant's
// allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled (Organization reports it, with
// matching.KnownBypassFlag set).
func (t *Tenant) setHardeningBypass(ctx context.Context, old, nw bool) error {
	key := conversion.Target{Side: conversion.SideTenant, ID: t.org.ID}.Key()
	t.mu.Lock()
	if t.org.Features.AllowObjectIdentifierUpdate != old {
		t.mu.Unlock()
		return conflict("allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled", old, !old)
	}
	t.org.Features.AllowObjectIdentifierUpdate = nw
	t.org.Known |= matching.KnownBypassFlag
	t.record("SetHardeningBypass", key, conversion.Bool(old), conversion.Bool(nw))
	t.mu.Unlock()
	return nil
}

// Match makes user id synced (onPremisesSyncEnabled true), as a sync cycle does when it
// hard-matches an AD object onto it.
func (t *Tenant) Match(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return notFound("user " + id)
	}
	on := true
	u.SyncEnabled, u.CloudManaged = &on, false
	return nil
}

func classOf(kind conversion.ObjectKind) matching.Class {
	switch kind {
	case conversion.KindGroup:
		return matching.ClassGroup
	case conversion.KindContact:
		return matching.ClassContact
	}
	return matching.ClassUnknown
}

// cloudManaged is the fake's own CloudManaged (conversion.TenantReader), the next of its hook, for the groups and contacts the tenant was
// made with (matching.Cloud records of class group or contact).
func (t *Tenant) cloudManaged(_ context.Context, kind conversion.ObjectKind, id string) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	o, ok := t.users[id]
	if !ok || o.Class != classOf(kind) {
		return false, notFound(string(kind) + " " + id)
	}
	return o.CloudManaged, nil
}

// setObjectCloudManaged is the fake's own SetObjectCloudManaged (conversion.TenantWriter), the next of its hook: true leaves onPremisesSyncEnabled
// null, as for users.
func (t *Tenant) setObjectCloudManaged(ctx context.Context, kind conversion.ObjectKind, id string, old, nw bool) error {
	return t.modify(ctx, "SetObjectCloudManaged", id, conversion.Bool(old), conversion.Bool(nw), func(u *matching.Cloud) error {
		if u.Class != classOf(kind) {
			return notFound(string(kind) + " " + id)
		}
		if u.CloudManaged != old {
			return conflict("isCloudManaged", old, u.CloudManaged)
		}
		u.CloudManaged = nw
		u.SyncEnabled = nil
		return nil
	})
}
