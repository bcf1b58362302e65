package conversion

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// hardeningFrom is when Entra started refusing hard matches onto privileged targets (assigned
// or eligible) and onto users that already carry onPremisesObjectIdentifier (docs/entra-rules.md
// §2.4). The older announcement of a June 2026 block for any role was superseded by it.
var hardeningFrom = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// hardeningInForce reports whether the July 2026 hard-match hardening applies at asOf; an
// unknown moment (zero) counts as "in force", the safe side.
func hardeningInForce(asOf time.Time) bool { return asOf.IsZero() || !asOf.Before(hardeningFrom) }

// HoldKind says whether a RoleHold is an active assignment or a PIM eligibility.
type HoldKind string

// The kinds of RoleHold.
const (
	HoldAssignment  HoldKind = "assignment"  // an active role assignment (unifiedRoleAssignment)
	HoldEligibility HoldKind = "eligibility" // a PIM eligibility (unifiedRoleEligibilityScheduleInstance)
)

// Privilege says whether a role is privileged as Entra marks it (unifiedRoleDefinition.isPrivileged).
type Privilege uint8

// Privilege values. Which roles count as "privileged" for the July 2026 block is not documented;
// this package takes Entra's own isPrivileged mark and treats a role whose mark it could not read
// as privileged (the safe side).
const (
	PrivilegeUnknown Privilege = iota
	Privileged
	NotPrivileged
)

// RoleHold is one way a user holds an Entra directory role: directly or through a
// role-assignable group, active or eligible.
type RoleHold struct {
	Kind HoldKind
	// ID is the id of the assignment or eligibility schedule instance: what to remove.
	ID               string
	RoleDefinitionID string
	// RoleName is the role's display name ("" when the definitions were not read).
	RoleName  string
	Privilege Privilege
	// Group is the role-assignable group through which the user holds the role ("" when direct).
	Group string
	// Start and End bound an eligibility; zero means open.
	Start, End time.Time
}

// privileged reports whether h counts as privileged (unknown counts).
func (h RoleHold) privileged() bool { return h.Privilege != NotPrivileged }

// String describes the hold for people: `eligibility "e1" for Global Administrator (62e9…) through group g1`.
func (h RoleHold) String() string {
	role := h.RoleDefinitionID
	if h.RoleName != "" {
		role = h.RoleName + " (" + h.RoleDefinitionID + ")"
	}
	s := fmt.Sprintf("%s %q of role %s", h.Kind, h.ID, role)
	switch h.Privilege {
	case Privileged:
		s += ", privileged"
	case PrivilegeUnknown:
		s += ", privilege not known (counted as privileged)"
	}
	if h.Group != "" {
		s += ", held through role-assignable group " + h.Group
	}
	return s
}

// HoldsOf returns how user id holds roles in t: active assignments and eligibilities, direct or
// through a role-assignable group listed in t.GroupMembers, with the privilege mark of
// t.RoleDefinitions. Eligibilities that ended before t.AsOf are left out. The result is sorted
// (assignments first, then by role and id).
func HoldsOf(t *matching.TenantState, id string) []RoleHold {
	if len(t.Roles) == 0 && len(t.Eligibilities) == 0 {
		return nil
	}
	groups := map[string]bool{}
	for _, m := range t.GroupMembers {
		if m.MemberID == id {
			groups[m.GroupID] = true
		}
	}
	defs := make(map[string]matching.RoleDefinition, len(t.RoleDefinitions))
	for _, d := range t.RoleDefinitions {
		defs[strings.ToLower(d.ID)] = d
	}
	var out []RoleHold
	add := func(kind HoldKind, r matching.RoleAssignment) {
		var group string
		switch {
		case r.PrincipalID == id:
		case groups[r.PrincipalID]:
			group = r.PrincipalID
		default:
			return
		}
		if kind == HoldEligibility && !r.End.IsZero() && !t.AsOf.IsZero() && r.End.Before(t.AsOf) {
			return
		}
		h := RoleHold{Kind: kind, ID: r.ID, RoleDefinitionID: r.RoleDefinitionID, Group: group, Start: r.Start, End: r.End}
		if d, ok := defs[strings.ToLower(r.RoleDefinitionID)]; ok {
			h.RoleName = d.DisplayName
			h.Privilege = NotPrivileged
			if d.IsPrivileged {
				h.Privilege = Privileged
			}
		}
		out = append(out, h)
	}
	for _, r := range t.Roles {
		add(HoldAssignment, r)
	}
	for _, r := range t.Eligibilities {
		add(HoldEligibility, r)
	}
	sortHolds(out)
	return out
}

func sortHolds(hs []RoleHold) {
	slices.SortFunc(hs, func(a, b RoleHold) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.RoleDefinitionID, b.RoleDefinitionID), cmp.Compare(a.ID, b.ID))
	})
}

