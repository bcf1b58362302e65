package conversion

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridid/hybridid/matching"
)

// Methods a plan records (the --method words of hybridctl).
const (
	MethodSOA       = "soa"
	MethodHardMatch = "hard-match"
	MethodReAnchor  = "re-anchor"
	MethodOUMove    = "ou-move"
	MethodTenant    = "tenant-wide"
	MethodSoftMatch = "soft-match"
)

// Predictor is the matching engine's entry point (matching.Evaluate). Planners that take one
// verify, before anything is written, that sync will do with the planned state what the
// conversion needs; with a nil Predictor that verification is skipped and the plan says so.
type Predictor func(cfg matching.Config, t matching.TenantState, onprem []matching.OnPrem, cloud []matching.Cloud) *matching.Report

// Input is what planners read: the tenant and both directories as records (from a snapshot and an
// LDIF export, or read live).
type Input struct {
	Tenant matching.TenantState
	Cloud  []matching.Cloud
	OnPrem []matching.OnPrem
	// Config is the sync configuration (scope OUs, anchor attribute) used for predictions and for
	// the anchor a hard match stamps.
	Config matching.Config
}

// Options are shared by the planners.
type Options struct {
	// CreatedAt is recorded in the plan (planners have no clock).
	CreatedAt time.Time
	// Users selects users by UPN (case-insensitive) or object id; empty selects every user the
	// method applies to.
	Users []string
	// AllowRoles lets users holding an Entra role (active or eligible) through; off by default.
	// It never lifts what Entra itself blocks: a hard match onto a user assigned or eligible for
	// a privileged role, or onto a user carrying onPremisesObjectIdentifier, and a soft match
	// onto a user holding a role.
	AllowRoles bool
	// ClearImmutableID adds clear-immutable-id after a synced->cloud-only conversion.
	ClearImmutableID bool
	// ClearOnPremAttributes adds clear-onprem-attributes as the final step of a synced->cloud-only
	// conversion (it clears onPremisesImmutableId too, so it replaces clear-immutable-id).
	ClearOnPremAttributes bool
	// Objects are the object types a source-of-authority plan converts: ObjectUsers,
	// ObjectGroups, ObjectContacts (empty: users only). Groups are planned first. With Users
	// set, a selector naming a group or contact (by id, mail or display name) selects it.
	Objects []string
	// AllowHardeningBypass lets a hard-match plan (hard-match, re-anchor) carry a time-boxed
	// enable of the tenant's allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled, so that users
	// still carrying onPremisesObjectIdentifier can be hard-matched; Confirm must equal the
	// tenant id. See withBypass.
	AllowHardeningBypass bool
	// CreateOU is the synced OU where hard match creates missing AD users; empty refuses them.
	CreateOU string
	// Predict verifies outcomes with the matching engine; see Predictor.
	Predict Predictor
	// TargetOU is where PlanOUMove moves AD users: an OU outside the sync scope.
	TargetOU string
	// Confirm must equal the tenant id for PlanTenantWide and for AllowHardeningBypass: turning sync off for the whole tenant
	// is not undone for 72 hours (docs/entra-rules.md §4b).
	Confirm string
}

// planBuilder accumulates changes with sequential ids.
type planBuilder struct {
	p *Plan
}

func newPlan(in *Input, method string, o *Options) *planBuilder {
	return &planBuilder{p: &Plan{Version: PlanVersion, TenantID: in.Tenant.ID, CreatedAt: o.CreatedAt, Method: method, Changes: []Change{}}}
}

func (b *planBuilder) add(c Change) {
	c.ID = ChangeID(len(b.p.Changes) + 1)
	b.p.Changes = append(b.p.Changes, c)
}

func (b *planBuilder) refuse(subject, upn string, code RefusalCode, reason, fix string) {
	b.p.Refused = append(b.p.Refused, Refusal{Subject: subject, UPN: upn, Code: code, Reason: reason, Fix: fix})
}

