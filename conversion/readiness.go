package conversion

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// ReadinessReport is what a tenant's state means for matching and conversion: the sync features
// that change matching, the users the July 2026 hardening will block at their next hard match,
// and the client versions Entra requires (docs/entra-rules.md §2.4, §4c, §6.3, §6.8).
type ReadinessReport struct {
	TenantID string    `json:"tenantID"`
	AsOf     time.Time `json:"asOf,omitzero"`
	// SyncEnabled is organization.onPremisesSyncEnabled (nil: never synced or not known).
	SyncEnabled *bool          `json:"syncEnabled"`
	Features    []FeatureState `json:"features"`
	// Blocked lists the users Entra will refuse to hard-match, with why and the fix.
	Blocked []BlockedUser `json:"blocked"`
	Clients []ClientRule  `json:"clients"`
	Notes   []string      `json:"notes,omitempty"`
}

// FeatureState is one tenant sync feature.
type FeatureState struct {
	Name string `json:"name"`
	// On is nil when the input does not say.
	On *bool `json:"on"`
	// Since is when it was turned on, when a journal says so.
	Since  time.Time `json:"since,omitzero"`
	Effect string    `json:"effect"`
}

// BlockedUser is a cloud user whose next hard match Entra will refuse.
type BlockedUser struct {
	ID     string      `json:"id"`
	UPN    string      `json:"upn,omitempty"`
	Code   RefusalCode `json:"code"`
	Reason string      `json:"reason"`
	Fix    string      `json:"fix"`
}

// ClientRule is a version requirement of a sync client.
type ClientRule struct {
	Client     string    `json:"client"`
	MinVersion string    `json:"minVersion"`
	For        string    `json:"for"`
	Since      time.Time `json:"since,omitzero"`
	// InForce is true when Since has passed at AsOf (or there is no date).
	InForce bool `json:"inForce"`
}

// The feature names of a ReadinessReport (Graph's onPremisesDirectorySynchronizationFeature names).
const (
	FeatureBlockSoftMatch  = "blockSoftMatchEnabled"
	FeatureBlockHardMatch  = "blockCloudObjectTakeoverThroughHardMatchEnabled"
	FeatureSoftMatchOnUPN  = "softMatchOnUpnEnabled"
	FeatureHardeningBypass = "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled"
	connectDeadline        = "2026-09-30"
	clientConnectSync      = "Microsoft Entra Connect Sync"
	clientCloudSync        = "Microsoft Entra Cloud Sync agent"
)

