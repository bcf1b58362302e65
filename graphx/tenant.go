package graphx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/internal/redact"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// Tenant is the Graph implementation of conversion.Tenant (the Entra port of a conversion).
// Create it with Client.Tenant.
//
// Graph has no conditional update of a user or of the organization (no If-Match on PATCH), so
// every write first re-reads the property it replaces and refuses with an error wrapping
// conversion.ErrConflict when it no longer holds the expected old value; only then does it
// write. Another writer that changes the property between that read and the write (a window of
// one round trip) is not detected. RestoreDeleted has no old value: Graph itself answers 404
// when the user is no longer in deleted items.
//
// Errors are *OpError values, as from the Client: errors.Is matches both the graphx sentinel and
// the conversion sentinel of the same meaning (ErrNotFound, ErrConflict, ErrThrottled,
// ErrForbidden, ErrReadOnly, ErrUnavailable; see OpError.Is), and RetryAfter reports the wait
// Graph named. ErrBadRequest has no conversion counterpart. A write answered with a 5xx, or sent
// without an answer (a timeout, a dropped connection), is ErrOutcomeUnknown, which conversion
// reads as ErrUnavailable, not ErrThrottled: the write may have been made behind the gateway, and
// conversion re-reads before any resend.
type Tenant struct {
	c *Client

	defs sync.Map // role definition id (lower case) -> roleDefinitionWire, read once
}

var _ conversion.Tenant = (*Tenant)(nil)

// Tenant returns the conversion.Tenant port backed by c.
func (c *Client) Tenant() *Tenant { return &Tenant{c: c} }

// conflict is the error of a write refused because the re-read property no longer holds want.
func conflict(op, target, attr string, want, got any) error {
	return &OpError{Op: op, Target: target, Err: ErrConflict, Message: fmt.Sprintf("%s is %v, expected %v", attr, got, want)}
}

// Organization implements conversion.TenantReader: the organization (id, onPremisesSyncEnabled,
// verified domains), the sync feature flags (zero when not readable: ErrForbidden or
// ErrNotFound) and the role assignments. AsOf is left zero.
func (t *Tenant) Organization(ctx context.Context) (matching.TenantState, error) {
	var s snapshot.Snapshot
	var err error
	if s.Organization, err = t.c.Organization(ctx); err != nil {
		return matching.TenantState{}, err
	}
	if s.OnPremisesSynchronization, err = t.c.OnPremisesSynchronization(ctx); err != nil &&
		!errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) {
		return matching.TenantState{}, err
	}
	if s.RoleAssignments, err = collect(t.c.RoleAssignments(ctx)); err != nil {
		return matching.TenantState{}, err
	}
	ten := s.Tenant()
	// The bypass flag, whether or not the snapshot's conversion maps it: conversion reads it to
	// know whether its revert is still to be made.
	if v := s.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled; v != nil {
		ten.Features.AllowObjectIdentifierUpdate = *v
		ten.Known |= matching.KnownBypassFlag
	}
	return ten, nil
}

// User implements conversion.TenantReader. Besides GET /users/{id} it reads
// onPremisesSyncBehavior (one more GET) unless the user is synced (onPremisesSyncEnabled true:
// isCloudManaged=true leaves it null, docs/entra-rules.md §4c), so that CloudManaged is exact.
func (t *Tenant) User(ctx context.Context, id string) (matching.Cloud, error) {
	u, err := t.c.User(ctx, id)
	if err != nil {
		return matching.Cloud{}, err
	}
	if u.OnPremisesSyncEnabled == nil || !*u.OnPremisesSyncEnabled {
		sb, err := t.c.SyncBehavior(ctx, KindUser, u.ID)
		switch {
		case err == nil:
			u.OnPremisesSyncBehavior = &sb
		case errors.Is(err, ErrNotFound):
		default:
			return matching.Cloud{}, err
		}
	}
	return cloudOf(u, "users")
}

// DeletedUser implements conversion.TenantReader.
// Request: GET /directory/deletedItems/{id}?$select=…. Permission: User.Read.All.
func (t *Tenant) DeletedUser(ctx context.Context, id string) (matching.Cloud, error) {
	c := t.c
	var u snapshot.User
	body, err := c.do(ctx, request{op: "DeletedUser", target: id, method: http.MethodGet,
		url: c.query(c.base, "/directory/deletedItems/"+url.PathEscape(id), "$select", deletedUserSelect)})
	if err != nil {
		return matching.Cloud{}, err
	}
	if err := decode(body, &u); err != nil {
		return matching.Cloud{}, &OpError{Op: "DeletedUser", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: c.scrub("decoding response: " + err.Error())}
	}
	stripOData(&u)
	return cloudOf(u, "deletedUsers")
}

