package conversion

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// PlanReAnchor plans cloud-only->synced conversion by hard match from the AD side (docs/entra-rules.md §5
// option C, §3 AttributeValueMustBeUnique fix): the cloud user's existing onPremisesImmutableId
// (a GUID anchor) is written into the AD user's mS-DS-ConsistencyGuid before sync imports it. The
// sync configuration must use mS-DS-ConsistencyGuid. Refused besides the hard-match guard rails:
// no ImmutableID, a non-GUID ImmutableID, an AD user whose current anchor is already carried by a
// cloud object (changing it gives "source anchor changed", docs/entra-rules.md §1.4), and an anchor another
// AD object already has.
func PlanReAnchor(in *Input, o *Options) *Plan { return withBypass(in, o, planReAnchor) }

func planReAnchor(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodReAnchor, o)
	users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !c.Synced() && !c.ImmutableID.IsZero() })
	var plans []subjectPlan
	for _, c := range users {
		if !cloudOnlyChecks(b, in, o, c) {
			continue
		}
		refuse := func(code RefusalCode, reason, fix string) { b.refuse(c.ID, c.UserPrincipalName, code, reason, fix) }
		if in.Config.SourceAnchor != matching.AnchorConsistencyGUID && in.Config.Client == matching.ConnectSync {
			refuse(RefuseCustom, "the sync configuration does not use mS-DS-ConsistencyGuid as the source anchor", "use the hard-match method")
			continue
		}
		if c.ImmutableID.IsZero() {
			refuse(RefuseNoAnchor, "the cloud user has no onPremisesImmutableId to carry over", "use the hard-match method")
			continue
		}
		g, ok := c.ImmutableID.GUID()
		if !ok {
			refuse(RefuseCustom, fmt.Sprintf("the ImmutableID %s is not the Base64 of a GUID", c.ImmutableID), "")
			continue
		}
		cand := findAD(in.OnPrem, c)
		if len(cand) != 1 {
			code, why := RefuseNoADUser, "no AD user has the cloud user's UPN or primary SMTP address"
			if len(cand) > 1 {
				code, why = RefuseAmbiguous, "more than one AD user has the cloud user's UPN or primary SMTP address"
			}
			refuse(code, why, "create or fix the AD user first")
			continue
		}
		ad := &in.OnPrem[cand[0]]
		if !inScope(&in.Config, ad.DN) {
			refuse(RefuseOutOfScope, fmt.Sprintf("the AD user %s is outside the sync scope", ad.DN), "move it into a synced OU first")
			continue
		}
		if hardeningInForce(in.Tenant.AsOf) && remapsIdentifier(&in.Tenant, c, ad.ObjectGUID) {
			refuse(RefuseObjectIdentifier, identifierReason(c.OnPremisesObjectIdentifier), ObjectIdentifierFix(c.ID))
			continue
		}
		cur, _ := adAnchor(&in.Config, ad)
		if cur == c.ImmutableID {
			refuse(RefuseAlreadyDone, "the AD user's anchor already equals the cloud ImmutableID", "")
			continue
		}
		if h := anchorHolder(in.Cloud, cur, ""); h != nil {
			refuse(RefuseJoined, fmt.Sprintf("the AD user %s is already exported as cloud object %s (anchor %s): changing its anchor makes sync fail with \"source anchor has changed\"", ad.DN, h.ID, cur), "")
			continue
		}
		if i := slices.IndexFunc(in.OnPrem, func(x matching.OnPrem) bool { return x.ObjectGUID == g || x.ConsistencyGUID == g }); i >= 0 {
			refuse(RefuseAnchorInUse, fmt.Sprintf("the anchor %s is already used by %s", c.ImmutableID, in.OnPrem[i].DN), "")
			continue
		}
		before := Null()
		if !ad.ConsistencyGUID.IsZero() {
			before = Text(ad.ConsistencyGUID.String())
		}
		plans = append(plans, subjectPlan{subject: c.ID, upn: c.UserPrincipalName, dn: ad.DN, cloudID: c.ID, changes: []Change{{
			Action: SetConsistencyGUID, Target: Target{Side: SideOnPrem, GUID: ad.ObjectGUID, DN: ad.DN, UPN: ad.UserPrincipalName}, Subject: c.ID,
			Before: before, After: Text(g.String()),
			Reason: fmt.Sprintf("write the cloud ImmutableID %s into mS-DS-ConsistencyGuid so the next sync cycle hard-matches %s", c.ImmutableID, c.UserPrincipalName),
		}}})
	}
	if len(users) > 0 {
		hardeningNotes(b, in)
	}
	finish(b, in, o, plans, matching.HardMatch)
	return b.p
}

