package conversion

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/matching"
)

// subjectPlan is the changes planned for one subject before numbering.
type subjectPlan struct {
	subject string
	upn     string
	dn      string // the AD object whose predicted outcome is checked
	cloudID string
	changes []Change
}

// reservedProxy reports addresses Entra computes itself and drops from on-premises values
// (docs/entra-rules.md §3.1: *.onmicrosoft.com, *.microsoftonline.com).
func reservedProxy(p string) bool {
	_, addr, ok := strings.Cut(p, ":")
	if !ok {
		return true
	}
	a := strings.ToLower(addr)
	return strings.HasSuffix(a, ".onmicrosoft.com") || strings.HasSuffix(a, ".microsoftonline.com")
}

func proxyAddr(p string) string {
	if _, a, ok := strings.Cut(p, ":"); ok {
		return strings.ToLower(a)
	}
	return strings.ToLower(p)
}

func primarySMTP(ps []string) string {
	for _, p := range ps {
		if strings.HasPrefix(p, "SMTP:") {
			return p[5:]
		}
	}
	return ""
}

// addrIndex maps lower-case addresses (proxy address values and mail) to the AD objects holding them.
type addrIndex map[string][]int

func indexAddresses(on []matching.OnPrem) addrIndex {
	idx := addrIndex{}
	for i := range on {
		seen := map[string]bool{}
		add := func(a string) {
			if a != "" && !seen[a] {
				seen[a] = true
				idx[a] = append(idx[a], i)
			}
		}
		for _, p := range on[i].ProxyAddresses {
			add(proxyAddr(p))
		}
		add(strings.ToLower(on[i].Mail))
	}
	return idx
}

// heldByOther returns the DN of an AD object other than self that holds address a.
func (x addrIndex) heldByOther(on []matching.OnPrem, a string, self int) string {
	for _, i := range x[strings.ToLower(a)] {
		if i != self {
			return on[i].DN
		}
	}
	return ""
}

func inScope(cfg *matching.Config, dn string) bool {
	if len(cfg.Scope) == 0 {
		return true
	}
	d := strings.ToLower(strings.ReplaceAll(dn, ", ", ","))
	for _, s := range cfg.Scope {
		s = strings.ToLower(strings.ReplaceAll(s, ", ", ","))
		if d == s || strings.HasSuffix(d, ","+s) {
			return true
		}
	}
	return false
}

// adAnchor returns the anchor sync will compute for o (docs/entra-rules.md §1.2, §1.4).
func adAnchor(cfg *matching.Config, o *matching.OnPrem) (anchor.SourceAnchor, bool) {
	switch {
	case cfg.SourceAnchor == matching.AnchorCustom:
		return o.CustomAnchor, !o.CustomAnchor.IsZero()
	case cfg.SourceAnchor == matching.AnchorObjectGUID && cfg.Client == matching.ConnectSync:
		return anchor.AnchorOf(o.ObjectGUID), true
	case !o.ConsistencyGUID.IsZero():
		return anchor.AnchorOf(o.ConsistencyGUID), true
	}
	return anchor.AnchorOf(o.ObjectGUID), true
}