// selectCloud returns the selected cloud users (not deleted), sorted by UPN then id; unknown
// selectors are refused.
func selectCloud(b *planBuilder, in *Input, o *Options, all func(*matching.Cloud) bool) []*matching.Cloud {
	var out []*matching.Cloud
	if len(o.Users) == 0 {
		for i := range in.Cloud {
			c := &in.Cloud[i]
			if c.Class == matching.ClassUser && !c.Deleted && all(c) {
				out = append(out, c)
			}
		}
	} else {
		for _, sel := range o.Users {
			sel = strings.TrimSpace(sel)
			idx := slices.IndexFunc(in.Cloud, func(c matching.Cloud) bool {
				return !c.Deleted && (c.ID == sel || strings.EqualFold(c.UserPrincipalName, sel))
			})
			if idx < 0 {
				b.refuse(sel, sel, RefuseNotFound, fmt.Sprintf("no cloud user has the id or userPrincipalName %q", sel), "check the list of users against the tenant")
				continue
			}
			if !slices.Contains(out, &in.Cloud[idx]) {
				out = append(out, &in.Cloud[idx])
			}
		}
	}
	slices.SortFunc(out, func(a, b *matching.Cloud) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.UserPrincipalName), strings.ToLower(b.UserPrincipalName)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func cloudTarget(c *matching.Cloud) Target {
	return Target{Side: SideCloud, ID: c.ID, UPN: c.UserPrincipalName}
}

// PlanSOA plans the synced->cloud-only conversion by source-of-authority transfer (docs/entra-rules.md
// §4c): for each selected synced user, set-cloud-managed false->true, then, with
// ClearImmutableID, clear-immutable-id. Guard rails: the tenant must have sync on (SOA is a
// feature of synced tenants); the user must be synced (onPremisesSyncEnabled true, not yet
// cloud-managed); a user holding an Entra role is refused unless AllowRoles. Rollback (undo) sets
// isCloudManaged back to false; docs/entra-rules.md §4c requires blockCloudObjectTakeoverThroughHardMatch
// to be off and a sync run for the AD object to take over again, and that is only possible while
// the ImmutableID is kept: ClearImmutableID makes rollback by hard match impossible.
func PlanSOA(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodSOA, o)
	if in.Tenant.SyncEnabled == nil || !*in.Tenant.SyncEnabled {
		b.refuse("", "", RefuseTenantOff, "directory synchronization is not enabled on the tenant: source-of-authority transfer applies to synced tenants", "convert with the tenant-wide method, or enable sync first")
		return b.p
	}
	objSel, userSel := splitSelectors(in, o)
	planned := 0
	if o.wants(ObjectGroups) || o.wants(ObjectContacts) {
		planned = planSOAObjects(b, in, o, objSel)
	}
	var users []*matching.Cloud
	if o.wants(ObjectUsers) && (len(o.Users) == 0 || len(userSel) > 0) {
		ou := *o
		ou.Users = userSel
		users = selectCloud(b, in, &ou, func(c *matching.Cloud) bool { return c.Synced() })
	} else {
		for _, sel := range userSel {
			b.refuse(sel, sel, RefuseNotFound, fmt.Sprintf("no selected object type has the id, name or address %q", sel), "check the list against the tenant and the object types chosen")
		}
	}
	var plans []subjectPlan
	for _, c := range users {
		if why := administrative(in, c); why != "" {
			b.refuse(c.ID, c.UserPrincipalName, RefuseAdministrative, "administrative objects are excluded from source-of-authority transfer: "+why, "leave it managed in AD")
			continue
		}
		switch {
		case c.CloudManaged:
			b.refuse(c.ID, c.UserPrincipalName, RefuseAlreadyDone, "the user is already cloud-managed (isCloudManaged is true)", "")
			continue
		case !c.Synced():
			b.refuse(c.ID, c.UserPrincipalName, RefuseNotSynced, "the user is not synced from AD (onPremisesSyncEnabled is not true): it is already cloud-only", "")
			continue
		case !o.AllowRoles && len(HoldsOf(&in.Tenant, c.ID)) > 0:
			b.refuse(c.ID, c.UserPrincipalName, RefuseRoleHolder, "the user holds Entra roles ("+describeHolds(HoldsOf(&in.Tenant, c.ID))+")", "review the roles, then plan again with role holders allowed")
			continue
		}
		t := cloudTarget(c)
		sp := subjectPlan{subject: c.ID, upn: c.UserPrincipalName, cloudID: c.ID}
		sp.changes = append(sp.changes, Change{Action: SetCloudManaged, Target: t, Subject: c.ID, Before: Bool(false), After: Bool(true),
			Reason: "transfer the source of authority to Entra: sync stops updating this user (onPremisesSyncBehavior.isCloudManaged)"})
		if o.ClearImmutableID && !c.ImmutableID.IsZero() {
			sp.changes = append(sp.changes, Change{Action: ClearImmutableID, Target: t, Subject: c.ID, Before: Text(c.ImmutableID.String()), After: Null(),
				Reason: "clear onPremisesImmutableId so no AD object can hard-match this user again; rollback to AD management by hard match is then no longer possible"})
		}
		plans = append(plans, sp)
	}
	if o.ClearOnPremAttributes {
		addClearSteps(in, plans)
	}
	for _, sp := range verifyCloudUntouched(b, in, o, plans) {
		for _, c := range sp.changes {
			b.add(c)
		}
	}
	if len(o.Objects) > 0 && (planned > 0 || len(plans) > 0) {
		b.p.Notes = append(b.p.Notes, soaNotChecked)
	}
	return b.p
}

// verifyCloudUntouched checks with the Predictor (when set) that, once the planned changes are
// made, the next sync cycle leaves each subject's cloud user alone: neither soft-deletes it nor
// lets an AD object take it over (for SOA, the engine reports the AD side as blocked
// CloudManaged: sync skips the object, docs/entra-rules.md §4c). It refuses the subjects for which it
// predicts otherwise and returns the others.
func verifyCloudUntouched(b *planBuilder, in *Input, o *Options, plans []subjectPlan) []subjectPlan {
	if len(plans) == 0 {
		return plans
	}
	if o.Predict == nil {
		b.p.Notes = append(b.p.Notes, "sync outcomes were not verified: no matching engine (Options.Predict) was given")
		return plans
	}
	onprem, cloud, _ := projected(in, plans)
	rep := o.Predict(in.Config, in.Tenant, onprem, cloud)
	byID := map[string]*matching.ObjectResult{}
	for i := range rep.Objects {
		if r := &rep.Objects[i]; r.Side == matching.SideCloud {
			byID[r.ID] = r
		}
	}
	kept := plans[:0]
	for _, sp := range plans {
		r := byID[sp.cloudID]
		switch {
		case r == nil:
			b.refuse(sp.subject, sp.upn, RefusePrediction, "the matching engine has no prediction for cloud user "+sp.cloudID, "")
		case r.Outcome != matching.Untouched:
			b.refuse(sp.subject, sp.upn, RefusePrediction, fmt.Sprintf("after the changes, sync is predicted to do %q with cloud user %s, not leave it alone: %s", r.Outcome, sp.cloudID, r.Reason), r.Fix)
		default:
			kept = append(kept, sp)
		}
	}
	return kept
}