// PlanOUMove plans synced->cloud-only conversion by moving AD users out of the sync scope
// (docs/entra-rules.md §4a): move-user to Options.TargetOU, wait-soft-delete (the next cycle soft-deletes
// the cloud user), restore-user, clear-immutable-id (so the AD object cannot hard-match it
// again). Nothing is ever hard-deleted; Apply refuses a restore with less than RestoreMargin of
// the 30-day window left. Refused: a target OU inside the scope, more users than the export
// deletion threshold (the whole export would stop, docs/entra-rules.md §4a), users not synced, role
// holders (unless AllowRoles), users whose AD object is not in the input.
func PlanOUMove(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodOUMove, o)
	if o.TargetOU == "" || inScope(&in.Config, "CN=x,"+o.TargetOU) {
		b.refuse("", "", RefuseInScope, fmt.Sprintf("the target OU %q is empty or inside the sync scope: moving users there does not take them out of sync", o.TargetOU), "choose an OU outside the sync scope")
		return b.p
	}
	users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return c.Synced() })
	byAnchor := map[anchor.SourceAnchor]int{}
	for i := range in.OnPrem {
		if a, ok := adAnchor(&in.Config, &in.OnPrem[i]); ok {
			byAnchor[a] = i
		}
	}
	threshold := in.Config.DeletionThreshold
	if threshold == 0 {
		threshold = matching.DefaultDeletionThreshold
	}
	var plans []subjectPlan
	for _, c := range users {
		refuse := func(code RefusalCode, reason, fix string) { b.refuse(c.ID, c.UserPrincipalName, code, reason, fix) }
		if !c.Synced() {
			refuse(RefuseNotSynced, "the user is not synced from AD", "")
			continue
		}
		if holds := HoldsOf(&in.Tenant, c.ID); !o.AllowRoles && len(holds) > 0 {
			refuse(RefuseRoleHolder, "the user holds Entra roles ("+describeHolds(holds)+")", "review the roles, then plan again with role holders allowed")
			continue
		}
		i, ok := byAnchor[c.ImmutableID]
		if !ok {
			refuse(RefuseNoADUser, fmt.Sprintf("no AD object in the input has the anchor %s", c.ImmutableID), "export the AD users again")
			continue
		}
		if threshold > 0 && len(plans) >= threshold {
			refuse(RefuseDeletionThreshold, fmt.Sprintf("more than %d users: the deletes would exceed the export deletion threshold and stop the whole export", threshold), "convert in batches below the threshold")
			continue
		}
		ad := &in.OnPrem[i]
		ct := cloudTarget(c)
		sp := subjectPlan{subject: c.ID, upn: c.UserPrincipalName, dn: ad.DN, cloudID: c.ID}
		sp.changes = []Change{
			{Action: MoveUser, Target: Target{Side: SideOnPrem, GUID: ad.ObjectGUID, DN: ad.DN, UPN: ad.UserPrincipalName}, Subject: c.ID,
				Before: Text(ParentDN(ad.DN)), After: Text(o.TargetOU),
				Reason: "move the AD user out of the sync scope; the next cycle soft-deletes the cloud user"},
			{Action: WaitSoftDelete, Target: ct, Subject: c.ID, Before: Text(StateActive), After: Text(StateDeleted),
				Reason: "wait for the sync cycle to soft-delete the cloud user (with Entra Connect Sync: run Start-ADSyncSyncCycle -PolicyType Delta)"},
			{Action: RestoreUser, Target: ct, Subject: c.ID, Before: Text(StateDeleted), After: Text(StateActive),
				Reason: "restore the user from deleted items, within the 30-day window; it is now cloud-only"},
			{Action: ClearImmutableID, Target: ct, Subject: c.ID, Before: Text(c.ImmutableID.String()), After: Null(),
				Reason: "clear onPremisesImmutableId so the AD object cannot hard-match the user again if it returns to scope"},
		}
		plans = append(plans, sp)
	}
	if o.ClearOnPremAttributes {
		addClearSteps(in, plans)
	}
	// The prediction for the moved AD user is out-of-scope, and the cloud user deleted.
	if o.Predict != nil && len(plans) > 0 {
		for i := range plans {
			plans[i].cloudID = ""
		}
		finish(b, in, o, plans, matching.OutOfScope)
		return b.p
	}
	finish(b, in, o, plans)
	return b.p
}