// ListDeleted implements conversion.TenantReader (see Client.DeletedUsers).
func (t *Tenant) ListDeleted(ctx context.Context) iter.Seq2[matching.Cloud, error] {
	return func(yield func(matching.Cloud, error) bool) {
		for u, err := range t.c.DeletedUsers(ctx) {
			if err != nil {
				yield(matching.Cloud{}, err)
				return
			}
			c, err := cloudOf(u, "deletedUsers")
			if !yield(c, err) || err != nil {
				return
			}
		}
	}
}

// cloudOf converts a user read from Graph into a matching record (Deleted set when it has a
// deletedDateTime).
func cloudOf(u snapshot.User, where string) (matching.Cloud, error) {
	s := snapshot.Snapshot{}
	if u.DeletedDateTime != nil {
		s.DeletedUsers = []snapshot.User{u}
	} else {
		s.Users = []snapshot.User{u}
	}
	recs, err := s.Cloud()
	if err != nil {
		return matching.Cloud{}, &OpError{Op: "User", Target: u.ID, Status: http.StatusOK, Err: ErrUnavailable,
			Message: redact.Text(where + ": " + err.Error())}
	}
	return recs[0], nil
}

// SetImmutableID implements conversion.TenantWriter: it re-reads the user, refuses with
// ErrConflict when onPremisesImmutableId is not old, then sets it (or clears it with JSON null
// when new is zero, docs/entra-rules.md §1.7). A synced user answers ErrReadOnly.
func (t *Tenant) SetImmutableID(ctx context.Context, id string, old, new anchor.SourceAnchor) error {
	u, err := t.c.User(ctx, id)
	if err != nil {
		return err
	}
	if u.OnPremisesImmutableID != old.String() {
		return conflict("SetImmutableID", id, "onPremisesImmutableId", quoted(old.String()), quoted(u.OnPremisesImmutableID))
	}
	if new.IsZero() {
		return t.c.ClearImmutableID(ctx, id)
	}
	return t.c.SetImmutableID(ctx, id, new.String())
}

func quoted(s string) string {
	if s == "" {
		return "null"
	}
	return fmt.Sprintf("%q", s)
}

// SetCloudManaged implements conversion.TenantWriter: it re-reads onPremisesSyncBehavior,
// refuses with ErrConflict when isCloudManaged is not old, then writes it (docs/entra-rules.md §4c).
func (t *Tenant) SetCloudManaged(ctx context.Context, id string, old, new bool) error {
	cur := false
	sb, err := t.c.SyncBehavior(ctx, KindUser, id)
	switch {
	case err == nil:
		cur = sb.IsCloudManaged
	case errors.Is(err, ErrNotFound):
		// No behavior object: check the user exists (its absence is ErrNotFound).
		if _, err := t.c.User(ctx, id); err != nil {
			return err
		}
	default:
		return err
	}
	if cur != old {
		return conflict("SetCloudManaged", id, "isCloudManaged", old, cur)
	}
	return t.c.SetCloudManaged(ctx, KindUser, id, new)
}

// RestoreDeleted implements conversion.TenantWriter (see Client.RestoreDeletedUser). A restore
// answered 404 is ErrNotFound ("nothing was restored") only when the user is not active either;
// when it is (restored by an earlier attempt whose answer was lost, or by someone else), the
// error is ErrOutcomeUnknown and conversion re-reads the user (GET /users/{id}) to record the
// restore. A restore answered with a 5xx or with no answer is ErrOutcomeUnknown as well.
func (t *Tenant) RestoreDeleted(ctx context.Context, id string) error {
	_, err := t.c.RestoreDeletedUser(ctx, id)
	var oe *OpError
	if errors.As(err, &oe) && oe.Err == ErrNotFound {
		if _, uerr := t.c.User(ctx, id); uerr == nil {
			oe.Err = ErrOutcomeUnknown
			if oe.Message != "" {
				oe.Message += "; "
			}
			oe.Message += "the user is active: restored by an earlier attempt of this request, or by someone else"
		}
	}
	return err
}

