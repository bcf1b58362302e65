package conversiontest

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/matching"
)

// ThrottleError is a throttling error as adapters return them: it unwraps to
// conversion.ErrThrottled and its RetryAfter reports After as the wait the server named (none when
// After is zero).
type ThrottleError struct{ After time.Duration }

func (e *ThrottleError) Error() string                     { return fmt.Sprintf("throttled: retry after %s", e.After) }
func (e *ThrottleError) Unwrap() error                     { return conversion.ErrThrottled }
func (e *ThrottleError) RetryAfter() (time.Duration, bool) { return e.After, e.After > 0 }

// log is the write log shared by both fakes.
type log struct {
	mu     sync.Mutex
	writes []conversion.Write
}

// Writes returns the writes made so far, in order, in the form conversion.Result.Writes uses.
func (l *log) Writes() []conversion.Write {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.writes)
}

func (l *log) record(op, target string, old, nw conversion.Value) {
	l.writes = append(l.writes, conversion.Write{Op: op, Target: target, Old: old, New: nw})
}

func notFound(what string) error { return fmt.Errorf("%s: %w", what, conversion.ErrNotFound) }
func conflict(what string, want, got any) error {
	return fmt.Errorf("%s: expected %v, found %v: %w", what, want, got, conversion.ErrConflict)
}

// Directory is an in-memory conversion.Directory. It is safe for concurrent use.
//
// It refuses what Active Directory refuses that conversion relies on: a write whose old value no
// longer holds (ErrConflict; mail and userPrincipalName compare case-insensitively, as the
// directory's matching rule does, except for a write that changes nothing), a proxyAddresses
// set that is not exactly old, an object or a sAMAccountName already in use on CreateUser
// (ErrConflict), and a move or create into a container that does not exist (ErrNotFound). A
// container exists when it holds or held a user, is an ancestor of one, or was added with
// AddContainer.
type Directory struct {
	log
	funcs      DirectoryFuncs
	users      map[anchor.ObjectGUID]*matching.OnPrem
	containers map[string]bool // dn.Key of each known container
	next       uint32
}

var _ conversion.Directory = (*Directory)(nil)

// NewDirectory returns a directory holding users (copied).
func NewDirectory(users ...matching.OnPrem) *Directory {
	d := &Directory{users: make(map[anchor.ObjectGUID]*matching.OnPrem, len(users)), containers: map[string]bool{}}
	for _, u := range users {
		u.ProxyAddresses = slices.Clone(u.ProxyAddresses)
		d.users[u.ObjectGUID] = &u
		d.addAncestors(u.DN)
	}
	return d
}

// AddContainer makes the containers (OUs) at dns and their ancestors exist, as targets of Move
// and CreateUser.
func (d *Directory) AddContainer(dns ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range dns {
		if p, err := dn.Parse(c); err == nil {
			for ; p.Len() > 0; p = p.Parent() {
				d.containers[dn.Key(p.String())] = true
			}
		}
	}
}

// addAncestors records every ancestor of the object at text as a container. The caller holds mu
// or owns d.
func (d *Directory) addAncestors(text string) {
	p, err := dn.Parse(text)
	if err != nil {
		return
	}
	for p = p.Parent(); p.Len() > 0; p = p.Parent() {
		d.containers[dn.Key(p.String())] = true
	}
}

// hasContainer reports whether the container at text exists. The caller holds mu.
func (d *Directory) hasContainer(text string) bool {
	p, err := dn.Parse(text)
	return err == nil && d.containers[dn.Key(p.String())]
}

// Get returns a copy of the user with objectGUID g.
func (d *Directory) Get(g anchor.ObjectGUID) (matching.OnPrem, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	u, ok := d.users[g]
	if !ok {
		return matching.OnPrem{}, false
	}
	c := *u
	c.ProxyAddresses = slices.Clone(u.ProxyAddresses)
	return c, true
}

// All returns copies of every user, sorted by DN.
func (d *Directory) All() []matching.OnPrem {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]matching.OnPrem, 0, len(d.users))
	for _, u := range d.users {
		c := *u
		c.ProxyAddresses = slices.Clone(u.ProxyAddresses)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DN < out[j].DN })
	return out
}