// privilegedHolds returns the holds of hs that count as privileged.
func privilegedHolds(hs []RoleHold) []RoleHold {
	var out []RoleHold
	for _, h := range hs {
		if h.privileged() {
			out = append(out, h)
		}
	}
	return out
}

// removeFirst is the fix text naming each hold to remove.
func removeFirst(hs []RoleHold) string {
	var parts []string
	for _, h := range hs {
		verb := "remove"
		if h.Kind == HoldEligibility {
			verb = "remove the PIM"
		}
		where := "from the user"
		if h.Group != "" {
			where = "(remove the user from group " + h.Group + ", or the group's " + string(h.Kind) + ")"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", verb, h, where))
	}
	return strings.Join(parts, "; ")
}

// ObjectIdentifierFix is what to do about a cloud user that still carries
// onPremisesObjectIdentifier before it can be hard-matched to another AD object.
func ObjectIdentifierFix(userID string) string {
	return "clear onPremisesObjectIdentifier first: PATCH https://graph.microsoft.com/beta/users/" + userID +
		` with {"onPremisesObjectIdentifier": null} (application permission User-OnPremisesSyncBehavior.ReadWrite.All, ` +
		"signed in as Global Administrator or Hybrid Identity Administrator), or run Clear-ADSyncToolsOnPremisesAttribute -Id " + userID +
		" -onPremisesObjectIdentifier from ADSyncTools 2.5.0 or later (back the values up first with Get-ADSyncToolsOnPremisesAttribute); then plan again"
}

// Errors of the role and identifier re-check at apply and undo time.
var (
	// ErrRoleHolder: the change concerns a user who holds an Entra role now. This is this
	// package's own guard rail: Applier.AllowRoles (and Options.AllowRoles for planners) lifts it.
	ErrRoleHolder = errors.New("user holds an Entra role")
	// ErrHardMatchBlocked: Entra itself will refuse the match the change prepares: a hard match
	// onto a privileged or eligible target, or onto a target that already carries
	// onPremisesObjectIdentifier (since July 2026), or a soft match onto a role holder. No option
	// of this package lifts it.
	ErrHardMatchBlocked = errors.New("Entra blocks this match")
)

// RoleError is the error of a change refused by the role re-check: the user and how it holds
// roles now. It unwraps to ErrHardMatchBlocked when Entra itself will refuse the hard match the
// change prepares, and to ErrRoleHolder otherwise.
type RoleError struct {
	UserID string
	Holds  []RoleHold
	// Blocked is true when Entra itself refuses the match; Code is then Entra's error name
	// (InvalidHardMatch, ExistingAdminRoleConflict).
	Blocked bool
	Code    string
}

func (e *RoleError) Error() string {
	if e.Blocked {
		return fmt.Sprintf("Entra refuses to match cloud user %s, which holds or is eligible for a role that blocks it (%s); first %s",
			e.UserID, e.Code, removeFirst(e.Holds))
	}
	return fmt.Sprintf("cloud user %s holds Entra roles (%s); role holders are refused unless allowed", e.UserID, describeHolds(e.Holds))
}

// Unwrap returns ErrHardMatchBlocked or ErrRoleHolder.
func (e *RoleError) Unwrap() error {
	if e.Blocked {
		return ErrHardMatchBlocked
	}
	return ErrRoleHolder
}

// ObjectIdentifierError is the error of a change that prepares a hard match onto a cloud user that
// still carries onPremisesObjectIdentifier (Entra answers AttributeUpdateNotAllowed). It unwraps
// to ErrHardMatchBlocked.
type ObjectIdentifierError struct {
	UserID     string
	Identifier string
}

func (e *ObjectIdentifierError) Error() string {
	return fmt.Sprintf("Entra refuses to hard-match cloud user %s, which still carries onPremisesObjectIdentifier %s from an earlier sync (AttributeUpdateNotAllowed); %s",
		e.UserID, e.Identifier, ObjectIdentifierFix(e.UserID))
}

// Unwrap returns ErrHardMatchBlocked.
func (e *ObjectIdentifierError) Unwrap() error { return ErrHardMatchBlocked }

// preparesHardMatch reports whether c, once applied, lets the next sync cycle hard-match (take
// over) a cloud user: an ImmutableID stamped on it, an anchor written into AD, an AD user created
// for it, or a source-of-authority rollback (isCloudManaged back to false, which hands the user to
// AD through a hard match). The changes of a soft-match plan are checked as a soft match instead.
func preparesHardMatch(c Change) bool {
	switch c.Action {
	case SetImmutableID:
		return !c.After.IsNull()
	case SetConsistencyGUID:
		return !c.After.IsNull()
	case CreateUser:
		return true
	case SetCloudManaged:
		b, _ := c.After.Bool()
		return !b
	}
	return false
}

// guard is the role and identifier re-check of one run: each user is read once.
type guard struct {
	allowRoles bool
	method     string // the plan's method ("" for undo)
	bypass     bool   // the tenant's allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled
	// hard holds the subjects one of whose changes prepares a hard match: every change of such a
	// subject is checked as one (the addresses copied to AD first serve that match).
	hard map[string]bool

	mu    sync.Mutex
	cache map[string]*guardEntry
}

type guardEntry struct {
	done  chan struct{}
	holds []RoleHold
	objID string // onPremisesObjectIdentifier ("" when not set or not read)
	// immutableID is the user's onPremisesImmutableId when read with the identifier.
	immutableID string
	err         error
}

// entry reads user id's roles (and, with withUser, its onPremisesObjectIdentifier) once per run;
// concurrent callers for the same user wait for the first.
func (g *guard) entry(ctx context.Context, t TenantReader, id string, withUser bool) *guardEntry {
	key := id
	if withUser {
		key = "user\x00" + id
	}
	g.mu.Lock()
	if g.cache == nil {
		g.cache = map[string]*guardEntry{}
	}
	if e, ok := g.cache[key]; ok {
		g.mu.Unlock()
		<-e.done
		return e
	}
	e := &guardEntry{done: make(chan struct{})}
	g.cache[key] = e
	g.mu.Unlock()
	defer close(e.done)
	e.holds, e.err = t.UserRoles(ctx, id)
	if e.err == nil && withUser {
		u, err := t.User(ctx, id)
		switch {
		case err == nil:
			e.objID = u.OnPremisesObjectIdentifier
			e.immutableID = u.ImmutableID.String()
		case errors.Is(err, ErrNotFound):
		default:
			e.err = err
		}
	}
	sortHolds(e.holds)
	return e
}

// prepare notes the subjects of changes whose conversion is a hard match; subjectOf gives a
// change's subject.
func (g *guard) prepare(changes []Change, subjectOf func(Change) string) {
	g.hard = map[string]bool{}
	for _, c := range changes {
		if s := subjectOf(c); s != "" && preparesHardMatch(c) {
			g.hard[s] = true
		}
	}
}

// check refuses c when the user it concerns (subject, or the cloud target) holds roles now and
// roles are not allowed, or when c prepares a match Entra will block whatever this package allows:
// since July 2026 a hard match onto a user that is assigned or eligible for a privileged role, or
// that carries onPremisesObjectIdentifier (unless the tenant's bypass flag is on); a soft match onto
// a user holding an active role. Eligibility alone and soft match is not documented: it is refused
// as a role holder (the safe side).
func (r *runner) check(ctx context.Context, c Change, subject string) error {
	var ids []string
	if subject != "" {
		ids = append(ids, subject)
	}
	if c.Target.Side == SideCloud && c.Target.ID != "" && c.Target.ID != subject {
		ids = append(ids, c.Target.ID)
	}
	soft := r.g.method == MethodSoftMatch
	hard := !soft && (preparesHardMatch(c) || r.g.hard[subject])
	for _, id := range ids {
		e := r.g.entry(ctx, r.a.Tenant, id, hard)
		if e.err != nil {
			return fmt.Errorf("re-checking the roles of cloud user %s: %w", id, e.err)
		}
		if hard && hardeningInForce(r.a.now()) {
			if p := privilegedHolds(e.holds); len(p) > 0 {
				return &RoleError{UserID: id, Holds: p, Blocked: true, Code: "InvalidHardMatch"}
			}
			if e.objID != "" && !r.g.bypass && !sameADObject(e.objID, changeADObjects(c, e.immutableID)...) {
				return &ObjectIdentifierError{UserID: id, Identifier: e.objID}
			}
		}
		if soft {
			var active []RoleHold
			for _, h := range e.holds {
				if h.Kind == HoldAssignment {
					active = append(active, h)
				}
			}
			if len(active) > 0 {
				return &RoleError{UserID: id, Holds: active, Blocked: true, Code: "ExistingAdminRoleConflict"}
			}
		}
		if len(e.holds) > 0 && !r.g.allowRoles {
			return &RoleError{UserID: id, Holds: e.holds}
		}
	}
	return nil
}

// sameADObject reports whether the onPremisesObjectIdentifier id names one of the AD objects.
func sameADObject(id string, ads ...anchor.ObjectGUID) bool {
	g, err := anchor.ParseGUID(id)
	if err != nil {
		return false
	}
	for _, a := range ads {
		if !a.IsZero() && a == g {
			return true
		}
	}
	return false
}

// changeADObjects returns the AD objects a hard match prepared by c can join the cloud user to:
// the AD object c writes, the object whose GUID anchor c stamps, or (a rollback) the object of
// the user's current ImmutableID.
func changeADObjects(c Change, current string) []anchor.ObjectGUID {
	var out []anchor.ObjectGUID
	if c.Target.Side == SideOnPrem {
		out = append(out, c.Target.GUID)
	}
	for _, s := range []string{stampedImmutableID([]Change{c}), current} {
		if g, err := anchor.ParseImmutableID(s); err == nil {
			out = append(out, g)
		}
	}
	return out
}