// SetOrgSyncEnabled implements conversion.TenantWriter: it re-reads the organization, refuses
// with ErrConflict when onPremisesSyncEnabled is not old (null counts as false), then writes it
// (docs/entra-rules.md §4b: a re-enable while a disable is pending answers ErrConflict).
func (t *Tenant) SetOrgSyncEnabled(ctx context.Context, old, new bool) error {
	org, err := t.c.Organization(ctx)
	if err != nil {
		return err
	}
	cur := org.OnPremisesSyncEnabled != nil && *org.OnPremisesSyncEnabled
	if cur != old {
		return conflict("SetOrgSyncEnabled", org.ID, "onPremisesSyncEnabled", old, cur)
	}
	return t.c.SetTenantSyncEnabled(ctx, org.ID, new)
}

// Wire forms of the role reads of UserRoles.
type (
	roleWire struct {
		ID               string     `json:"id"`
		PrincipalID      string     `json:"principalId"`
		RoleDefinitionID string     `json:"roleDefinitionId"`
		DirectoryScopeID string     `json:"directoryScopeId"`
		StartDateTime    *time.Time `json:"startDateTime,omitempty"`
		EndDateTime      *time.Time `json:"endDateTime,omitempty"`
	}
	memberGroupWire struct {
		ID                 string `json:"id"`
		IsAssignableToRole *bool  `json:"isAssignableToRole"`
	}
	roleDefinitionWire struct {
		ID           string `json:"id"`
		DisplayName  string `json:"displayName"`
		IsBuiltIn    bool   `json:"isBuiltIn"`
		IsPrivileged *bool  `json:"isPrivileged"`
	}
)

const (
	userRoleSelect        = "id,principalId,roleDefinitionId,directoryScopeId"
	userEligibilitySelect = userRoleSelect + ",startDateTime,endDateTime"
)

// UserRoles implements conversion.TenantReader: how the user holds Entra directory roles now.
// Requests (v1.0 unless noted), each filtered on one principal:
//
//   - GET /roleManagement/directory/roleAssignments?$filter=principalId eq '{id}' (active
//     assignments; permission RoleManagement.Read.Directory);
//   - GET /roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '{id}'
//     (PIM eligibilities; permission RoleEligibilitySchedule.Read.Directory);
//   - GET /users/{id}/memberOf/microsoft.graph.group?$select=id,isAssignableToRole (permission
//     GroupMember.Read.All), then the two requests above for each role-assignable group the user
//     is a member of (role-assignable groups cannot contain groups, so direct membership is all);
//   - GET beta /roleManagement/directory/roleDefinitions/{roleId}?$select=…,isPrivileged once per
//     role (the privilege mark is read from beta; a role whose definition cannot be read is
//     reported with conversion.PrivilegeUnknown, which conversion counts as privileged).
//
// A failure of any of the first three is returned (the re-check must not pass on what it could
// not read); a user that is not found has no group memberships. Not seen: eligible (PIM for
// Groups) membership of a role-assignable group, eligibilities whose schedule has not started
// yet (they are schedules, not instances), and roles held through a group the user joins later.
func (t *Tenant) UserRoles(ctx context.Context, id string) ([]conversion.RoleHold, error) {
	holds, err := t.principalHolds(ctx, id, "")
	if err != nil {
		return nil, err
	}
	groups, err := collect(list[memberGroupWire](t.c, ctx, "UserRoles",
		t.c.query(t.c.base, "/users/"+url.PathEscape(id)+"/memberOf/microsoft.graph.group", "$select", "id,isAssignableToRole"), nil))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	for _, g := range groups {
		if g.IsAssignableToRole == nil || !*g.IsAssignableToRole {
			continue
		}
		gh, err := t.principalHolds(ctx, g.ID, g.ID)
		if err != nil {
			return nil, err
		}
		holds = append(holds, gh...)
	}
	for i := range holds {
		t.definition(ctx, &holds[i])
	}
	return holds, nil
}

// principalHolds reads the active assignments and eligibilities of one principal (a user, or the
// role-assignable group group).
func (t *Tenant) principalHolds(ctx context.Context, principal, group string) ([]conversion.RoleHold, error) {
	filter := "principalId eq " + odataString(principal)
	var out []conversion.RoleHold
	for _, q := range []struct {
		kind   conversion.HoldKind
		path   string
		sel    string
		opName string
	}{
		{conversion.HoldAssignment, "/roleManagement/directory/roleAssignments", userRoleSelect, "UserRoleAssignments"},
		{conversion.HoldEligibility, "/roleManagement/directory/roleEligibilityScheduleInstances", userEligibilitySelect, "UserRoleEligibilities"},
	} {
		rs, err := collect(list[roleWire](t.c, ctx, q.opName, t.c.query(t.c.base, q.path, "$filter", filter, "$select", q.sel), nil))
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.PrincipalID != "" && !strings.EqualFold(r.PrincipalID, principal) {
				continue // a server that ignored the filter
			}
			h := conversion.RoleHold{Kind: q.kind, ID: r.ID, RoleDefinitionID: r.RoleDefinitionID, Group: group}
			if r.StartDateTime != nil {
				h.Start = *r.StartDateTime
			}
			if r.EndDateTime != nil {
				h.End = *r.EndDateTime
			}
			out = append(out, h)
		}
	}
	return out, nil
}

