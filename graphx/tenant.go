package graphx

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
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
// Errors are *TenantError values that unwrap to both the graphx *OpError (and its graphx
// sentinel) and the conversion sentinel (ErrNotFound, ErrConflict, ErrThrottled with
// RetryAfter, ErrForbidden, ErrReadOnly). ErrBadRequest and ErrUnavailable have no conversion
// counterpart: conversion treats them as "the write may have happened" and re-reads. Neither
// has a write answered 504 (gateway timeout): the write may have been made behind the gateway.
type Tenant struct {
	c *Client
}

var _ conversion.Tenant = (*Tenant)(nil)

// Tenant returns the conversion.Tenant port backed by c.
func (c *Client) Tenant() *Tenant { return &Tenant{c: c} }

// TenantError is an error of a Tenant method: the Graph error (Op) and, when it has one, the
// conversion sentinel it means (Kind). errors.Is matches both.
type TenantError struct {
	Op   *OpError
	Kind error // conversion.ErrNotFound, ErrConflict, ErrThrottled, ErrForbidden, ErrReadOnly or nil
	Msg  string
}

func (e *TenantError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return e.Op.Error()
}

// Unwrap returns the *OpError and the conversion sentinel.
func (e *TenantError) Unwrap() []error {
	var out []error
	if e.Op != nil {
		out = append(out, e.Op)
	}
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	return out
}

// RetryAfter returns the wait Graph asked for (conversion.RetryAfterError).
func (e *TenantError) RetryAfter() time.Duration {
	if e.Op == nil {
		return 0
	}
	return e.Op.RetryAfter
}

// portError converts a Client error into a *TenantError (nil stays nil).
func portError(err error) error {
	if err == nil {
		return nil
	}
	var oe *OpError
	if !errors.As(err, &oe) {
		return err
	}
	te := &TenantError{Op: oe}
	switch {
	case errors.Is(oe.Err, ErrNotFound):
		te.Kind = conversion.ErrNotFound
	case errors.Is(oe.Err, ErrConflict):
		te.Kind = conversion.ErrConflict
	case errors.Is(oe.Err, ErrThrottled):
		te.Kind = conversion.ErrThrottled
	case errors.Is(oe.Err, ErrForbidden):
		te.Kind = conversion.ErrForbidden
	case errors.Is(oe.Err, ErrReadOnly):
		te.Kind = conversion.ErrReadOnly
	}
	return te
}

// writeError is portError for the error of a write request. A gateway timeout (504) is
// ErrThrottled to the Client, which retries it, but the write may have been made behind the
// gateway: to conversion it is not "the write did not happen" (ErrThrottled), so it gets no
// conversion sentinel and conversion re-reads the target instead of sending the write again.
func writeError(err error) error {
	err = portError(err)
	if te, ok := err.(*TenantError); ok && te.Op != nil && te.Op.Status == http.StatusGatewayTimeout {
		te.Kind = nil
	}
	return err
}

func conflict(op, target, attr string, want, got any) error {
	return &TenantError{Op: &OpError{Op: op, Target: target, Err: ErrConflict, Message: fmt.Sprintf("%s is %v, expected %v", attr, got, want)},
		Kind: conversion.ErrConflict}
}

// Organization implements conversion.TenantReader: the organization (id, onPremisesSyncEnabled,
// verified domains), the sync feature flags (zero when not readable: ErrForbidden or
// ErrNotFound) and the role assignments. AsOf is left zero.
func (t *Tenant) Organization(ctx context.Context) (matching.Tenant, error) {
	var s snapshot.Snapshot
	var err error
	if s.Organization, err = t.c.Organization(ctx); err != nil {
		return matching.Tenant{}, portError(err)
	}
	if s.OnPremisesSynchronization, err = t.c.OnPremisesSynchronization(ctx); err != nil &&
		!errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) {
		return matching.Tenant{}, portError(err)
	}
	if s.RoleAssignments, err = collect(t.c.RoleAssignments(ctx)); err != nil {
		return matching.Tenant{}, portError(err)
	}
	return s.Tenant(), nil
}