// PlanTenantWide plans turning directory synchronization off for the whole tenant (docs/entra-rules.md
// §4b): disable-org-sync, then wait-org-sync-disabled (up to 72 hours; resumable across runs),
// then, with ClearImmutableID, clear-immutable-id for every user that has one. Options.Confirm
// must equal the tenant id.
func PlanTenantWide(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodTenant, o)
	if o.Confirm == "" || !strings.EqualFold(o.Confirm, in.Tenant.ID) {
		b.refuse("", "", RefuseConfirm, "turning directory synchronization off for the whole tenant cannot be reverted for up to 72 hours", "confirm with the tenant id "+in.Tenant.ID)
		return b.p
	}
	if in.Tenant.SyncEnabled == nil || !*in.Tenant.SyncEnabled {
		b.refuse("", "", RefuseTenantOff, "directory synchronization is already off", "")
		return b.p
	}
	tt := Target{Side: SideTenant, ID: in.Tenant.ID}
	b.add(Change{Action: DisableOrgSync, Target: tt, Before: Bool(true), After: Bool(false),
		Reason: "turn directory synchronization off for the tenant (PATCH /organization/{id} onPremisesSyncEnabled=false); uninstall or stop the sync client first"})
	b.add(Change{Action: WaitOrgSyncDisabled, Target: tt, Before: Text(StatePending), After: Text(StateDisabled),
		Reason: "the disable takes up to 72 hours and cannot be cancelled; users become cloud-managed when it completes"})
	if o.ClearOnPremAttributes {
		// The disable itself clears some of them (docs/entra-rules.md §4b); apply clears what is left.
		users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !onPremOf(c).IsZero() })
		for _, c := range users {
			b.add(clearOnPremChange(c, c.ID))
		}
	} else if o.ClearImmutableID {
		users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !c.ImmutableID.IsZero() })
		for _, c := range users {
			if c.ImmutableID.IsZero() {
				continue
			}
			b.add(Change{Action: ClearImmutableID, Target: cloudTarget(c), Subject: c.ID, Before: Text(c.ImmutableID.String()), After: Null(),
				Reason: "clear onPremisesImmutableId now that the user is cloud-managed"})
		}
	}
	return b.p
}