// definition fills the role name and privilege mark of h from the role definition, read once per
// Tenant; when it cannot be read the privilege stays unknown.
func (t *Tenant) definition(ctx context.Context, h *conversion.RoleHold) {
	key := strings.ToLower(h.RoleDefinitionID)
	if key == "" {
		return
	}
	v, ok := t.defs.Load(key)
	if !ok {
		body, err := t.c.do(ctx, request{op: "RoleDefinition", target: h.RoleDefinitionID, method: http.MethodGet,
			url: t.c.query(t.c.beta, "/roleManagement/directory/roleDefinitions/"+url.PathEscape(h.RoleDefinitionID),
				"$select", "id,displayName,isBuiltIn,isPrivileged")})
		if err != nil {
			return
		}
		var d roleDefinitionWire
		if decode(body, &d) != nil {
			return
		}
		t.defs.Store(key, d)
		v = d
	}
	d := v.(roleDefinitionWire)
	h.RoleName = d.DisplayName
	if d.IsPrivileged != nil {
		h.Privilege = conversion.NotPrivileged
		if *d.IsPrivileged {
			h.Privilege = conversion.Privileged
		}
	}
}

// onPremWire is the beta form of a user's on-premises attributes.
type onPremWire struct {
	ID                           string  `json:"id"`
	OnPremisesDistinguishedName  *string `json:"onPremisesDistinguishedName"`
	OnPremisesDomainName         *string `json:"onPremisesDomainName"`
	OnPremisesImmutableID        *string `json:"onPremisesImmutableId"`
	OnPremisesObjectIdentifier   *string `json:"onPremisesObjectIdentifier"`
	OnPremisesSamAccountName     *string `json:"onPremisesSamAccountName"`
	OnPremisesSecurityIdentifier *string `json:"onPremisesSecurityIdentifier"`
	OnPremisesUserPrincipalName  *string `json:"onPremisesUserPrincipalName"`
}

var onPremSelect = "id," + strings.Join(conversion.OnPremAttributeNames, ",")

// OnPremAttributes implements conversion.TenantReader: the seven on-premises attributes of a
// user, read from beta because onPremisesObjectIdentifier is a beta property there.
// Request: GET https://graph.microsoft.com/beta/users/{id}?$select=id,onPremises…. Permission:
// User.Read.All.
func (t *Tenant) OnPremAttributes(ctx context.Context, id string) (conversion.OnPremAttributes, error) {
	c := t.c
	body, err := c.do(ctx, request{op: "OnPremAttributes", target: id, method: http.MethodGet,
		url: c.query(c.beta, "/users/"+url.PathEscape(id), "$select", onPremSelect)})
	if err != nil {
		return conversion.OnPremAttributes{}, err
	}
	var w onPremWire
	if err := decode(body, &w); err != nil {
		return conversion.OnPremAttributes{}, &OpError{Op: "OnPremAttributes", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: c.scrub("decoding response: " + err.Error())}
	}
	return conversion.OnPremAttributes{
		DistinguishedName:  deref(w.OnPremisesDistinguishedName),
		DomainName:         deref(w.OnPremisesDomainName),
		ImmutableID:        deref(w.OnPremisesImmutableID),
		ObjectIdentifier:   deref(w.OnPremisesObjectIdentifier),
		SamAccountName:     deref(w.OnPremisesSamAccountName),
		SecurityIdentifier: deref(w.OnPremisesSecurityIdentifier),
		UserPrincipalName:  deref(w.OnPremisesUserPrincipalName),
	}, nil
}

// OnPremAttributesWrite replaces on-premises attributes of a cloud-only user in one request: every
// attribute that differs between old and new is sent, null where new has none (docs/entra-rules.md
// §4d). Request: PATCH https://graph.microsoft.com/beta/users/{id} {"onPremises…": value|null, …}.
// Permission: User.ReadWrite.All with User Administrator or Hybrid Identity Administrator, and
// User-OnPremisesSyncBehavior.ReadWrite.All (with Global Administrator or Hybrid Identity
// Administrator) when onPremisesObjectIdentifier is among them. Graph refuses it on a synced user.
func OnPremAttributesWrite(userID string, old, new conversion.OnPremAttributes) Write {
	m := map[string]*string{}
	for _, n := range conversion.OnPremAttributeNames {
		o, v := old.Get(n), new.Get(n)
		if o == v {
			continue
		}
		if v == "" {
			m[n] = nil
		} else {
			m[n] = &v
		}
	}
	b, _ := json.Marshal(m)
	return Write{Op: "SetOnPremAttributes", Target: userID, method: http.MethodPatch, beta: true,
		path: "/users/" + url.PathEscape(userID), body: b}
}

