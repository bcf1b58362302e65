package matching

import (
	"strings"
	"time"

	"github.com/hybridid/hybridid/anchor"
)

// hardenFrom is when Entra's hard-match security protections took effect: a hard match onto a
// cloud user that already has onPremisesObjectIdentifier set, or that is assigned or eligible for
// a privileged Microsoft Entra role, is refused (docs/engine.md, "Hard-match protections").
var hardenFrom = time.Date(2026, time.July, 1, 0, 0, 0, 0, time.UTC)

// roleIndex answers "which roles does this user hold" for the hard-match protections and the
// soft-match admin block: active assignments and PIM eligibilities, direct or through a
// role-assignable group, and which role definitions are privileged.
type roleIndex struct {
	t        *TenantState
	active   chains // principal id -> indexes in t.Roles
	eligible chains // principal id -> indexes in t.Eligibilities
	groupsOf map[string][]string
	defs     map[string]int32  // role definition id -> index in t.RoleDefinitions
	names    map[string]string // role definition id -> name for reasons
	asOf     bool              // t.AsOf is set
}

// chains maps a principal id to the indexes of its assignments: head holds the first index + 1,
// next[i] the index after i + 1 (one map and one slice, however many principals).
type chains struct {
	head map[string]int32
	next []int32
}

func newChains(n int, principal func(i int) string) chains {
	if n == 0 {
		return chains{}
	}
	c := chains{head: make(map[string]int32, n), next: make([]int32, n)}
	for i := n - 1; i >= 0; i-- { // backwards, so that each chain is in input order
		p := principal(i)
		c.next[i] = c.head[p]
		c.head[p] = int32(i + 1)
	}
	return c
}

// each calls f with the indexes of p's assignments, in input order, until f returns false.
func (c chains) each(p string, f func(i int32) bool) bool {
	for i := c.head[p]; i != 0; i = c.next[i-1] {
		if !f(i - 1) {
			return false
		}
	}
	return true
}

func newRoleIndex(t *TenantState) *roleIndex {
	x := &roleIndex{t: t, asOf: !t.AsOf.IsZero()}
	x.active = newChains(len(t.Roles), func(i int) string { return t.Roles[i].PrincipalID })
	x.eligible = newChains(len(t.Eligibilities), func(i int) string { return t.Eligibilities[i].PrincipalID })
	if len(t.GroupMembers) > 0 {
		x.groupsOf = make(map[string][]string, len(t.GroupMembers))
		for _, m := range t.GroupMembers {
			x.groupsOf[m.MemberID] = append(x.groupsOf[m.MemberID], m.GroupID)
		}
	}
	if len(t.RoleDefinitions) > 0 {
		x.defs = make(map[string]int32, len(t.RoleDefinitions))
		for i := range t.RoleDefinitions {
			x.defs[t.RoleDefinitions[i].ID] = int32(i)
		}
	}
	// The names reasons use, built once: a few distinct roles, many holders.
	x.names = map[string]string{}
	name := func(def string) {
		if _, ok := x.names[def]; ok {
			return
		}
		if i, ok := x.defs[def]; ok && t.RoleDefinitions[i].DisplayName != "" {
			x.names[def] = t.RoleDefinitions[i].DisplayName
		} else {
			x.names[def] = "role " + def
		}
	}
	for i := range t.Roles {
		name(t.Roles[i].RoleDefinitionID)
	}
	for i := range t.Eligibilities {
		name(t.Eligibilities[i].RoleDefinitionID)
	}
	return x
}

// hold is one role a user holds.
type hold struct {
	a        *RoleAssignment
	eligible bool   // a PIM eligibility, not an active assignment
	group    string // the role-assignable group it is held through, or ""
}

// holds calls f for every role user id holds at AsOf (eligibilities outside their window are
// left out; without AsOf every eligibility counts), direct ones first. f returns false to stop.
func (x *roleIndex) holds(id string, f func(h hold) bool) {
	principals := func(g func(p, via string) bool) {
		if !g(id, "") {
			return
		}
		for _, grp := range x.groupsOf[id] {
			if !g(grp, grp) {
				return
			}
		}
	}
	principals(func(p, via string) bool {
		if !x.active.each(p, func(i int32) bool { return f(hold{a: &x.t.Roles[i], group: via}) }) {
			return false
		}
		return x.eligible.each(p, func(i int32) bool {
			e := &x.t.Eligibilities[i]
			if x.asOf && (!e.Start.IsZero() && x.t.AsOf.Before(e.Start) || !e.End.IsZero() && !x.t.AsOf.Before(e.End)) {
				return true
			}
			return f(hold{a: e, eligible: true, group: via})
		})
	})
}