// Readiness reports on the tenant and cloud users of in (the on-premises side is not used).
// journals are the entries of conversion journals, if any: a journal that left the hardening
// bypass on gives the moment it was turned on. A user is reported blocked when it is not synced
// (cloud-only, or soft-deleted) and, since 1 July 2026, still carries onPremisesObjectIdentifier
// (unless the bypass is on), or is assigned or eligible for a privileged role and has an
// ImmutableID for a hard match to find.
func Readiness(in *Input, journals ...[]Entry) *ReadinessReport {
	t := &in.Tenant
	r := &ReadinessReport{TenantID: t.ID, AsOf: t.AsOf, SyncEnabled: t.SyncEnabled, Blocked: []BlockedUser{}}
	on := func(b bool) *bool { return &b }
	r.Features = []FeatureState{
		{Name: FeatureBlockSoftMatch, On: on(t.Features.BlockSoftMatch), Effect: "when on, sync never soft-matches (by SMTP address or UPN); Microsoft advises keeping it on outside a matching project"},
		{Name: FeatureBlockHardMatch, On: on(t.Features.BlockCloudObjectTakeoverHardMatch), Effect: "when on, sync never takes over a cloud object by hard match (InvalidHardMatch), and source-of-authority rollback waits until it is off"},
		{Name: FeatureSoftMatchOnUPN, On: on(t.Features.SoftMatchOnUPN), Effect: "when on, a user without a matching primary SMTP address can soft-match on userPrincipalName"},
	}
	bypass := FeatureState{Name: FeatureHardeningBypass, Effect: "when on, the July 2026 block on hard-matching users that carry onPremisesObjectIdentifier is lifted for the whole tenant; meant only for a short remediation"}
	if t.Known&matching.KnownBypassFlag != 0 {
		bypass.On = on(t.Features.AllowObjectIdentifierUpdate)
	}
	for _, entries := range journals {
		if st := BypassLeftOn(entries); st.On && strings.EqualFold(st.Tenant, t.ID) {
			if bypass.On == nil {
				bypass.On = on(true)
			}
			if *bypass.On && (bypass.Since.IsZero() || st.Since.Before(bypass.Since)) {
				bypass.Since = st.Since
			}
		}
	}
	r.Features = append(r.Features, bypass)
	bypassOnNow := bypass.On != nil && *bypass.On
	if bypass.On == nil {
		r.Notes = append(r.Notes, FeatureHardeningBypass+" was not read")
	} else if bypassOnNow {
		msg := FeatureHardeningBypass + " is ON: turn it off once remediation is done"
		if !bypass.Since.IsZero() && !t.AsOf.IsZero() {
			msg += " (on for " + t.AsOf.Sub(bypass.Since).Round(time.Minute).String() + ")"
		}
		r.Notes = append(r.Notes, msg)
	}

	inForce := hardeningInForce(t.AsOf)
	if inForce {
		for i := range in.Cloud {
			c := &in.Cloud[i]
			if c.Class != matching.ClassUser || c.Synced() {
				continue
			}
			where := ""
			if c.Deleted {
				where = " (soft-deleted)"
			}
			if p := privilegedHolds(HoldsOf(t, c.ID)); len(p) > 0 && !c.ImmutableID.IsZero() {
				r.Blocked = append(r.Blocked, BlockedUser{ID: c.ID, UPN: c.UserPrincipalName, Code: EngineRefusal(matching.InvalidHardMatch),
					Reason: "the user" + where + " is assigned or eligible for a privileged Entra role and has an ImmutableID: Entra refuses to hard-match it (" + describeHolds(p) + ")",
					Fix:    "first " + removeFirst(p) + "; let sync match, then assign the role again"})
			}
			// An identifier naming the AD object of the user's own ImmutableID is that object
			// returning, not a remap (the same choice as the planners and the engine).
			own, _ := anchor.ParseImmutableID(c.ImmutableID.String())
			if c.OnPremisesObjectIdentifier != "" && !bypassOnNow && !sameADObject(c.OnPremisesObjectIdentifier, own) {
				r.Blocked = append(r.Blocked, BlockedUser{ID: c.ID, UPN: c.UserPrincipalName, Code: RefuseObjectIdentifier,
					Reason: "the user" + where + " still carries onPremisesObjectIdentifier " + c.OnPremisesObjectIdentifier + ": Entra refuses to hard-match it to another AD object",
					Fix:    ObjectIdentifierFix(c.ID)})
			}
		}
	} else {
		r.Notes = append(r.Notes, "the snapshot predates 1 July 2026: the hard-match hardening was not in force yet")
	}
	slices.SortFunc(r.Blocked, func(a, b BlockedUser) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.UPN), strings.ToLower(b.UPN)), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Code, b.Code))
	})
	if t.Known&matching.KnownObjectIdentifier == 0 {
		r.Notes = append(r.Notes, "users' onPremisesObjectIdentifier was not read: users it blocks cannot be listed")
	}
	if t.Known&matching.KnownEligibilities == 0 {
		r.Notes = append(r.Notes, "PIM eligibilities were not read: eligible users cannot be listed")
	}
	if t.Known&matching.KnownRoleDefinitions == 0 && (len(t.Roles) > 0 || len(t.Eligibilities) > 0) {
		r.Notes = append(r.Notes, "role definitions were not read: every role counts as privileged")
	}

	deadline, _ := time.Parse(time.DateOnly, connectDeadline)
	r.Clients = []ClientRule{
		{Client: clientConnectSync, MinVersion: "2.5.79.0", For: "any synchronization: older servers stop synchronizing", Since: deadline, InForce: t.AsOf.IsZero() || !t.AsOf.Before(deadline)},
		{Client: clientConnectSync, MinVersion: "2.5.76.0", For: "source-of-authority transfer of users and groups", InForce: true},
		{Client: clientConnectSync, MinVersion: "2.5.79.0", For: "source-of-authority transfer of contacts", InForce: true},
		{Client: clientCloudSync, MinVersion: "1.1.1370.0", For: "source-of-authority transfer", InForce: true},
	}
	r.Notes = append(r.Notes, "the sync client's version is not visible in tenant data: check it on the sync server")
	return r
}
