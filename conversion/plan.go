package conversion

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
)

// PlanVersion is the plan file format version this package writes and reads.
const PlanVersion = 1

// Action is what a change does. The words are stable: they appear in plan files, journals and
// hybridctl output.
type Action string

// The action vocabulary. Side and value kind of each are in the table of Action.Spec.
const (
	SetImmutableID      Action = "set-immutable-id"       // cloud user: onPremisesImmutableId, text
	ClearImmutableID    Action = "clear-immutable-id"     // cloud user: onPremisesImmutableId, text -> null
	SetCloudManaged     Action = "set-cloud-managed"      // cloud user: isCloudManaged, bool
	RestoreUser         Action = "restore-user"           // cloud user: "deleted" -> "active"
	WaitSoftDelete      Action = "wait-soft-delete"       // cloud user: "active" -> "deleted", no write
	DisableOrgSync      Action = "disable-org-sync"       // tenant: onPremisesSyncEnabled true -> false
	EnableOrgSync       Action = "enable-org-sync"        // tenant: onPremisesSyncEnabled false -> true
	WaitOrgSyncDisabled Action = "wait-org-sync-disabled" // tenant: "pending" -> "disabled", no write
	SetConsistencyGUID  Action = "set-consistency-guid"   // AD user: mS-DS-ConsistencyGuid, GUID text or null
	SetProxyAddresses   Action = "set-proxy-addresses"    // AD user: proxyAddresses, list
	SetMail             Action = "set-mail"               // AD user: mail, text or null
	SetUPN              Action = "set-upn"                // AD user: userPrincipalName, text
	MoveUser            Action = "move-user"              // AD user: parent container DN, text
	CreateUser          Action = "create-user"            // AD user: null -> DN (Change.Create holds the attributes)
	// cloud user: the seven on-premises attributes, a list of "name=value" texts (see
	// OnPremAttributes.Value) -> the empty list; Graph beta.
	ClearOnPremAttributes Action = "clear-onprem-attributes"
	// cloud user: the on-premises attributes, list -> list (undo of a clear); Graph beta.
	SetOnPremAttributes Action = "set-onprem-attributes"
	// tenant: allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled, bool (the July 2026 bypass).
	SetHardeningBypass Action = "set-hardening-bypass"
	// tenant: "pending" -> "matched", no write: a sync cycle hard-matches the plan's users.
	WaitHardMatch Action = "wait-hard-match"
)

// Side is where a change's target lives.
type Side string

// Sides of a target.
const (
	SideCloud  Side = "cloud"
	SideOnPrem Side = "onprem"
	SideTenant Side = "tenant"
)

type actionSpec struct {
	side    Side
	attr    string // attribute the change reads and writes
	kind    valueKind
	inverse Action // "" when irreversible
	write   bool   // false for wait steps
	graph   bool   // counts against the Graph write budget
}