// findAD returns the indexes of AD users whose UPN equals the cloud user's, or whose primary
// SMTP address equals the cloud user's primary SMTP address or mail.
func findAD(on []matching.OnPrem, c *matching.Cloud) []int {
	var out []int
	smtp := strings.ToLower(cmpOr(primarySMTP(c.ProxyAddresses), c.Mail))
	for i := range on {
		o := &on[i]
		if o.Class != matching.ClassUser {
			continue
		}
		if (c.UserPrincipalName != "" && strings.EqualFold(o.UserPrincipalName, c.UserPrincipalName)) ||
			(smtp != "" && strings.EqualFold(primarySMTP(o.ProxyAddresses), smtp)) {
			out = append(out, i)
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func anchorHolder(cloud []matching.Cloud, a anchor.SourceAnchor, self string) *matching.Cloud {
	for i := range cloud {
		if cloud[i].ID != self && cloud[i].ImmutableID == a {
			return &cloud[i]
		}
	}
	return nil
}

// cloudOnlyChecks applies the guard rails shared by the hard-match methods (hard-match and
// re-anchor); it returns false after recording a refusal. Since 1 July 2026 Entra refuses a hard
// match onto a user assigned or eligible for a privileged role (directly or through a
// role-assignable group) and onto a user that still carries onPremisesObjectIdentifier; these
// refusals name what to remove or clear, and Options.AllowRoles does not lift them.
// The identifier check needs the AD object, so the planners make it once they know it
// (remapsIdentifier).
func cloudOnlyChecks(b *planBuilder, in *Input, o *Options, c *matching.Cloud) bool {
	holds := HoldsOf(&in.Tenant, c.ID)
	refuse := func(code RefusalCode, reason, fix string) bool {
		b.refuse(c.ID, c.UserPrincipalName, code, reason, fix)
		return false
	}
	switch {
	case c.Synced():
		return refuse(RefuseSynced, "the user is already synced from AD", "")
	case strings.EqualFold(c.UserType, "Guest"):
		return refuse(RefuseGuest, "the user is a guest: how sync matches guests is undocumented", "convert guests by hand, or make the user a member first")
	case in.Tenant.Features.BlockCloudObjectTakeoverHardMatch:
		return refuse(EngineRefusal(matching.InvalidHardMatch), "blockCloudObjectTakeoverThroughHardMatchEnabled is on: sync will refuse to take over the cloud user", "turn the feature off for the duration of the conversion (PATCH /directory/onPremisesSynchronization/{id})")
	}
	if hardeningInForce(in.Tenant.AsOf) {
		if p := privilegedHolds(holds); len(p) > 0 {
			return refuse(EngineRefusal(matching.InvalidHardMatch),
				"the user is assigned or eligible for a privileged Entra role: since 1 July 2026 Entra refuses to hard-match such users, whatever this tool allows",
				"first "+removeFirst(p)+"; convert, then assign the role again")
		}
	}
	if len(holds) > 0 && !o.AllowRoles {
		return refuse(RefuseRoleHolder, "the user holds Entra roles ("+describeHolds(holds)+"); Microsoft advises against syncing AD accounts onto cloud admin accounts",
			"remove the roles first, or plan again with role holders allowed if this is intended")
	}
	return true
}

// remapsIdentifier reports whether a hard match of c to the AD object ad (zero when the plan
// creates it) would re-map a cloud user that still carries onPremisesObjectIdentifier to another
// AD object. An identifier that names ad itself (the same object returning, or an SOA rollback) is
// not a remap; whether Entra agrees is undocumented, and the matching engine makes the same
// choice (docs/engine.md).
func remapsIdentifier(t *matching.TenantState, c *matching.Cloud, ad anchor.ObjectGUID) bool {
	return c.OnPremisesObjectIdentifier != "" && !bypassOn(t) && !sameADObject(c.OnPremisesObjectIdentifier, ad)
}

// adObjectGUID returns the objectGUID of the input's AD object dn, or zero.
func adObjectGUID(in *Input, dn string) anchor.ObjectGUID {
	for i := range in.OnPrem {
		if in.OnPrem[i].DN == dn {
			return in.OnPrem[i].ObjectGUID
		}
	}
	return anchor.ObjectGUID{}
}

// stampedImmutableID returns the ImmutableID the changes stamp on the cloud user, or "".
func stampedImmutableID(changes []Change) string {
	for _, ch := range changes {
		if ch.Action == SetImmutableID {
			if s, ok := ch.After.Text(); ok {
				return s
			}
		}
	}
	return ""
}

func identifierReason(id string) string {
	return fmt.Sprintf("the user still carries onPremisesObjectIdentifier %s from an earlier sync, which names another AD object: since 1 July 2026 Entra refuses to hard-match it to a different AD object (\"Hard match operation blocked due to security hardening\")", id)
}

func bypassOn(t *matching.TenantState) bool {
	return t.Known&matching.KnownBypassFlag != 0 && t.Features.AllowObjectIdentifierUpdate
}

func describeHolds(hs []RoleHold) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, h.String())
	}
	return strings.Join(parts, "; ")
}