// user is the fake's own User (conversion.DirectoryReader), the next of its hook.
func (d *Directory) user(_ context.Context, g anchor.ObjectGUID) (matching.OnPrem, error) {
	if u, ok := d.Get(g); ok {
		return u, nil
	}
	return matching.OnPrem{}, notFound("objectGUID " + g.String())
}

// userByDN is the fake's own UserByDN (conversion.DirectoryReader), the next of its hook (DNs compare case-insensitively).
func (d *Directory) userByDN(_ context.Context, text string) (matching.OnPrem, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range d.users {
		if dn.Equal(u.DN, text) {
			c := *u
			c.ProxyAddresses = slices.Clone(u.ProxyAddresses)
			return c, nil
		}
	}
	return matching.OnPrem{}, notFound("dn " + text)
}

// modify runs one write on the user g under the lock, with the fault hooks around it.
func (d *Directory) modify(ctx context.Context, op string, g anchor.ObjectGUID, old, nw conversion.Value, f func(u *matching.OnPrem) error) error {
	key := conversion.Target{Side: conversion.SideOnPrem, GUID: g}.Key()
	d.mu.Lock()
	u, ok := d.users[g]
	if !ok {
		d.mu.Unlock()
		return notFound("objectGUID " + g.String())
	}
	if err := f(u); err != nil {
		d.mu.Unlock()
		return err
	}
	d.record(op, key, old, nw)
	d.mu.Unlock()
	return nil
}

func guidValue(g anchor.ObjectGUID) conversion.Value {
	if g.IsZero() {
		return conversion.Null()
	}
	return conversion.Text(g.String())
}

// setConsistencyGUID is the fake's own SetConsistencyGUID (conversion.DirectoryWriter), the next of its hook.
func (d *Directory) setConsistencyGUID(ctx context.Context, g, old, nw anchor.ObjectGUID) error {
	return d.modify(ctx, "SetConsistencyGUID", g, guidValue(old), guidValue(nw), func(u *matching.OnPrem) error {
		if u.ConsistencyGUID != old {
			return conflict("mS-DS-ConsistencyGuid", old, u.ConsistencyGUID)
		}
		u.ConsistencyGUID = nw
		return nil
	})
}

// replaceProxyAddresses is the fake's own ReplaceProxyAddresses (conversion.DirectoryWriter), the next of its hook.
func (d *Directory) replaceProxyAddresses(ctx context.Context, g anchor.ObjectGUID, old, nw []string) error {
	return d.modify(ctx, "ReplaceProxyAddresses", g, conversion.List(old), conversion.List(nw), func(u *matching.OnPrem) error {
		if !conversion.List(u.ProxyAddresses).Equal(conversion.List(old)) {
			return conflict("proxyAddresses", old, u.ProxyAddresses)
		}
		u.ProxyAddresses = slices.Clone(nw)
		return nil
	})
}

// setMail is the fake's own SetMail (conversion.DirectoryWriter), the next of its hook.
func (d *Directory) setMail(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	return d.modify(ctx, "SetMail", g, conversion.TextOrNull(old), conversion.TextOrNull(nw), func(u *matching.OnPrem) error {
		if !holds(u.Mail, old, nw) {
			return conflict("mail", old, u.Mail)
		}
		u.Mail = nw
		return nil
	})
}

// holds reports whether a single-valued string attribute holding cur may be changed from old to
// nw. A change deletes old, which the directory matches case-insensitively; a write that changes
// nothing is checked by reading, exactly.
func holds(cur, old, nw string) bool {
	if old == nw || old == "" || cur == "" {
		return cur == old
	}
	return strings.EqualFold(cur, old)
}

// setUPN is the fake's own SetUPN (conversion.DirectoryWriter), the next of its hook.
func (d *Directory) setUPN(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	return d.modify(ctx, "SetUPN", g, conversion.TextOrNull(old), conversion.TextOrNull(nw), func(u *matching.OnPrem) error {
		if !holds(u.UserPrincipalName, old, nw) {
			return conflict("userPrincipalName", old, u.UserPrincipalName)
		}
		u.UserPrincipalName = nw
		return nil
	})
}