var actions = map[Action]actionSpec{
	SetImmutableID:        {SideCloud, "onPremisesImmutableId", kindString, SetImmutableID, true, true},
	ClearImmutableID:      {SideCloud, "onPremisesImmutableId", kindString, SetImmutableID, true, true},
	SetCloudManaged:       {SideCloud, "isCloudManaged", kindBool, SetCloudManaged, true, true},
	RestoreUser:           {SideCloud, "state", kindString, "", true, true},
	WaitSoftDelete:        {SideCloud, "state", kindString, "", false, false},
	DisableOrgSync:        {SideTenant, "onPremisesSyncEnabled", kindBool, EnableOrgSync, true, true},
	EnableOrgSync:         {SideTenant, "onPremisesSyncEnabled", kindBool, DisableOrgSync, true, true},
	WaitOrgSyncDisabled:   {SideTenant, "syncState", kindString, "", false, false},
	SetConsistencyGUID:    {SideOnPrem, "mS-DS-ConsistencyGuid", kindString, SetConsistencyGUID, true, false},
	SetProxyAddresses:     {SideOnPrem, "proxyAddresses", kindList, SetProxyAddresses, true, false},
	SetMail:               {SideOnPrem, "mail", kindString, SetMail, true, false},
	SetUPN:                {SideOnPrem, "userPrincipalName", kindString, SetUPN, true, false},
	MoveUser:              {SideOnPrem, "parent", kindString, MoveUser, true, false},
	CreateUser:            {SideOnPrem, "dn", kindString, "", true, false},
	ClearOnPremAttributes: {SideCloud, "onPremisesAttributes", kindList, SetOnPremAttributes, true, true},
	SetOnPremAttributes:   {SideCloud, "onPremisesAttributes", kindList, SetOnPremAttributes, true, true},
	SetHardeningBypass:    {SideTenant, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled", kindBool, SetHardeningBypass, true, true},
	WaitHardMatch:         {SideTenant, "matchState", kindString, "", false, false},
}

// Valid reports whether a is in the vocabulary.
func (a Action) Valid() bool { _, ok := actions[a]; return ok }

// Reversible reports whether undo can reverse a (restore-user and create-user cannot: this
// package never deletes; wait steps have nothing to undo).
func (a Action) Reversible() bool { return actions[a].inverse != "" }

// Attribute returns the attribute a reads and writes ("state", "parent" and "dn" are pseudo-attributes).
func (a Action) Attribute() string { return actions[a].attr }

// The pseudo-values of state changes.
const (
	StateActive   = "active"
	StateDeleted  = "deleted"
	StatePending  = "pending"
	StateDisabled = "disabled"
	StateMatched  = "matched"
)

// Target names the object a change acts on.
type Target struct {
	Side Side `json:"side"`
	// ID is the cloud object id (cloud) or the tenant id (tenant).
	ID string `json:"id,omitempty"`
	// GUID is the objectGUID (onprem); zero for a user that create-user has yet to make.
	GUID anchor.ObjectGUID `json:"objectGUID,omitzero"`
	// DN is the distinguished name (onprem, for people and for create-user).
	DN string `json:"dn,omitempty"`
	// UPN is for people reading the plan.
	UPN string `json:"upn,omitempty"`
	// Kind is the kind of a cloud object that is not a user: "group" or "contact" (only
	// set-cloud-managed acts on them).
	Kind ObjectKind `json:"kind,omitempty"`
}

// Key identifies the target uniquely within a plan.
func (t Target) Key() string {
	switch t.Side {
	case SideOnPrem:
		if !t.GUID.IsZero() {
			return "onprem:" + t.GUID.String()
		}
		return "onprem-dn:" + dn.Key(t.DN)
	default:
		return string(t.Side) + ":" + t.ID
	}
}

// String returns a short human description: the UPN or DN and the id.
func (t Target) String() string {
	name := cmp.Or(t.UPN, t.DN)
	id := t.ID
	if t.Side == SideOnPrem && !t.GUID.IsZero() {
		id = t.GUID.String()
	}
	switch {
	case name != "" && id != "":
		return fmt.Sprintf("%s %s (%s)", t.Side, name, id)
	case name != "":
		return fmt.Sprintf("%s %s", t.Side, name)
	default:
		return fmt.Sprintf("%s %s", t.Side, id)
	}
}

// Change is one step of a plan: one write (or one wait) on one target, with the value it expects
// to find (Before) and the value it leaves (After).
type Change struct {
	// ID orders the plan and names the change in the journal: "c0001", "c0002"…
	ID     string `json:"id"`
	Action Action `json:"action"`
	Target Target `json:"target"`
	// Subject groups the changes of one conversion (one user): they run in ID order, and a failed
	// change stops the rest of its subject. Changes with no subject are barriers: they run alone,
	// after everything before them and before everything after them.
	Subject string `json:"subject,omitempty"`
	Before  Value  `json:"before"`
	After   Value  `json:"after"`
	// Create holds the attributes of a create-user change.
	Create *NewUser `json:"create,omitempty"`
	Reason string   `json:"reason"`
}

// Inverse returns the change that undoes c, with ID "undo-"+c.ID, or ErrIrreversible.
func (c Change) Inverse() (Change, error) {
	spec, ok := actions[c.Action]
	if !ok || spec.inverse == "" {
		return Change{}, fmt.Errorf("%s %s: %w", c.ID, c.Action, ErrIrreversible)
	}
	inv := c
	inv.ID = UndoPrefix + c.ID
	inv.Action = spec.inverse
	if c.Action == SetImmutableID && c.After.IsNull() == false && c.Before.IsNull() {
		inv.Action = ClearImmutableID
	}
	inv.Before, inv.After = c.After, c.Before
	if c.Action == ClearOnPremAttributes {
		// Graph accepts only null for onPremisesObjectIdentifier: undo writes back the other
		// attributes and leaves it to the next sync to stamp (the old value stays in the journal).
		if a, err := ParseOnPremAttributes(c.Before); err == nil {
			inv.After = a.Without(AttrObjectIdentifier).Value()
		}
	}
	inv.Create = nil
	inv.Reason = "undo of " + c.ID + ": " + c.Reason
	return inv, nil
}

// Plan is a reviewable list of changes made for one tenant.
type Plan struct {
	Version  int    `json:"version"`
	TenantID string `json:"tenantID"`
	// CreatedAt is given by the caller: planners have no clock.
	CreatedAt time.Time `json:"createdAt"`
	Method    string    `json:"method"`
	Changes   []Change  `json:"changes"`
	// Refused lists the users a planner would not convert, with the reason and the fix.
	Refused []Refusal `json:"refused,omitempty"`
	// Notes are remarks for the reviewer (for example that outcomes were not verified).
	Notes []string `json:"notes,omitempty"`
}

// Refusal is a user a planner refused, and why.
type Refusal struct {
	Subject string      `json:"subject"`
	UPN     string      `json:"upn,omitempty"`
	Code    RefusalCode `json:"code"`
	Reason  string      `json:"reason"`
	Fix     string      `json:"fix,omitempty"`
}

// Sort orders the changes by ID (numeric-aware: c2 before c10).
func (p *Plan) Sort() {
	slices.SortStableFunc(p.Changes, func(a, b Change) int { return compareIDs(a.ID, b.ID) })
}

func compareIDs(a, b string) int {
	ap, an := splitID(a)
	bp, bn := splitID(b)
	if c := cmp.Compare(ap, bp); c != 0 {
		return c
	}
	if c := cmp.Compare(an, bn); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

func splitID(s string) (string, uint64) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.ParseUint(s[i:], 10, 64)
	return s[:i], n
}

// ChangeID returns the ID planners give to the n-th change (n from 1): "c0001".
func ChangeID(n int) string { return fmt.Sprintf("c%04d", n) }

// Validate checks the plan: version, unique IDs, known actions, value kinds that fit the action.
// Errors wrap ErrInvalidPlan and name the change ("changes[3] (c0004)").
func (p *Plan) Validate() error {
	if p.Version != PlanVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrInvalidPlan, p.Version, PlanVersion)
	}
	seen := make(map[string]bool, len(p.Changes))
	for i, c := range p.Changes {
		where := fmt.Sprintf("changes[%d] (%s)", i, c.ID)
		if err := checkChangeID(c.ID); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalidPlan, where, err)
		}
		if seen[c.ID] {
			return fmt.Errorf("%w: %s: duplicate id", ErrInvalidPlan, where)
		}
		seen[c.ID] = true
		spec, ok := actions[c.Action]
		if !ok {
			return fmt.Errorf("%w: %s: unknown action %q", ErrInvalidPlan, where, c.Action)
		}
		if c.Target.Side != spec.side {
			return fmt.Errorf("%w: %s: action %s needs a %s target, not %q", ErrInvalidPlan, where, c.Action, spec.side, c.Target.Side)
		}
		switch spec.side {
		case SideCloud:
			if c.Target.ID == "" {
				return fmt.Errorf("%w: %s: target.id is empty", ErrInvalidPlan, where)
			}
			switch k := c.Target.Kind; {
			case k != "" && k != KindGroup && k != KindContact:
				return fmt.Errorf("%w: %s: target.kind %q: want group, contact or nothing (a user)", ErrInvalidPlan, where, k)
			case k != "" && c.Action != SetCloudManaged:
				return fmt.Errorf("%w: %s: action %s acts on users only, not a %s", ErrInvalidPlan, where, c.Action, k)
			}
		case SideOnPrem:
			if c.Action == CreateUser {
				if c.Create == nil || c.Target.DN == "" || !dn.Equal(c.Create.DN(), c.Target.DN) {
					return fmt.Errorf("%w: %s: create-user needs create attributes whose DN is target.dn", ErrInvalidPlan, where)
				}
			} else if c.Target.GUID.IsZero() {
				return fmt.Errorf("%w: %s: target.objectGUID is empty", ErrInvalidPlan, where)
			}
		}
		for _, v := range []struct {
			name string
			v    Value
		}{{"before", c.Before}, {"after", c.After}} {
			if !v.v.IsNull() && v.v.kind != spec.kind {
				return fmt.Errorf("%w: %s: %s is %s, action %s needs %s or null", ErrInvalidPlan, where, v.name, v.v.kind, c.Action, spec.kind)
			}
		}
		if spec.attr == "onPremisesAttributes" {
			for _, v := range []Value{c.Before, c.After} {
				if _, err := ParseOnPremAttributes(v); err != nil {
					return fmt.Errorf("%w: %s: %v", ErrInvalidPlan, where, err)
				}
			}
		}
		if c.Action == SetConsistencyGUID {
			for _, v := range []Value{c.Before, c.After} {
				if s, ok := v.Text(); ok {
					if _, err := anchor.ParseGUID(s); err != nil {
						return fmt.Errorf("%w: %s: %v", ErrInvalidPlan, where, err)
					}
				}
			}
		}
	}
	return nil
}