// hardeningNotes tells the reviewer of a hard-match plan what the July 2026 checks could not see.
func hardeningNotes(b *planBuilder, in *Input) {
	t := &in.Tenant
	if !hardeningInForce(t.AsOf) {
		return
	}
	if t.Known&matching.KnownObjectIdentifier == 0 {
		b.p.Notes = append(b.p.Notes, "users' onPremisesObjectIdentifier was not read: a user still carrying it from an earlier sync could not be refused, and Entra will block its hard match (AttributeUpdateNotAllowed)")
	}
	if t.Known&matching.KnownEligibilities == 0 {
		b.p.Notes = append(b.p.Notes, "PIM role eligibilities were not read: a user eligible for a privileged role could not be refused here; apply re-checks each user's roles and eligibilities before writing")
	}
	if t.Known&matching.KnownRoleDefinitions == 0 && (len(t.Roles) > 0 || len(t.Eligibilities) > 0) {
		b.p.Notes = append(b.p.Notes, "role definitions were not read: every role counts as privileged")
	}
	if t.Known&matching.KnownGroupMembers == 0 {
		b.p.Notes = append(b.p.Notes, "members of role-assignable groups were not read: roles held through groups could not be seen here; apply re-checks them")
	}
	if bypassOn(t) {
		b.p.Notes = append(b.p.Notes, "the tenant's allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is on, so users carrying onPremisesObjectIdentifier were not refused; turn it off again once the conversion is done")
	}
}

// PlanHardMatch plans cloud-only->synced conversion by hard match from the cloud side (docs/entra-rules.md
// §5 option B). For each selected cloud-only user:
//
//   - an AD user with the same UPN or primary SMTP address exists: first the cloud proxy
//     addresses and mail it lacks are copied to it (sync overwrites cloud values with AD values
//     on takeover, docs/entra-rules.md §2.1; each copied address is checked against every other AD object),
//     then its anchor (mS-DS-ConsistencyGuid if set, else objectGUID, per Input.Config) is
//     stamped as the cloud user's onPremisesImmutableId;
//   - no AD user exists and Options.CreateOU is set: one is created there with the cloud UPN,
//     proxy addresses, mail, mailNickname and a sAMAccountName derived from it, and with
//     mS-DS-ConsistencyGuid set in advance (the cloud ImmutableID when it is a GUID, else the
//     cloud object id), which is then stamped on the cloud user.
//
// Refused: synced users, guests, tenants with blockCloudObjectTakeoverThroughHardMatchEnabled,
// users assigned or eligible for a privileged role and users still carrying
// onPremisesObjectIdentifier (since July 2026, whatever AllowRoles says: Entra blocks them), other
// role holders (unless AllowRoles), an anchor another cloud object already carries, an AD user out
// of sync scope, duplicate values, and any user for which Options.Predict does not predict
// "hard-match" onto that cloud user.
func PlanHardMatch(in *Input, o *Options) *Plan { return withBypass(in, o, planHardMatch) }

func planHardMatch(in *Input, o *Options) *Plan {
	b := newPlan(in, MethodHardMatch, o)
	users := selectCloud(b, in, o, func(c *matching.Cloud) bool { return !c.Synced() && !strings.EqualFold(c.UserType, "Guest") })
	addrs := indexAddresses(in.OnPrem)
	var plans []subjectPlan
	newDNs := map[string]bool{}
	newSAMs := map[string]bool{}
	for _, c := range users {
		if !cloudOnlyChecks(b, in, o, c) {
			continue
		}
		sp, code, reason, fix := planOneHardMatch(in, o, c, addrs, newDNs, newSAMs)
		if code == "" && hardeningInForce(in.Tenant.AsOf) && remapsIdentifier(&in.Tenant, c, adObjectGUID(in, sp.dn)) {
			code, reason, fix = RefuseObjectIdentifier, identifierReason(c.OnPremisesObjectIdentifier), ObjectIdentifierFix(c.ID)
		}
		if code != "" {
			b.refuse(c.ID, c.UserPrincipalName, code, reason, fix)
			continue
		}
		plans = append(plans, sp)
	}
	if len(users) > 0 {
		hardeningNotes(b, in)
	}
	finish(b, in, o, plans, matching.HardMatch)
	return b.p
}