// anyActive reports whether user id holds an active role assignment, direct or through a group
// (the soft-match admin block).
func (x *roleIndex) anyActive(id string) (hold, bool) {
	var found hold
	ok := false
	x.holds(id, func(h hold) bool {
		if h.eligible {
			return true
		}
		found, ok = h, true
		return false
	})
	return found, ok
}

// anyEligible reports whether user id is eligible for a role (direct or through a group).
func (x *roleIndex) anyEligible(id string) (hold, bool) {
	var found hold
	ok := false
	x.holds(id, func(h hold) bool {
		if !h.eligible {
			return true
		}
		found, ok = h, true
		return false
	})
	return found, ok
}

// privileged returns the first role user id holds (active or eligible) that counts as
// privileged, and whether that was decided without the role definition (unknown roles count as
// privileged: the safe side).
func (x *roleIndex) privileged(id string) (h hold, guessed, ok bool) {
	x.holds(id, func(c hold) bool {
		priv, known := x.isPrivileged(c.a.RoleDefinitionID)
		if priv {
			h, guessed, ok = c, !known, true
			return false
		}
		return true
	})
	return h, guessed, ok
}

// isPrivileged says whether a role definition is privileged, and whether the input said so.
func (x *roleIndex) isPrivileged(def string) (priv, known bool) {
	if x.t.Known&KnownRoleDefinitions != 0 {
		if i, ok := x.defs[def]; ok {
			return x.t.RoleDefinitions[i].IsPrivileged, true
		}
	}
	return true, false
}

// roleName returns the display name of a role definition, or its id.
func (x *roleIndex) roleName(def string) string {
	if n, ok := x.names[def]; ok {
		return n
	}
	return "role " + def
}

// describe says which role h is and how it is held, for a reason.
func (x *roleIndex) describe(h hold) string {
	var b strings.Builder
	b.Grow(64 + len(x.roleName(h.a.RoleDefinitionID)) + len(h.a.ID) + len(h.group))
	if h.eligible {
		b.WriteString("is eligible (PIM) for ")
	} else {
		b.WriteString("is assigned ")
	}
	b.WriteString(x.roleName(h.a.RoleDefinitionID))
	if h.eligible {
		b.WriteString(" (eligibility ")
	} else {
		b.WriteString(" (assignment ")
	}
	b.WriteString(h.a.ID)
	if h.group != "" {
		b.WriteString(", through the role-assignable group ")
		b.WriteString(h.group)
	}
	if h.eligible && !h.a.End.IsZero() {
		b.WriteString(", until ")
		b.WriteString(h.a.End.UTC().Format("2006-01-02"))
	}
	b.WriteString(")")
	return b.String()
}

// removeFix says what to remove for hold h.
func (x *roleIndex) removeFix(h hold) string {
	what := "the role assignment " + h.a.ID
	if h.eligible {
		what = "the PIM eligibility " + h.a.ID
	}
	if h.group != "" {
		return "Remove the user from the role-assignable group " + h.group + " (or remove " + what + " of " + x.roleName(h.a.RoleDefinitionID) + " from the group)"
	}
	return "Remove " + what + " (" + x.roleName(h.a.RoleDefinitionID) + ")"
}

// sameADObject reports whether the onPremisesObjectIdentifier id names the AD object o: the
// identifier is the objectGUID sync read from the object, in GUID text form. ok is false when
// that cannot be told (the identifier is not GUID text, or o has no objectGUID).
func sameADObject(o *OnPrem, id string) (same, ok bool) {
	g, err := anchor.ParseGUID(id)
	if err != nil || o.ObjectGUID.IsZero() {
		return false, false
	}
	return g == o.ObjectGUID, true
}

// unchecked is what a hard-match reason adds about the inputs of the protections the tenant did
// not provide ("" when it provided all); computed once per Evaluate.
func (e *engine) unchecked() string { return e.missing }

// missingInputs lists the inputs of the hard-match protections the tenant did not provide, for a
// reason ("" when all were provided).
func (e *engine) missingInputs() string {
	var miss []string
	k := e.t.Known
	if k&KnownObjectIdentifier == 0 {
		miss = append(miss, "onPremisesObjectIdentifier")
	}
	if k&KnownEligibilities == 0 {
		miss = append(miss, "PIM eligibilities")
	}
	if k&KnownGroupMembers == 0 {
		miss = append(miss, "members of role-assignable groups")
	}
	if k&KnownRoleDefinitions == 0 && (len(e.t.Roles) > 0 || len(e.t.Eligibilities) > 0) {
		miss = append(miss, "which roles are privileged (every role is taken as privileged)")
	}
	if len(miss) == 0 {
		return ""
	}
	return " The input does not say " + strings.Join(miss, ", ") + ", so the July 2026 hard-match protections were checked without them."
}