// PlanSoftMatch prepares cloud-only->synced conversion by soft match (docs/entra-rules.md §5 option A,
// §2.1–§2.4): the AD user's primary SMTP address is aligned with the cloud user's (the cloud
// primary becomes the AD primary, the old AD primary a secondary, missing cloud addresses are
// copied), or, for a user without a mailbox address and a tenant with softMatchOnUpnEnabled,
// the match is on UPN. Refused: blockSoftMatchEnabled (SoftMatchBlocked), a cloud user with an
// ImmutableID (InvalidSoftMatch: clear it, or use re-anchor), a role holder
// (ExistingAdminRoleConflict), guests, synced users.
func PlanSoftMatch(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodSoftMatch, o)
	users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !c.Synced() && !strings.EqualFold(c.UserType, "Guest") })
	addrs := indexAddresses(in.OnPrem)
	var plans []subjectPlan
	for _, c := range users {
		refuse := func(code RefusalCode, reason, fix string) { b.refuse(c.ID, c.UserPrincipalName, code, reason, fix) }
		switch {
		case c.Synced():
			refuse(RefuseSynced, "the user is already synced from AD", "")
			continue
		case strings.EqualFold(c.UserType, "Guest"):
			refuse(RefuseGuest, "the user is a guest: how sync matches guests is undocumented", "")
			continue
		case in.Tenant.Features.BlockSoftMatch:
			refuse(EngineRefusal(matching.SoftMatchBlocked), "blockSoftMatchEnabled is on: sync will not soft-match", "turn it off for the duration of the conversion, or use the hard-match method")
			continue
		case !c.ImmutableID.IsZero():
			refuse(EngineRefusal(matching.InvalidSoftMatch), fmt.Sprintf("the cloud user already has onPremisesImmutableId %s: soft match needs it empty", c.ImmutableID), "use the re-anchor method, or clear the ImmutableID first")
			continue
		}
		if holds := HoldsOf(&in.Tenant, c.ID); len(holds) > 0 {
			var active []RoleHold
			for _, h := range holds {
				if h.Kind == HoldAssignment {
					active = append(active, h)
				}
			}
			switch {
			case len(active) > 0:
				refuse(EngineRefusal(matching.ExistingAdminRoleConflict), "the user holds an Entra role: sync refuses to soft-match onto it, whatever this tool allows",
					"first "+removeFirst(active)+"; convert, then assign the role again")
				continue
			case !o.AllowRoles:
				refuse(RefuseRoleHolder, "the user is eligible for Entra roles ("+describeHolds(holds)+"); whether an eligibility alone blocks soft match is not documented",
					"remove the eligibilities first, or plan again with role holders allowed")
				continue
			}
		}
		cand := findAD(in.OnPrem, c)
		if len(cand) != 1 {
			code, why := RefuseNoADUser, "no AD user has the cloud user's UPN or primary SMTP address"
			if len(cand) > 1 {
				code, why = RefuseAmbiguous, "more than one AD user has the cloud user's UPN or primary SMTP address"
			}
			refuse(code, why, "create or fix the AD user first")
			continue
		}
		i := cand[0]
		ad := &in.OnPrem[i]
		if !inScope(&in.Config, ad.DN) {
			refuse(RefuseOutOfScope, fmt.Sprintf("the AD user %s is outside the sync scope", ad.DN), "move it into a synced OU first")
			continue
		}
		if a, _ := adAnchor(&in.Config, ad); anchorHolder(in.Cloud, a, "") != nil {
			refuse(RefuseJoined, fmt.Sprintf("the AD user %s is already exported to Entra", ad.DN), "")
			continue
		}
		sp := subjectPlan{subject: c.ID, upn: c.UserPrincipalName, dn: ad.DN, cloudID: c.ID}
		tgt := Target{Side: SideOnPrem, GUID: ad.ObjectGUID, DN: ad.DN, UPN: ad.UserPrincipalName}
		cloudPrimary := primarySMTP(c.ProxyAddresses)
		switch {
		case cloudPrimary != "":
			want := []string{"SMTP:" + cloudPrimary}
			have := map[string]bool{strings.ToLower(cloudPrimary): true}
			dup := ""
			for _, p := range ad.ProxyAddresses {
				if have[proxyAddr(p)] {
					continue
				}
				have[proxyAddr(p)] = true
				if strings.HasPrefix(p, "SMTP:") {
					p = "smtp:" + p[5:]
				}
				want = append(want, p)
			}
			for _, p := range c.ProxyAddresses {
				if reservedProxy(p) || have[proxyAddr(p)] {
					continue
				}
				have[proxyAddr(p)] = true
				if dn := addrs.heldByOther(in.OnPrem, proxyAddr(p), i); dn != "" {
					dup = fmt.Sprintf("the cloud address %s is already held in AD by %s", p, dn)
				}
				want = append(want, "smtp:"+proxyAddr(p))
			}
			if dn := addrs.heldByOther(in.OnPrem, cloudPrimary, i); dn != "" {
				dup = fmt.Sprintf("the cloud primary address %s is already held in AD by %s", cloudPrimary, dn)
			}
			if dup != "" {
				refuse(RefuseDuplicate, dup, "remove the address from the other AD object")
				continue
			}
			if !List(want).Equal(List(ad.ProxyAddresses)) {
				sp.changes = append(sp.changes, Change{Action: SetProxyAddresses, Target: tgt, Subject: c.ID, Before: List(ad.ProxyAddresses), After: List(want),
					Reason: fmt.Sprintf("make SMTP:%s the AD primary address so sync soft-matches on it, and copy the cloud addresses AD lacks", cloudPrimary)})
			}
		case in.Tenant.Features.SoftMatchOnUPN:
			if !strings.EqualFold(ad.UserPrincipalName, c.UserPrincipalName) {
				sp.changes = append(sp.changes, Change{Action: SetUPN, Target: tgt, Subject: c.ID, Before: TextOrNull(ad.UserPrincipalName), After: Text(c.UserPrincipalName),
					Reason: "align the AD userPrincipalName with the cloud user's so sync soft-matches on UPN"})
			}
		default:
			refuse(RefuseNoPrimary, "the cloud user has no primary SMTP address and softMatchOnUpnEnabled is off: sync has nothing to soft-match on", "use the hard-match method")
			continue
		}
		if len(sp.changes) == 0 {
			refuse(RefuseAlreadyDone, "the AD user already carries the value sync soft-matches on", "")
			continue
		}
		plans = append(plans, sp)
	}
	finish(b, in, o, plans, matching.SoftMatchSMTP, matching.SoftMatchUPN)
	return b.p
}