func planOneHardMatch(in *Input, o *Options, c *matching.Cloud, addrs addrIndex, newDNs, newSAMs map[string]bool) (sp subjectPlan, code RefusalCode, reason, fix string) {
	sp = subjectPlan{subject: c.ID, upn: c.UserPrincipalName, cloudID: c.ID}
	cand := findAD(in.OnPrem, c)
	if len(cand) > 1 {
		var dns []string
		for _, i := range cand {
			dns = append(dns, in.OnPrem[i].DN)
		}
		return sp, RefuseAmbiguous, fmt.Sprintf("more than one AD user has the UPN or primary SMTP address of the cloud user: %s", strings.Join(dns, "; ")), "remove the duplicate value in AD"
	}
	toCopy := func(self int, have []string) (add []string, code RefusalCode, reason string) {
		has := map[string]bool{}
		for _, p := range have {
			has[proxyAddr(p)] = true
		}
		hasPrimary := primarySMTP(have) != ""
		for _, p := range c.ProxyAddresses {
			if reservedProxy(p) || has[proxyAddr(p)] {
				continue
			}
			if dn := addrs.heldByOther(in.OnPrem, proxyAddr(p), self); dn != "" {
				return nil, RefuseDuplicate, fmt.Sprintf("the cloud address %s is already held in AD by %s", p, dn)
			}
			if strings.HasPrefix(p, "SMTP:") && hasPrimary {
				p = "smtp:" + p[5:] // keep the AD primary; the cloud primary becomes secondary
			}
			add = append(add, p)
		}
		return add, "", ""
	}
	if len(cand) == 1 {
		i := cand[0]
		ad := &in.OnPrem[i]
		sp.dn = ad.DN
		if !inScope(&in.Config, ad.DN) {
			return sp, RefuseOutOfScope, fmt.Sprintf("the AD user %s is outside the sync scope", ad.DN), "move it into a synced OU first"
		}
		a, ok := adAnchor(&in.Config, ad)
		if !ok {
			return sp, RefuseCustom, fmt.Sprintf("the AD user %s has no value in the custom sourceAnchor attribute", ad.DN), "set the attribute first"
		}
		if h := anchorHolder(in.Cloud, a, c.ID); h != nil {
			return sp, RefuseAnchorInUse, fmt.Sprintf("the anchor %s of %s is already the onPremisesImmutableId of cloud object %s (%s)", a, ad.DN, h.ID, h.UserPrincipalName), "resolve which cloud object this AD user belongs to"
		}
		tgt := Target{Side: SideOnPrem, GUID: ad.ObjectGUID, DN: ad.DN, UPN: ad.UserPrincipalName}
		add, code, reason := toCopy(i, ad.ProxyAddresses)
		if code != "" {
			return sp, code, reason, "remove the address from the other AD object, or from the cloud user"
		}
		if len(add) > 0 {
			sp.changes = append(sp.changes, Change{Action: SetProxyAddresses, Target: tgt, Subject: c.ID,
				Before: List(ad.ProxyAddresses), After: List(append(slices.Clone(ad.ProxyAddresses), add...)),
				Reason: fmt.Sprintf("copy the cloud addresses %s to AD: on takeover sync replaces the cloud proxyAddresses with the AD ones", strings.Join(add, ", "))})
		}
		if ad.Mail == "" && c.Mail != "" {
			if dn := addrs.heldByOther(in.OnPrem, c.Mail, i); dn != "" {
				return sp, RefuseDuplicate, fmt.Sprintf("the cloud mail %s is already held in AD by %s", c.Mail, dn), "remove the address from the other AD object"
			}
			sp.changes = append(sp.changes, Change{Action: SetMail, Target: tgt, Subject: c.ID, Before: Null(), After: Text(c.Mail),
				Reason: "copy the cloud mail to AD so takeover keeps it"})
		}
		if c.ImmutableID != a {
			sp.changes = append(sp.changes, Change{Action: SetImmutableID, Target: cloudTarget(c), Subject: c.ID,
				Before: TextOrNull(c.ImmutableID.String()), After: Text(a.String()),
				Reason: fmt.Sprintf("stamp the anchor of %s (%s) so the next sync cycle hard-matches it to this user", ad.DN, anchorSource(&in.Config, ad))})
		}
		if len(sp.changes) == 0 {
			return sp, RefuseAlreadyDone, "the cloud user already carries the AD user's anchor: the next sync cycle hard-matches it", ""
		}
		return sp, "", "", ""
	}
	// No AD user: create one.
	if o.CreateOU == "" {
		return sp, RefuseNoADUser, "no AD user has the cloud user's UPN or primary SMTP address", "create the AD user, or plan again with an OU to create users in"
	}
	if !inScope(&in.Config, "CN=x,"+o.CreateOU) {
		return sp, RefuseOutOfScope, fmt.Sprintf("the OU %s is outside the sync scope", o.CreateOU), "choose a synced OU"
	}
	var g anchor.ObjectGUID
	if cg, ok := c.ImmutableID.GUID(); ok {
		g = cg
	} else if !c.ImmutableID.IsZero() {
		return sp, RefuseCustom, fmt.Sprintf("the cloud user's ImmutableID %s is not a GUID anchor", c.ImmutableID), "clear it first, or use a custom anchor attribute"
	} else {
		var err error
		if g, err = anchor.ParseGUID(c.ID); err != nil {
			return sp, RefuseInvalidInput, fmt.Sprintf("the cloud object id %q is not a GUID", c.ID), ""
		}
	}
	a := anchor.AnchorOf(g)
	for i := range in.OnPrem {
		if in.OnPrem[i].ObjectGUID == g || in.OnPrem[i].ConsistencyGUID == g {
			return sp, RefuseAnchorInUse, fmt.Sprintf("the anchor %s is already used by %s", a, in.OnPrem[i].DN), ""
		}
	}
	if h := anchorHolder(in.Cloud, a, c.ID); h != nil {
		return sp, RefuseAnchorInUse, fmt.Sprintf("the anchor %s is already the onPremisesImmutableId of cloud object %s", a, h.ID), ""
	}
	sam := samFrom(cmpOr(c.MailNickname, strings.SplitN(c.UserPrincipalName, "@", 2)[0]))
	if sam == "" || newSAMs[strings.ToLower(sam)] || slices.ContainsFunc(in.OnPrem, func(x matching.OnPrem) bool { return strings.EqualFold(x.SAMAccountName, sam) }) {
		return sp, RefuseDuplicate, fmt.Sprintf("the sAMAccountName %q derived from the cloud user is empty or already taken", sam), "create the AD user by hand"
	}
	var proxies []string
	for _, p := range c.ProxyAddresses {
		if reservedProxy(p) {
			continue
		}
		if dn := addrs.heldByOther(in.OnPrem, proxyAddr(p), -1); dn != "" {
			return sp, RefuseDuplicate, fmt.Sprintf("the cloud address %s is already held in AD by %s", p, dn), "remove the address from the other AD object"
		}
		proxies = append(proxies, p)
	}
	nu := NewUser{ParentDN: o.CreateOU, CN: cmpOr(c.DisplayName, sam), UPN: c.UserPrincipalName, SAMAccountName: sam,
		MailNickname: c.MailNickname, Mail: c.Mail, ProxyAddresses: proxies, DisplayName: c.DisplayName,
		GivenName: c.GivenName, Surname: c.Surname, ConsistencyGUID: g}
	at := nu.DN()
	if newDNs[dn.Key(at)] || slices.ContainsFunc(in.OnPrem, func(x matching.OnPrem) bool { return dn.Equal(x.DN, at) }) {
		return sp, RefuseDuplicate, fmt.Sprintf("an AD object already exists at %s", at), "create the AD user by hand"
	}
	newDNs[dn.Key(at)] = true
	newSAMs[strings.ToLower(sam)] = true
	sp.dn = at
	sp.changes = append(sp.changes, Change{Action: CreateUser, Target: Target{Side: SideOnPrem, DN: at, UPN: c.UserPrincipalName}, Subject: c.ID,
		Before: Null(), After: Text(at), Create: &nu,
		Reason: "create the AD user from the cloud user, with mS-DS-ConsistencyGuid set in advance; it is created disabled and without a password: set a password and enable it before the next sync cycle, or sync disables the cloud account"})
	if c.ImmutableID != a {
		sp.changes = append(sp.changes, Change{Action: SetImmutableID, Target: cloudTarget(c), Subject: c.ID,
			Before: TextOrNull(c.ImmutableID.String()), After: Text(a.String()),
			Reason: "stamp the new AD user's mS-DS-ConsistencyGuid as the anchor so the next sync cycle hard-matches it"})
	}
	return sp, "", "", ""
}