// move is the fake's own Move (conversion.DirectoryWriter), the next of its hook.
func (d *Directory) move(ctx context.Context, g anchor.ObjectGUID, oldParent, newParent string) error {
	return d.modify(ctx, "Move", g, conversion.Text(oldParent), conversion.Text(newParent), func(u *matching.OnPrem) error {
		parent := conversion.ParentDN(u.DN)
		if !dn.Equal(parent, oldParent) {
			return conflict("parent", oldParent, parent)
		}
		if !d.hasContainer(newParent) {
			return notFound("container " + newParent + " (conversiontest: a container exists when it holds a user or was added with AddContainer)")
		}
		u.DN = u.DN[:len(u.DN)-len(parent)] + newParent
		return nil
	})
}

// createUser is the fake's own CreateUser (conversion.DirectoryWriter), the next of its hook. New objectGUIDs are deterministic.
func (d *Directory) createUser(ctx context.Context, nu conversion.NewUser) (anchor.ObjectGUID, error) {
	text := nu.DN()
	key := conversion.Target{Side: conversion.SideOnPrem, DN: text}.Key()
	d.mu.Lock()
	for _, u := range d.users {
		if dn.Equal(u.DN, text) {
			d.mu.Unlock()
			return anchor.ObjectGUID{}, conflict("dn", "no object", text)
		}
		if nu.SAMAccountName != "" && strings.EqualFold(u.SAMAccountName, nu.SAMAccountName) {
			d.mu.Unlock()
			return anchor.ObjectGUID{}, conflict("sAMAccountName", "a name no other object has", nu.SAMAccountName)
		}
	}
	if !d.hasContainer(nu.ParentDN) {
		d.mu.Unlock()
		return anchor.ObjectGUID{}, notFound("container " + nu.ParentDN + " (conversiontest: a container exists when it holds a user or was added with AddContainer)")
	}
	d.next++
	var b [16]byte
	copy(b[:], "fake-created-obj")
	b[12], b[13], b[14], b[15] = byte(d.next>>24), byte(d.next>>16), byte(d.next>>8), byte(d.next)
	g := anchor.FromArray(b)
	d.users[g] = &matching.OnPrem{
		DN: text, Class: matching.ClassUser, ObjectGUID: g, ConsistencyGUID: nu.ConsistencyGUID,
		UserPrincipalName: nu.UPN, ProxyAddresses: slices.Clone(nu.ProxyAddresses), Mail: nu.Mail,
		MailNickname: nu.MailNickname, SAMAccountName: nu.SAMAccountName, Enabled: false,
		DisplayName: nu.DisplayName, GivenName: nu.GivenName, Surname: nu.Surname, Source: "conversiontest",
	}
	d.record("CreateUser", key, conversion.Null(), conversion.Text(text))
	d.mu.Unlock()
	return g, nil
}

// Tenant is an in-memory conversion.Tenant. It enforces what Graph enforces that conversion
// relies on: preconditions, onPremisesImmutableId read-only while the user is synced (docs/entra-rules.md
// §1.7), isCloudManaged=true leaving onPremisesSyncEnabled null (§4c), restore keeping the
// ImmutableID (§4a). It does not model sync itself: SoftDelete stands in for a sync cycle.
type Tenant struct {
	log
	funcs   TenantFuncs
	org     matching.TenantState
	users   map[string]*matching.Cloud
	deleted map[string]*matching.Cloud
	domain  map[string]string // user id -> onPremisesDomainName (not in matching records)
}

var _ conversion.Tenant = (*Tenant)(nil)

// NewTenant returns a tenant with org and users (copied; users with Deleted set go to deleted items).
func NewTenant(org matching.TenantState, users ...matching.Cloud) *Tenant {
	t := &Tenant{org: org, users: map[string]*matching.Cloud{}, deleted: map[string]*matching.Cloud{}, domain: map[string]string{}}
	for _, u := range users {
		u.ProxyAddresses = slices.Clone(u.ProxyAddresses)
		if u.Deleted {
			t.deleted[u.ID] = &u
		} else {
			t.users[u.ID] = &u
		}
	}
	return t
}