// User implements conversion.TenantReader. Besides GET /users/{id} it reads
// onPremisesSyncBehavior (one more GET) unless the user is synced (onPremisesSyncEnabled true:
// isCloudManaged=true leaves it null, reference §4c), so that CloudManaged is exact.
func (t *Tenant) User(ctx context.Context, id string) (matching.Cloud, error) {
	u, err := t.c.User(ctx, id)
	if err != nil {
		return matching.Cloud{}, portError(err)
	}
	if u.OnPremisesSyncEnabled == nil || !*u.OnPremisesSyncEnabled {
		sb, err := t.c.SyncBehavior(ctx, KindUser, u.ID)
		switch {
		case err == nil:
			u.OnPremisesSyncBehavior = &sb
		case errors.Is(err, ErrNotFound):
		default:
			return matching.Cloud{}, portError(err)
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
		return matching.Cloud{}, portError(err)
	}
	if err := decode(body, &u); err != nil {
		return matching.Cloud{}, &OpError{Op: "DeletedUser", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: "decoding response: " + err.Error()}
	}
	stripOData(&u)
	return cloudOf(u, "deletedUsers")
}

// ListDeleted implements conversion.TenantReader (see Client.DeletedUsers).
func (t *Tenant) ListDeleted(ctx context.Context) iter.Seq2[matching.Cloud, error] {
	return func(yield func(matching.Cloud, error) bool) {
		for u, err := range t.c.DeletedUsers(ctx) {
			if err != nil {
				yield(matching.Cloud{}, portError(err))
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
			Message: where + ": " + err.Error()}
	}
	return recs[0], nil
}

// SetImmutableID implements conversion.TenantWriter: it re-reads the user, refuses with
// ErrConflict when onPremisesImmutableId is not old, then sets it (or clears it with JSON null
// when new is zero, reference §1.7). A synced user answers ErrReadOnly.
func (t *Tenant) SetImmutableID(ctx context.Context, id string, old, new anchor.SourceAnchor) error {
	u, err := t.c.User(ctx, id)
	if err != nil {
		return portError(err)
	}
	if u.OnPremisesImmutableID != old.String() {
		return conflict("SetImmutableID", id, "onPremisesImmutableId", quoted(old.String()), quoted(u.OnPremisesImmutableID))
	}
	if new.IsZero() {
		return writeError(t.c.ClearImmutableID(ctx, id))
	}
	return writeError(t.c.SetImmutableID(ctx, id, new.String()))
}

func quoted(s string) string {
	if s == "" {
		return "null"
	}
	return fmt.Sprintf("%q", s)
}

// SetCloudManaged implements conversion.TenantWriter: it re-reads onPremisesSyncBehavior,
// refuses with ErrConflict when isCloudManaged is not old, then writes it (reference §4c).
func (t *Tenant) SetCloudManaged(ctx context.Context, id string, old, new bool) error {
	cur := false
	sb, err := t.c.SyncBehavior(ctx, KindUser, id)
	switch {
	case err == nil:
		cur = sb.IsCloudManaged
	case errors.Is(err, ErrNotFound):
		// No behavior object: check the user exists (its absence is ErrNotFound).
		if _, err := t.c.User(ctx, id); err != nil {
			return portError(err)
		}
	default:
		return portError(err)
	}
	if cur != old {
		return conflict("SetCloudManaged", id, "isCloudManaged", old, cur)
	}
	return writeError(t.c.SetCloudManaged(ctx, KindUser, id, new))
}

// RestoreDeleted implements conversion.TenantWriter (see Client.RestoreDeletedUser). The
// Client resends a restore that timed out at the gateway (504); when the first attempt was made
// the resend answers 404. So a 404 is conversion.ErrNotFound ("nothing was restored") only when
// the user is not active either; when it is, the error has no conversion sentinel and conversion
// re-reads the user (GET /users/{id}) to record the restore.
func (t *Tenant) RestoreDeleted(ctx context.Context, id string) error {
	_, err := t.c.RestoreDeletedUser(ctx, id)
	err = writeError(err)
	if errors.Is(err, conversion.ErrNotFound) {
		if _, uerr := t.c.User(ctx, id); uerr == nil {
			te := err.(*TenantError)
			te.Kind = nil
			te.Msg = te.Op.Error() + "; the user is active: restored by an earlier attempt of this request, or by someone else"
		}
	}
	return err
}

// SetOrgSyncEnabled implements conversion.TenantWriter: it re-reads the organization, refuses
// with ErrConflict when onPremisesSyncEnabled is not old (null counts as false), then writes it
// (reference §4b: a re-enable while a disable is pending answers ErrConflict).
func (t *Tenant) SetOrgSyncEnabled(ctx context.Context, old, new bool) error {
	org, err := t.c.Organization(ctx)
	if err != nil {
		return portError(err)
	}
	cur := org.OnPremisesSyncEnabled != nil && *org.OnPremisesSyncEnabled
	if cur != old {
		return conflict("SetOrgSyncEnabled", org.ID, "onPremisesSyncEnabled", old, cur)
	}
	return writeError(t.c.SetTenantSyncEnabled(ctx, org.ID, new))
}