func anchorSource(cfg *matching.Config, o *matching.OnPrem) string {
	if cfg.SourceAnchor == matching.AnchorObjectGUID || o.ConsistencyGUID.IsZero() {
		return "objectGUID"
	}
	return "mS-DS-ConsistencyGuid"
}

// samFrom derives a sAMAccountName: characters AD forbids removed, at most 20 characters.
func samFrom(s string) string {
	var b []rune
	for _, r := range s {
		if strings.ContainsRune(`"/\[]:;|=,+*?<>@ `, r) || r < 0x20 {
			continue
		}
		b = append(b, r)
		if len(b) == 20 {
			break
		}
	}
	return strings.TrimRight(string(b), ".")
}

// finish verifies the subjects with the Predictor (when set) and numbers the changes.
func finish(b *planBuilder, in *Input, o *Options, plans []subjectPlan, want ...matching.Outcome) {
	if o.Predict == nil && len(plans) > 0 && len(want) > 0 {
		b.p.Notes = append(b.p.Notes, "sync outcomes were not verified: no matching engine (Options.Predict) was given")
	}
	if o.Predict != nil && len(plans) > 0 {
		onprem, cloud, moved := projected(in, plans)
		rep := o.Predict(in.Config, in.Tenant, onprem, cloud)
		byDN := map[string]*matching.ObjectResult{}
		for i := range rep.Objects {
			if r := &rep.Objects[i]; r.Side == matching.SideOnPrem {
				byDN[dn.Key(r.DN)] = r
			}
		}
		kept := plans[:0]
		for _, sp := range plans {
			// The prediction is made on the projected state: look the AD object up under the DN
			// it has after the changes (a move-user changes it), not the one it has now.
			at := sp.dn
			if d, ok := moved[dn.Key(sp.dn)]; ok {
				at = d
			}
			r := byDN[dn.Key(at)]
			switch {
			case r == nil:
				b.refuse(sp.subject, sp.upn, RefusePrediction, fmt.Sprintf("the matching engine has no prediction for %s", at), "")
			case !slices.Contains(want, r.Outcome) || (sp.cloudID != "" && r.Target != sp.cloudID):
				code := RefusePrediction
				if r.Outcome == matching.Blocked {
					code = EngineRefusal(r.Code)
				}
				b.refuse(sp.subject, sp.upn, code, fmt.Sprintf("after the changes, sync is predicted to do %q with %s (target %q), not %v onto %s: %s", r.Outcome, at, r.Target, want, sp.cloudID, r.Reason), r.Fix)
			default:
				kept = append(kept, sp)
			}
		}
		plans = kept
	}
	for _, sp := range plans {
		for _, c := range sp.changes {
			b.add(c)
		}
	}
}

