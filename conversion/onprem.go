package conversion

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridid/hybridid/matching"
)

// MethodClearOnPrem is the method that clears the on-premises attributes of users that are
// already cloud-only (converted earlier, by any means).
const MethodClearOnPrem = "clear-onprem"

// The on-premises attributes a cloud-only user keeps after it left sync, by their Graph names.
// Microsoft recommends clearing them once a user is cloud-only: stale values break hybrid join,
// Intune and Outlook, and a kept onPremisesObjectIdentifier blocks any later hard match of the
// user to a different AD object (docs/entra-rules.md §2.4, §4d).
const (
	AttrDistinguishedName  = "onPremisesDistinguishedName"
	AttrDomainName         = "onPremisesDomainName"
	AttrImmutableID        = "onPremisesImmutableId"
	AttrObjectIdentifier   = "onPremisesObjectIdentifier"
	AttrSamAccountName     = "onPremisesSamAccountName"
	AttrSecurityIdentifier = "onPremisesSecurityIdentifier"
	AttrUserPrincipalName  = "onPremisesUserPrincipalName"
)

// OnPremAttributeNames lists the seven attributes in the order OnPremAttributes.Value writes them.
var OnPremAttributeNames = []string{AttrDistinguishedName, AttrDomainName, AttrImmutableID, AttrObjectIdentifier,
	AttrSamAccountName, AttrSecurityIdentifier, AttrUserPrincipalName}

// OnPremAttributes are the on-premises attributes of a cloud user; "" means null (not set).
type OnPremAttributes struct {
	DistinguishedName  string
	DomainName         string
	ImmutableID        string
	ObjectIdentifier   string
	SamAccountName     string
	SecurityIdentifier string
	UserPrincipalName  string
}

func (a *OnPremAttributes) field(name string) *string {
	switch name {
	case AttrDistinguishedName:
		return &a.DistinguishedName
	case AttrDomainName:
		return &a.DomainName
	case AttrImmutableID:
		return &a.ImmutableID
	case AttrObjectIdentifier:
		return &a.ObjectIdentifier
	case AttrSamAccountName:
		return &a.SamAccountName
	case AttrSecurityIdentifier:
		return &a.SecurityIdentifier
	case AttrUserPrincipalName:
		return &a.UserPrincipalName
	}
	return nil
}

// Get returns the attribute called name ("" for null or an unknown name).
func (a OnPremAttributes) Get(name string) string {
	if p := a.field(name); p != nil {
		return *p
	}
	return ""
}

// IsZero reports whether every attribute is null.
func (a OnPremAttributes) IsZero() bool { return a == OnPremAttributes{} }

// Value returns the attributes as the list Value plans and journals use: one "name=value" text
// per attribute that is set. Every attribute absent from the list is null.
func (a OnPremAttributes) Value() Value {
	l := []string{}
	for _, n := range OnPremAttributeNames {
		if v := a.Get(n); v != "" {
			l = append(l, n+"="+v)
		}
	}
	return List(l)
}

// ParseOnPremAttributes reads the list Value OnPremAttributes.Value writes. Null is the zero
// OnPremAttributes. Errors name the item.
func ParseOnPremAttributes(v Value) (OnPremAttributes, error) {
	var a OnPremAttributes
	if v.IsNull() {
		return a, nil
	}
	l, ok := v.List()
	if !ok {
		return a, fmt.Errorf("on-premises attributes: %s is not a list of name=value texts", v)
	}
	for i, item := range l {
		name, val, ok := strings.Cut(item, "=")
		p := a.field(name)
		switch {
		case !ok || p == nil:
			return a, fmt.Errorf("on-premises attributes[%d] %q: want name=value with name one of %s", i, item, strings.Join(OnPremAttributeNames, ", "))
		case val == "":
			return a, fmt.Errorf("on-premises attributes[%d] %q: empty value (leave a null attribute out)", i, item)
		case *p != "":
			return a, fmt.Errorf("on-premises attributes[%d] %q: %s given twice", i, item, name)
		}
		*p = val
	}
	return a, nil
}

// Without returns a with the attribute called name set to null.
func (a OnPremAttributes) Without(name string) OnPremAttributes {
	if p := a.field(name); p != nil {
		*p = ""
	}
	return a
}

// onPremOf returns the on-premises attributes a cloud record carries (the domain name is not in
// matching records: apply reads it from the tenant).
func onPremOf(c *matching.Cloud) OnPremAttributes {
	return OnPremAttributes{
		DistinguishedName:  c.OnPremisesDistinguishedName,
		ImmutableID:        c.ImmutableID.String(),
		ObjectIdentifier:   c.OnPremisesObjectIdentifier,
		SamAccountName:     c.OnPremisesSamAccountName,
		SecurityIdentifier: c.OnPremisesSecurityIdentifier,
		UserPrincipalName:  c.OnPremisesUserPrincipalName,
	}
}