// UndoPrefix starts the ids Undo gives its own changes ("undo-c0007"); plan change ids may not
// use it, or undo could not tell a plan's change from the reversal of another.
const UndoPrefix = "undo-"

// maxChangeID bounds the length of a change id.
const maxChangeID = 64

// checkChangeID refuses an empty id, a reserved form (UndoPrefix, in any case), and ids that are
// long or hold anything but letters, digits, '-', '_' and '.'.
func checkChangeID(id string) error {
	switch {
	case id == "":
		return errors.New("empty id")
	case len(id) > maxChangeID:
		return fmt.Errorf("id longer than %d characters", maxChangeID)
	case len(id) >= len(UndoPrefix) && strings.EqualFold(id[:len(UndoPrefix)], UndoPrefix):
		return fmt.Errorf("id %q has the reserved form %s…: only undo names its changes so", id, UndoPrefix)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("id %q: character %q is not allowed (letters, digits, '-', '_', '.')", id, c)
		}
	}
	return nil
}

// Hash returns a short digest of the plan's canonical JSON: journals record it so that a journal is
// never used with another plan.
func (p *Plan) Hash() string {
	b, _ := json.Marshal(p) // cannot fail: every field marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// WriteJSON writes the plan as indented JSON.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// ReadPlan reads and validates a plan written by WriteJSON. Unknown fields are refused, and errors
// name the byte offset or the change.
func ReadPlan(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w: offset %d: %v", ErrInvalidPlan, se.Offset, err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%w: field %s (offset %d): %v", ErrInvalidPlan, te.Field, te.Offset, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidPlan, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the plan", ErrInvalidPlan)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// valueKind is the JSON shape of a Value.
type valueKind uint8

const (
	kindNull valueKind = iota
	kindString
	kindBool
	kindList
)

func (k valueKind) String() string {
	return [...]string{"null", "text", "bool", "list"}[k]
}

// Value is the value of one attribute before or after a change: null (absent), a text, a boolean
// or a list of texts (a multi-valued attribute, compared as a set). The zero Value is null.
type Value struct {
	kind valueKind
	s    string
	b    bool
	l    []string
}

// Null returns the null Value.
func Null() Value { return Value{} }

// Text returns a text Value.
func Text(s string) Value { return Value{kind: kindString, s: s} }

// Bool returns a boolean Value.
func Bool(b bool) Value { return Value{kind: kindBool, b: b} }

// List returns a list Value holding a sorted copy of l (nil and empty are the same list).
func List(l []string) Value {
	c := slices.Clone(l)
	if c == nil {
		c = []string{}
	}
	slices.Sort(c)
	return Value{kind: kindList, l: c}
}

// TextOrNull returns Text(s), or Null when s is empty.
func TextOrNull(s string) Value {
	if s == "" {
		return Null()
	}
	return Text(s)
}

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == kindNull }

// Text returns the text of a text Value.
func (v Value) Text() (string, bool) { return v.s, v.kind == kindString }

// Bool returns the boolean of a bool Value.
func (v Value) Bool() (bool, bool) { return v.b, v.kind == kindBool }

// List returns (a copy of) the texts of a list Value.
func (v Value) List() ([]string, bool) { return slices.Clone(v.l), v.kind == kindList }

// Equal reports whether v and w are the same value; lists compare as sets of exact strings.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case kindString:
		return v.s == w.s
	case kindBool:
		return v.b == w.b
	case kindList:
		return slices.Equal(v.l, w.l)
	}
	return true
}

// String returns the JSON form of v.
func (v Value) String() string {
	b, _ := v.MarshalJSON()
	return string(b)
}

// MarshalJSON writes null, a string, a boolean or an array of strings.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case kindString:
		return json.Marshal(v.s)
	case kindBool:
		return json.Marshal(v.b)
	case kindList:
		return json.Marshal(v.l)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*v = Null()
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = Text(s)
	case len(b) > 0 && b[0] == '[':
		var l []string
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		*v = List(l)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*v = Bool(b[0] == 't')
	default:
		return fmt.Errorf("value must be null, a string, a boolean or an array of strings, not %.20s", b)
	}
	return nil
}