// projected returns copies of the input records with the planned changes made, for prediction,
// and, for every AD object whose DN the changes alter (move-user), its new DN keyed by its
// lower-cased current DN. AD objects are found by objectGUID, or by DN when the target carries
// no objectGUID (an input without objectGUIDs must not have every change land on one object).
func projected(in *Input, plans []subjectPlan) ([]matching.OnPrem, []matching.Cloud, map[string]string) {
	onprem := slices.Clone(in.OnPrem)
	cloud := slices.Clone(in.Cloud)
	moved := map[string]string{}
	byGUID := map[anchor.ObjectGUID]int{}
	byDN := map[string]int{}
	for i := range onprem {
		if !onprem[i].ObjectGUID.IsZero() {
			byGUID[onprem[i].ObjectGUID] = i
		}
		byDN[dn.Key(onprem[i].DN)] = i
	}
	find := func(t Target) (int, bool) {
		if !t.GUID.IsZero() {
			i, ok := byGUID[t.GUID]
			return i, ok
		}
		i, ok := byDN[dn.Key(t.DN)]
		return i, ok && t.DN != ""
	}
	byID := map[string]int{}
	for i := range cloud {
		if !cloud[i].Deleted {
			byID[cloud[i].ID] = i
		}
	}
	for _, sp := range plans {
		for _, c := range sp.changes {
			s, _ := c.After.Text()
			switch c.Action {
			case CreateUser:
				u := c.Create
				onprem = append(onprem, matching.OnPrem{DN: u.DN(), Class: matching.ClassUser, ObjectGUID: anchor.FromArray([16]byte{0xff, byte(len(onprem)), byte(len(onprem) >> 8), byte(len(onprem) >> 16)}),
					ConsistencyGUID: u.ConsistencyGUID, UserPrincipalName: u.UPN, ProxyAddresses: u.ProxyAddresses, Mail: u.Mail,
					MailNickname: u.MailNickname, SAMAccountName: u.SAMAccountName, DisplayName: u.DisplayName, Source: "planned"})
			case SetImmutableID, ClearImmutableID:
				if i, ok := byID[c.Target.ID]; ok {
					cloud[i].ImmutableID, _ = anchor.ParseSourceAnchor(s)
				}
			case ClearOnPremAttributes:
				if i, ok := byID[c.Target.ID]; ok {
					u := &cloud[i]
					u.ImmutableID = anchor.SourceAnchor{}
					u.OnPremisesObjectIdentifier, u.OnPremisesDistinguishedName, u.OnPremisesSamAccountName = "", "", ""
					u.OnPremisesSecurityIdentifier, u.OnPremisesUserPrincipalName = "", ""
				}
			case SetCloudManaged:
				if i, ok := byID[c.Target.ID]; ok {
					cloud[i].CloudManaged, _ = c.After.Bool()
					cloud[i].SyncEnabled = nil
				}
			case SetConsistencyGUID, SetProxyAddresses, SetMail, SetUPN, MoveUser:
				i, ok := find(c.Target)
				if !ok {
					continue
				}
				o := &onprem[i]
				switch c.Action {
				case SetConsistencyGUID:
					o.ConsistencyGUID, _ = anchor.ParseGUID(s)
				case SetProxyAddresses:
					o.ProxyAddresses, _ = c.After.List()
				case SetMail:
					o.Mail = s
				case SetUPN:
					o.UserPrincipalName = s
				case MoveUser:
					from := dn.Key(in.OnPrem[i].DN)
					o.DN = o.DN[:len(o.DN)-len(ParentDN(o.DN))] + s
					moved[from] = o.DN
				}
			}
		}
	}
	return onprem, cloud, moved
}