// SetOnPremAttributes implements conversion.TenantWriter: it re-reads the attributes (see
// OnPremAttributes), refuses with ErrConflict when they are not old, then sends
// OnPremAttributesWrite. A new onPremisesObjectIdentifier value (anything but null) is refused
// with ErrReadOnly without a request: Graph documents clearing it only, and setting it may fail.
func (t *Tenant) SetOnPremAttributes(ctx context.Context, id string, old, new conversion.OnPremAttributes) error {
	if new.ObjectIdentifier != "" && new.ObjectIdentifier != old.ObjectIdentifier {
		return &OpError{Op: "SetOnPremAttributes", Target: id, Err: ErrReadOnly,
			Message: "onPremisesObjectIdentifier can only be cleared (set to null)"}
	}
	cur, err := t.OnPremAttributes(ctx, id)
	if err != nil {
		return err
	}
	if cur != old {
		return conflict("SetOnPremAttributes", id, "the on-premises attributes", old.Value(), cur.Value())
	}
	if cur == new {
		return nil
	}
	return t.c.Apply(ctx, OnPremAttributesWrite(id, old, new))
}

// SetHardeningBypass implements conversion.TenantWriter: it re-reads the sync features, refuses
// with ErrConflict when allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is not old, then
// writes it. Request: PATCH /directory/onPremisesSynchronization/{id}
// {"features": {"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": b}} (id as read).
// Permission: OnPremDirectorySynchronization.ReadWrite.All (Global Administrator when delegated).
func (t *Tenant) SetHardeningBypass(ctx context.Context, old, new bool) error {
	s, err := t.c.OnPremisesSynchronization(ctx)
	if err != nil {
		return err
	}
	cur := s.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled != nil && *s.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled
	if cur != old {
		return conflict("SetHardeningBypass", s.ID, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled", old, cur)
	}
	b, _ := json.Marshal(map[string]map[string]bool{"features": {"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": new}})
	return t.c.Apply(ctx, Write{Op: "SetHardeningBypass", Target: s.ID, method: http.MethodPatch,
		path: "/directory/onPremisesSynchronization/" + url.PathEscape(s.ID), body: b})
}

func graphKind(kind conversion.ObjectKind) (Kind, error) {
	switch kind {
	case conversion.KindGroup:
		return KindGroup, nil
	case conversion.KindContact:
		return KindContact, nil
	}
	return "", &OpError{Op: "CloudManaged", Err: ErrBadRequest, Message: "unknown object kind " + string(kind)}
}

// CloudManaged implements conversion.TenantReader for groups and contacts.
// Request: GET /groups/{id}/onPremisesSyncBehavior or /contacts/{id}/onPremisesSyncBehavior.
// Permission: Group-OnPremisesSyncBehavior.ReadWrite.All or Contacts-OnPremisesSyncBehavior.ReadWrite.All
// (the read permission of the same name for reading only).
func (t *Tenant) CloudManaged(ctx context.Context, kind conversion.ObjectKind, id string) (bool, error) {
	k, err := graphKind(kind)
	if err != nil {
		return false, err
	}
	sb, err := t.c.SyncBehavior(ctx, k, id)
	if err != nil {
		return false, err
	}
	return sb.IsCloudManaged, nil
}

// SetObjectCloudManaged implements conversion.TenantWriter for groups and contacts: it re-reads
// isCloudManaged, refuses with ErrConflict when it is not old, then writes it (see
// CloudManagedWrite). Permission: Group-OnPremisesSyncBehavior.ReadWrite.All or
// Contacts-OnPremisesSyncBehavior.ReadWrite.All, with the Hybrid Administrator role.
func (t *Tenant) SetObjectCloudManaged(ctx context.Context, kind conversion.ObjectKind, id string, old, new bool) error {
	cur, err := t.CloudManaged(ctx, kind, id)
	if err != nil {
		return err
	}
	if cur != old {
		return conflict("SetObjectCloudManaged", id, "isCloudManaged", old, cur)
	}
	k, _ := graphKind(kind)
	return t.c.SetCloudManaged(ctx, k, id, new)
}