func cloneCloud(u *matching.Cloud) matching.Cloud {
	c := *u
	c.ProxyAddresses = slices.Clone(u.ProxyAddresses)
	return c
}

// Get returns a copy of the (not deleted) user id.
func (t *Tenant) Get(id string) (matching.Cloud, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return matching.Cloud{}, false
	}
	return cloneCloud(u), true
}

// SoftDelete moves user id to deleted items at time at, as a sync cycle does for a user that left
// the sync scope.
func (t *Tenant) SoftDelete(id string, at time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return notFound("user " + id)
	}
	delete(t.users, id)
	u.Deleted, u.DeletedAt = true, at
	f := false
	u.SyncEnabled = &f
	t.deleted[id] = u
	return nil
}

// organization is the fake's own Organization (conversion.TenantReader), the next of its hook.
func (t *Tenant) organization(context.Context) (matching.TenantState, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	o := t.org
	o.Domains = slices.Clone(o.Domains)
	o.Roles = slices.Clone(o.Roles)
	o.Eligibilities = slices.Clone(o.Eligibilities)
	o.RoleDefinitions = slices.Clone(o.RoleDefinitions)
	o.GroupMembers = slices.Clone(o.GroupMembers)
	return o, nil
}

// userRoles is the fake's own UserRoles (conversion.TenantReader), the next of its hook: the user's active assignments and eligibilities,
// direct and through the role-assignable groups of the tenant's GroupMembers, with the privilege
// marks of its RoleDefinitions (conversion.HoldsOf on the tenant as it is now). It sees everything
// the tenant holds; unlike Graph it does not check that the user exists.
func (t *Tenant) userRoles(_ context.Context, id string) ([]conversion.RoleHold, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	org := t.org
	return conversion.HoldsOf(&org, id), nil
}

// AssignRole adds an active role assignment, as an administrator would between plan and apply.
func (t *Tenant) AssignRole(r matching.RoleAssignment) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.org.Roles = append(slices.Clone(t.org.Roles), r)
}

// MakeEligible adds a PIM eligibility.
func (t *Tenant) MakeEligible(r matching.RoleAssignment) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.org.Eligibilities = append(slices.Clone(t.org.Eligibilities), r)
}

// SetObjectIdentifier sets a user's onPremisesObjectIdentifier ("" clears it), as an earlier
// sync would have stamped it.
func (t *Tenant) SetObjectIdentifier(id, v string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return notFound("user " + id)
	}
	u.OnPremisesObjectIdentifier = v
	return nil
}

// user is the fake's own User (conversion.TenantReader), the next of its hook.
func (t *Tenant) user(_ context.Context, id string) (matching.Cloud, error) {
	if u, ok := t.Get(id); ok {
		return u, nil
	}
	return matching.Cloud{}, notFound("user " + id)
}

// deletedUser is the fake's own DeletedUser (conversion.TenantReader), the next of its hook.
func (t *Tenant) deletedUser(_ context.Context, id string) (matching.Cloud, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if u, ok := t.deleted[id]; ok {
		return cloneCloud(u), nil
	}
	return matching.Cloud{}, notFound("deleted user " + id)
}

// listDeleted is the fake's own ListDeleted (conversion.TenantReader), the next of its hook, in id order.
func (t *Tenant) listDeleted(context.Context) iter.Seq2[matching.Cloud, error] {
	t.mu.Lock()
	list := make([]matching.Cloud, 0, len(t.deleted))
	for _, u := range t.deleted {
		list = append(list, cloneCloud(u))
	}
	t.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return func(yield func(matching.Cloud, error) bool) {
		for _, u := range list {
			if !yield(u, nil) {
				return
			}
		}
	}
}

func (t *Tenant) modify(ctx context.Context, op, id string, old, nw conversion.Value, f func(u *matching.Cloud) error) error {
	key := conversion.Target{Side: conversion.SideCloud, ID: id}.Key()
	t.mu.Lock()
	u, ok := t.users[id]
	if !ok {
		t.mu.Unlock()
		return notFound("user " + id)
	}
	if err := f(u); err != nil {
		t.mu.Unlock()
		return err
	}
	t.record(op, key, old, nw)
	t.mu.Unlock()
	return nil
}