// clearOnPremChange is the final step a synced->cloud-only conversion offers, and the only step
// of the clear-onprem method.
func clearOnPremChange(c *matching.Cloud, subject string) Change {
	return Change{Action: ClearOnPremAttributes, Target: cloudTarget(c), Subject: subject,
		Before: onPremOf(c).Value(), After: List(nil),
		Reason: "clear the on-premises attributes the cloud-only user kept (stale values break hybrid join, Intune and Outlook, and a kept onPremisesObjectIdentifier blocks a later hard match to a different AD object); the values replaced are kept in the journal, and undo writes them back except onPremisesObjectIdentifier, which the next sync stamps again"}
}

// PlanClearOnPrem plans clear-onprem-attributes for users that are cloud-only already (converted
// earlier by restore, tenant-wide disable or source-of-authority transfer): one Graph beta write
// per user sets the seven on-premises attributes to null (docs/entra-rules.md §4d). Refused: a
// synced user (Graph refuses to change them while sync owns the user, and sync would write them
// back), a user holding an Entra role unless AllowRoles. With no user selected, only users that
// left sync (see leftSync: not a user merely staged for a hard match with an ImmutableID) and
// carry at least one of the attributes are planned. The plan's Before is what the input says
// (it has no onPremisesDomainName); Apply re-reads the user and records the values it actually
// replaces.
func PlanClearOnPrem(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodClearOnPrem, o)
	explicit := len(o.Users) > 0
	users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !c.Synced() && leftSync(c) && !onPremOf(c).IsZero() })
	for _, c := range users {
		refuse := func(code RefusalCode, reason, fix string) { b.refuse(c.ID, c.UserPrincipalName, code, reason, fix) }
		switch {
		case c.Synced():
			refuse(RefuseSynced, "the user is synced from AD: its on-premises attributes belong to sync, Graph refuses to change them and the next sync cycle would write them back",
				"convert the user to cloud-only first, with the on-premises attribute clean-up as the final step")
			continue
		case !o.AllowRoles && len(HoldsOf(&in.Tenant, c.ID)) > 0:
			refuse(RefuseRoleHolder, "the user holds Entra roles ("+describeHolds(HoldsOf(&in.Tenant, c.ID))+")", "review the roles, then plan again with role holders allowed")
			continue
		case explicit && onPremOf(c).IsZero() && in.Tenant.Known&matching.KnownObjectIdentifier != 0:
			refuse(RefuseNothingToClear, "the user carries no on-premises attribute", "")
			continue
		}
		b.add(clearOnPremChange(c, c.ID))
	}
	if in.Tenant.Known&matching.KnownObjectIdentifier == 0 && len(b.p.Changes) > 0 {
		b.p.Notes = append(b.p.Notes, "the input does not say which users carry onPremisesObjectIdentifier or onPremisesDomainName: apply reads them before it clears")
	}
	return b.p
}

// leftSync reports whether a cloud-only user was synced once: it is cloud-managed, its
// onPremisesSyncEnabled is false, it has a last sync time, or it carries an attribute only sync
// writes. A user that only carries an ImmutableID may be staged for a hard match: the
// clear-onprem method leaves it alone unless it is selected by name.
func leftSync(c *matching.Cloud) bool {
	return c.CloudManaged || c.SyncEnabled != nil || !c.OnPremisesLastSync.IsZero() || c.OnPremisesDistinguishedName != "" ||
		c.OnPremisesSamAccountName != "" || c.OnPremisesSecurityIdentifier != "" || c.OnPremisesUserPrincipalName != "" ||
		c.OnPremisesObjectIdentifier != ""
}

// addClearSteps appends clear-onprem-attributes as the last change of every subject plan (the
// --clear-onprem-attributes final step of a synced->cloud-only method).
func addClearSteps(in *Input, plans []subjectPlan) {
	for i := range plans {
		sp := &plans[i]
		idx := slices.IndexFunc(in.Cloud, func(c matching.Cloud) bool { return c.ID == sp.cloudID || (sp.cloudID == "" && c.ID == sp.subject) })
		if idx < 0 {
			continue
		}
		// clear-onprem-attributes clears onPremisesImmutableId too.
		sp.changes = slices.DeleteFunc(sp.changes, func(c Change) bool { return c.Action == ClearImmutableID })
		sp.changes = append(sp.changes, clearOnPremChange(&in.Cloud[idx], sp.subject))
	}
}

// errSyncedUser explains a read-only refusal of an on-premises attribute write.
var errSyncedUser = errors.New("the user is synced from AD: only a cloud-only user's on-premises attributes can be changed")