// setImmutableID is the fake's own SetImmutableID (conversion.TenantWriter), the next of its hook.
func (t *Tenant) setImmutableID(ctx context.Context, id string, old, nw anchor.SourceAnchor) error {
	return t.modify(ctx, "SetImmutableID", id, conversion.TextOrNull(old.String()), conversion.TextOrNull(nw.String()), func(u *matching.Cloud) error {
		if u.ImmutableID != old {
			return conflict("onPremisesImmutableId", old, u.ImmutableID)
		}
		if u.Synced() {
			return fmt.Errorf("onPremisesImmutableId of synced user %s: %w", id, conversion.ErrReadOnly)
		}
		if !nw.IsZero() && nw != old {
			// Graph refuses a value another active user holds (Request_BadRequest, "Another
			// object with the same value for property onPremisesImmutableId already exists").
			for oid, o := range t.users {
				if oid != id && o.ImmutableID == nw {
					return conflict("onPremisesImmutableId (held by "+oid+")", "a value no other user holds", nw)
				}
			}
		}
		u.ImmutableID = nw
		return nil
	})
}

// setCloudManaged is the fake's own SetCloudManaged (conversion.TenantWriter), the next of its hook.
func (t *Tenant) setCloudManaged(ctx context.Context, id string, old, nw bool) error {
	return t.modify(ctx, "SetCloudManaged", id, conversion.Bool(old), conversion.Bool(nw), func(u *matching.Cloud) error {
		if u.CloudManaged != old {
			return conflict("isCloudManaged", old, u.CloudManaged)
		}
		u.CloudManaged = nw
		u.SyncEnabled = nil
		return nil
	})
}

// restoreDeleted is the fake's own RestoreDeleted (conversion.TenantWriter), the next of its hook.
func (t *Tenant) restoreDeleted(ctx context.Context, id string) error {
	key := conversion.Target{Side: conversion.SideCloud, ID: id}.Key()
	t.mu.Lock()
	u, ok := t.deleted[id]
	if !ok {
		t.mu.Unlock()
		return notFound("deleted user " + id)
	}
	delete(t.deleted, id)
	u.Deleted, u.DeletedAt = false, time.Time{}
	t.users[id] = u
	t.record("RestoreDeleted", key, conversion.Text(conversion.StateDeleted), conversion.Text(conversion.StateActive))
	t.mu.Unlock()
	return nil
}

// setOrgSyncEnabled is the fake's own SetOrgSyncEnabled (conversion.TenantWriter), the next of its hook. Turning sync off also sets every synced
// user's onPremisesSyncEnabled to false at once.
func (t *Tenant) setOrgSyncEnabled(ctx context.Context, old, nw bool) error {
	key := conversion.Target{Side: conversion.SideTenant, ID: t.org.ID}.Key()
	t.mu.Lock()
	cur := t.org.SyncEnabled != nil && *t.org.SyncEnabled
	if cur != old {
		t.mu.Unlock()
		return conflict("onPremisesSyncEnabled", old, cur)
	}
	t.org.SyncEnabled = &nw
	if !nw {
		// The disable completes at once here (Entra takes up to 72 hours): users stop being synced.
		for _, u := range t.users {
			if u.SyncEnabled != nil && *u.SyncEnabled {
				f := false
				u.SyncEnabled = &f
			}
		}
	}
	t.record("SetOrgSyncEnabled", key, conversion.Bool(old), conversion.Bool(nw))
	t.mu.Unlock()
	return nil
}

// Sync is a fake conversion.SyncCycle: TriggerDelta calls OnDelta (if set) and counts the calls.
type Sync struct {
	mu      sync.Mutex
	Calls   int
	OnDelta func(ctx context.Context) error
}

// TriggerDelta implements conversion.SyncCycle.
func (s *Sync) TriggerDelta(ctx context.Context) error {
	s.mu.Lock()
	s.Calls++
	f := s.OnDelta
	s.mu.Unlock()
	if f != nil {
		return f(ctx)
	}
	return nil
}
