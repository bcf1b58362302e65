package matching

import (
	"strconv"
	"strings"

	"github.com/hybridid/hybridid/dn"
)

// desc is describeCloud built in the arena.
func (s *scratch) desc(c *Cloud) string {
	name := c.UserPrincipalName
	if name == "" {
		name = c.DisplayName
	}
	if name == "" {
		return s.arena.say(c.Class.String(), " ", c.ID)
	}
	return s.arena.say(c.Class.String(), " ", c.ID, " (", name, ")")
}

func describeCloud(c *Cloud) string {
	s := c.Class.String() + " " + c.ID
	if c.UserPrincipalName != "" {
		s += " (" + c.UserPrincipalName + ")"
	} else if c.DisplayName != "" {
		s += " (" + c.DisplayName + ")"
	}
	return s
}

func (e *engine) evalOnPrem(i int, r *ObjectResult, s *scratch) int32 {
	o := &e.on[i]
	in := &e.info[i]
	*r = ObjectResult{Side: SideOnPrem, Class: o.Class, DN: o.DN, UPN: o.UserPrincipalName, Anchor: in.anchor.String()}

	switch in.scope {
	case inError:
		e.readError(o, r)
		return -1
	case outUnknownClass:
		r.Outcome, r.Reason = OutOfScope, "The object is not a user, group or contact, so sync does not handle it."
		return -1
	case outOU:
		r.Outcome, r.Reason = OutOfScope, "The object is outside every OU in sync scope, so sync ignores it."
		r.Fix = "Move it into a synced OU, or add its OU to the sync scope, if it should be synced."
		return -1
	case outNoSAM:
		r.Outcome, r.Reason = OutOfScope, "The user has no sAMAccountName, so Connect's default cloudFiltered rule drops it."
		return -1
	case outFilteredSAM:
		r.Outcome = OutOfScope
		r.Reason = "The sAMAccountName " + o.SAMAccountName + " is one Connect's default cloudFiltered rule drops (AAD_, MSOL_, CAS_…}, SUPPORT_388945a0)."
		return -1
	case outNoAnchor:
		r.Outcome = OutOfScope
		r.Reason = "The object has no value for the source anchor attribute (" + e.cfg.SourceAnchor.String() + "), so sync cannot export it."
		r.Fix = "Set the source anchor attribute on the object."
		return -1
	}

	// Duplicate anchors on-premises (docs/entra-rules.md §1.5: the anchor must be globally unique).
	if other, n := e.otherOnPremWithAnchor(i); n > 0 {
		r.Outcome, r.Code = Blocked, AmbiguousMatch
		r.Reason = "The source anchor " + in.anchor.String() + " is also carried by " + other + plural(n-1, " and %d more on-premises object") +
			", and sync can export only one object per anchor."
		r.Fix = "Give each object its own mS-DS-ConsistencyGuid (clear the copied value on the object that should not keep it)."
		return -1
	}

	if o.Class == ClassUser {
		if v := CheckUPN(o.UserPrincipalName); v != nil {
			r.Outcome, r.Code = Blocked, IdentityDataValidationFailed
			r.Reason = "The userPrincipalName " + strconv.Quote(o.UserPrincipalName) + " " + violations(v) +
				", which Microsoft's username policy does not allow, so Entra refuses the object (Data validation failure)."
			r.Fix = "Correct userPrincipalName on the AD object: at most 64 characters of A-Z a-z 0-9 ' . - _ ! # ^ ~ before '@' (no '.' right before it), " +
				"a domain of at most 48 characters after it, 113 in all."
			return -1
		}
	}

	if t, done := e.hardStep(i, r, s); done {
		return t
	}
	if t, done := e.softStep(i, r, s); done {
		return t
	}
	e.newObject(i, r, s)
	return -1
}

// violations joins the messages of v: "is x; is y".
func violations(v []Violation) string {
	var b strings.Builder
	for k := range v {
		if k > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v[k].Message)
	}
	return b.String()
}

// readError fills r for an object whose data could not be read.
func (e *engine) readError(o *OnPrem, r *ObjectResult) {
	r.Outcome = Error
	var b strings.Builder
	b.WriteString("The object could not be read, so what sync does with it cannot be predicted: ")
	for k := range o.ReadErrors {
		if k > 0 {
			b.WriteString("; ")
		}
		b.WriteString(o.ReadErrors[k].Error())
	}
	b.WriteString(".")
	r.Reason = b.String()
	r.Fix = "Correct the value in AD (or in the export) and run the prediction again."
}

// cloudSyncUPN is what a soft match's reason adds under Cloud Sync: a match on UPN alone is
// uncertain there (a user report says Cloud Sync matched on the primary SMTP address only).
func (e *engine) cloudSyncUPN(kind Outcome) string {
	if kind != SoftMatchUPN || e.cfg.Client != CloudSync {
		return ""
	}
	return " Under Cloud Sync this is uncertain: a user report says Cloud Sync soft-matched on the primary SMTP address only, and created a duplicate for a user with the same UPN and no mail."
}

func plural(n int, format string) string {
	if n <= 0 {
		return ""
	}
	s := strings.Replace(format, "%d", strconv.Itoa(n), 1)
	if n > 1 {
		s += "s"
	}
	return s
}

// otherOnPremWithAnchor returns the DN of the first other in-scope object with i's anchor and
// how many there are.
func (e *engine) otherOnPremWithAnchor(i int) (string, int) {
	if e.flags[i]&sharedAnchor == 0 {
		return "", 0
	}
	a := e.info[i].anchor.String()
	first, n := "", 0
	for q := e.onAnchor.first(exactHash(a)); q >= 0; q = e.onAnchor.next[q] {
		j := int(e.onAnchor.obj[q])
		if j == i || e.info[j].scope != inScope || e.info[j].anchor.String() != a {
			continue
		}
		if n == 0 {
			first = e.on[j].DN
		}
		n++
	}
	return first, n
}

// hardStep looks for cloud objects whose onPremisesImmutableId equals the anchor (docs/entra-rules.md §2.1).
func (e *engine) hardStep(i int, r *ObjectResult, s *scratch) (int32, bool) {
	o := &e.on[i]
	a := e.info[i].anchor.String()
	s.cands, s.alive = s.cands[:0], s.alive[:0]
	for q := e.clAnchor.first(exactHash(a)); q >= 0; q = e.clAnchor.next[q] {
		c := e.clAnchor.obj[q]
		x := &e.cl[c]
		if x.ImmutableID.String() != a || !e.restorable(x) {
			continue
		}
		s.cands = append(s.cands, c)
		if !x.Deleted {
			s.alive = append(s.alive, c)
		}
	}
	var t int32
	switch {
	case len(s.cands) == 0:
		return -1, false
	case len(s.alive) == 1:
		t = s.alive[0]
	case len(s.cands) == 1:
		t = s.cands[0]
	default:
		r.Outcome, r.Code = Blocked, AmbiguousMatch
		r.Target = e.cl[s.cands[0]].ID
		r.Reason = strconv.Itoa(len(s.cands)) + " cloud objects (" + e.idList(s.cands) + ") have onPremisesImmutableId " + a + ", so the hard match is ambiguous."
		r.Fix = "Clear onPremisesImmutableId on the cloud objects that should not be matched (hard-delete stale ones from deleted items)."
		return s.cands[0], true
	}
	x := &e.cl[t]
	r.Target = x.ID
	if x.Class != o.Class {
		r.Outcome, r.Code = Blocked, ObjectTypeMismatch
		r.Reason = "The cloud " + describeCloud(x) + " has onPremisesImmutableId " + a + " but is a " + x.Class.String() + ", not a " + o.Class.String() + "."
		r.Fix = "Clear onPremisesImmutableId on the cloud object, or fix the anchor on the AD object."
		return t, true
	}
	if x.Synced() && !x.Deleted {
		if e.remaps(o, x) {
			if e.hardened && !e.bypass() {
				r.Outcome, r.Code = Blocked, AttributeUpdateNotAllowed
				r.Reason = "The synced " + describeCloud(x) + " carries anchor " + a + " but its onPremisesObjectIdentifier " + x.OnPremisesObjectIdentifier +
					" names another AD object (this one's objectGUID is " + o.ObjectGUID.String() + "); since 1 July 2026 Entra refuses to re-map it: " +
					"\"Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.\"" + e.undated()
				r.Fix = "If this AD object really replaces the old one, clear onPremisesObjectIdentifier on the cloud user (PATCH https://graph.microsoft.com/beta/users/" + x.ID +
					" with {\"onPremisesObjectIdentifier\": null}, or Clear-ADSyncToolsOnPremisesAttribute from ADSyncTools 2.5.0 or later) and sync again; otherwise take this AD object out of scope."
				return t, true
			}
			e.flags[i] |= flagRemap
			r.Outcome = Joined
			r.Reason = "The synced " + describeCloud(x) + " carries anchor " + a + " but its onPremisesObjectIdentifier " + x.OnPremisesObjectIdentifier +
				" names another AD object: sync re-maps it to this object"
			if e.hardened {
				r.Reason += ", allowed only because allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is on."
				r.Fix = "Turn allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled off again once the re-mapping is done."
			} else {
				r.Reason += " (before Entra's July 2026 hard-match protections)."
			}
			e.exporting(i, r, t, s)
			return t, true
		}
		r.Outcome = Joined
		if !e.brief {
			r.Reason = s.arena.say("The synced ", s.desc(x), " already carries anchor ", a, ": an ordinary update, no matching.")
		}
		e.exporting(i, r, t, s)
		return t, true
	}
	if x.CloudManaged {
		r.Outcome, r.Code = Blocked, CloudManaged
		r.Reason = "The cloud " + describeCloud(x) + " has onPremisesImmutableId " + a + " but its source of authority is the cloud (isCloudManaged), so sync skips it (event 6956)."
		r.Fix = "To let AD manage it again set isCloudManaged to false (and turn off blockCloudObjectTakeoverThroughHardMatchEnabled meanwhile); otherwise take the AD object out of scope."
		if x.Class == ClassUser && e.hardened {
			if h, _, ok := e.ri.privileged(x.ID); ok {
				r.Reason += " After such a rollback the July 2026 hard-match protections also apply unless the account has writeback enabled: the user " + e.ri.describe(h) + "."
				r.Fix += " " + e.ri.removeFix(h) + " before the rollback, and add it back afterwards."
			}
		}
		return t, true
	}
	if e.t.Features.BlockCloudObjectTakeoverHardMatch {
		r.Outcome, r.Code = Blocked, InvalidHardMatch
		r.Reason = "The cloud " + describeCloud(x) + " has onPremisesImmutableId " + a + ", but blockCloudObjectTakeoverThroughHardMatchEnabled is on, so Entra refuses the takeover."
		r.Fix = "Turn blockCloudObjectTakeoverThroughHardMatchEnabled off for the matching run and back on afterwards, or clear onPremisesImmutableId on the cloud object."
		return t, true
	}
	note := ""
	if x.Class == ClassUser && e.hardened {
		if done, n := e.protections(o, x, a, r); done {
			return t, true
		} else {
			note = n
		}
	}
	r.Outcome = HardMatch
	if e.brief {
		// no reason
	} else if x.Deleted {
		r.Reason = s.arena.say("The soft-deleted ", s.desc(x), ", deleted on ", x.DeletedAt.UTC().Format("2006-01-02"),
			" and restorable for 30 days, has onPremisesImmutableId ", a, ": sync restores it and takes it over.", note)
	} else {
		r.Reason = s.arena.say("The not-synced ", s.desc(x), " has onPremisesImmutableId ", a, ": sync takes it over and overwrites its attributes with the AD values.", note)
	}
	e.exporting(i, r, t, s)
	return t, true
}

// protections applies Entra's July 2026 hard-match protections to the hard match of o onto the
// cloud user x (live or soft-deleted): a privileged role held, active or eligible, directly or
// through a group, refuses it with InvalidHardMatch; an onPremisesObjectIdentifier already set
// refuses it with AttributeUpdateNotAllowed unless the bypass flag is on. done is true when r
// now says blocked; otherwise note is what the hard-match reason should add.
func (e *engine) protections(o *OnPrem, x *Cloud, a string, r *ObjectResult) (done bool, note string) {
	kind := "cloud "
	if x.Deleted {
		kind = "soft-deleted "
	}
	idBlocks, idNote := e.identifierBlocks(o, x)
	if h, guessed, ok := e.ri.privileged(x.ID); ok {
		r.Outcome, r.Code = Blocked, InvalidHardMatch
		r.Reason = "The " + kind + describeCloud(x) + " has onPremisesImmutableId " + a + " but " + e.ri.describe(h) +
			"; since 1 July 2026 Entra refuses to hard-match a user that is assigned or eligible for a privileged role"
		if x.Deleted {
			r.Reason += ", soft-deleted ones included"
		}
		r.Reason += "."
		if guessed {
			r.Reason += " The input does not say whether " + e.ri.roleName(h.a.RoleDefinitionID) + " is privileged, so it is taken as privileged."
		}
		if idBlocks {
			r.Reason += " Its onPremisesObjectIdentifier " + x.OnPremisesObjectIdentifier + " is set too, which would block the match on its own."
		}
		r.Reason += e.undated()
		r.Fix = e.ri.removeFix(h)
		if x.Deleted {
			r.Fix = "Restore the user from deleted items, then " + strings.ToLower(r.Fix[:1]) + r.Fix[1:]
		}
		r.Fix += ", and any other privileged role or eligibility it holds; let sync match it; then assign the role again."
		if idBlocks {
			r.Fix += " Clear its onPremisesObjectIdentifier first as well (PATCH https://graph.microsoft.com/beta/users/" + x.ID + " with {\"onPremisesObjectIdentifier\": null})."
		}
		return true, ""
	}
	if idBlocks {
		r.Outcome, r.Code = Blocked, AttributeUpdateNotAllowed
		r.Reason = "The " + kind + describeCloud(x) + " has onPremisesImmutableId " + a + " but its onPremisesObjectIdentifier is already set (" + x.OnPremisesObjectIdentifier +
			"); since 1 July 2026 Entra refuses such a hard match: \"Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.\"" + idNote + e.undated()
		r.Fix = "Check that this AD object is the one the cloud user should belong to; then clear onPremisesObjectIdentifier (PATCH https://graph.microsoft.com/beta/users/" + x.ID +
			" with {\"onPremisesObjectIdentifier\": null}, or Clear-ADSyncToolsOnPremisesAttribute from ADSyncTools 2.5.0 or later) and sync again, " +
			"or turn allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on for the run and off afterwards."
		return true, ""
	}
	return false, idNote + e.unchecked() + e.undated()
}

// identifierBlocks says whether x's onPremisesObjectIdentifier blocks a hard match of o, and
// what the reason should add either way.
func (e *engine) identifierBlocks(o *OnPrem, x *Cloud) (bool, string) {
	if e.t.Known&KnownObjectIdentifier == 0 || x.OnPremisesObjectIdentifier == "" {
		return false, ""
	}
	if same, ok := sameADObject(o, x.OnPremisesObjectIdentifier); ok && same {
		return false, " Its onPremisesObjectIdentifier is this AD object's own objectGUID: the same object coming back, which Microsoft does not document; predicted to match."
	}
	if e.bypass() {
		return false, " Its onPremisesObjectIdentifier " + x.OnPremisesObjectIdentifier +
			" names another AD object; the match goes through only because allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is on."
	}
	if e.t.Known&KnownBypassFlag == 0 {
		return true, " The input does not say whether allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is on; it is taken as off, its default."
	}
	return true, ""
}

// remaps reports whether the synced cloud user x, which carries o's anchor, names another AD
// object in its onPremisesObjectIdentifier. Without the identifier, or when it is not GUID
// text, nothing is said.
func (e *engine) remaps(o *OnPrem, x *Cloud) bool {
	if x.Class != ClassUser || e.t.Known&KnownObjectIdentifier == 0 || x.OnPremisesObjectIdentifier == "" {
		return false
	}
	same, ok := sameADObject(o, x.OnPremisesObjectIdentifier)
	return ok && !same
}

// bypass reports whether the tenant's allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is
// known to be on.
func (e *engine) bypass() bool {
	return e.t.Known&KnownBypassFlag != 0 && e.t.Features.AllowObjectIdentifierUpdate
}

// undated is what a reason about a dated rule adds when the input has no date.
func (e *engine) undated() string {
	if e.asOfKnown {
		return ""
	}
	return " The input has no date, so the July 2026 protections are taken to be in force."
}

// softStep tries the soft match: primary SMTP first, then UPN when softMatchOnUpnEnabled
// (docs/entra-rules.md §2.1, §2.2, [KB-UPN]).
func (e *engine) softStep(i int, r *ObjectResult, s *scratch) (int32, bool) {
	o := &e.on[i]
	in := &e.info[i]
	if o.Class == ClassGroup && !o.MailEnabled {
		return -1, false // non-mail-enabled groups never soft-match (§2.3)
	}
	if in.smtp != "" {
		s.cands = s.cands[:0]
		for q := e.clSMTP.first(foldHash(in.smtp)); q >= 0; q = e.clSMTP.next[q] {
			c := e.clSMTP.obj[q]
			if n := len(s.cands); n > 0 && s.cands[n-1] == c {
				continue
			}
			if EqualFold(primarySMTP(e.cl[c].ProxyAddresses), in.smtp) {
				s.cands = append(s.cands, c)
			}
		}
		if len(s.cands) > 0 {
			return e.softDecide(i, r, s, SoftMatchSMTP), true
		}
	}
	if o.Class == ClassUser && e.t.Features.SoftMatchOnUPN && o.UserPrincipalName != "" {
		s.cands = s.cands[:0]
		for q := e.clUPN.first(foldHash(o.UserPrincipalName)); q >= 0; q = e.clUPN.next[q] {
			c := e.clUPN.obj[q]
			if EqualFold(e.cl[c].UserPrincipalName, o.UserPrincipalName) {
				s.cands = append(s.cands, c)
			}
		}
		if len(s.cands) > 0 {
			return e.softDecide(i, r, s, SoftMatchUPN), true
		}
	}
	return -1, false
}

func (e *engine) softDecide(i int, r *ObjectResult, s *scratch, kind Outcome) int32 {
	o := &e.on[i]
	in := &e.info[i]
	attr, value := "primary SMTP address", in.smtp
	if kind == SoftMatchUPN {
		attr, value = "userPrincipalName", o.UserPrincipalName
	}
	t := s.cands[0]
	x := &e.cl[t]
	r.Target = x.ID
	if len(s.cands) > 1 {
		r.Outcome, r.Code = Blocked, AmbiguousMatch
		r.Reason = strconv.Itoa(len(s.cands)) + " cloud objects (" + e.idList(s.cands) + ") have the " + attr + " " + value + ", so the soft match is ambiguous."
		r.Fix = "Remove the duplicate value from all but one cloud object."
		return t
	}
	if x.Class != o.Class {
		r.Outcome, r.Code = Blocked, ObjectTypeMismatch
		r.Reason = "The cloud " + describeCloud(x) + " has the same " + attr + " " + value + " but is a " + x.Class.String() + ", not a " + o.Class.String() + "."
		r.Fix = "Remove the duplicate " + attr + " from the AD object or from the cloud object."
		return t
	}
	if !x.ImmutableID.IsZero() {
		r.Outcome, r.Code = Blocked, InvalidSoftMatch
		r.Reason = "The cloud " + describeCloud(x) + " has the same " + attr + " " + value + " but already has onPremisesImmutableId " + x.ImmutableID.String() +
			", not this object's anchor " + in.anchor.String() + "."
		r.Fix = "If it is the same person, set mS-DS-ConsistencyGuid on the AD object to the cloud ImmutableID so a hard match happens; otherwise remove the duplicate value."
		return t
	}
	if x.Synced() {
		r.Outcome, r.Code = Blocked, AttributeValueMustBeUnique
		r.Reason = "The synced " + describeCloud(x) + " already holds the " + attr + " " + value + ", and synced objects are never soft-match targets."
		r.Fix = "Remove the duplicate " + attr + " from one of the AD objects."
		return t
	}
	// Only now do other AD objects with the same value matter: a synced target or one with an
	// ImmutableID refuses every newcomer on its own terms (docs/entra-rules.md §2.4, §3).
	if other, n := e.competitors(i, kind); n > 0 {
		r.Outcome, r.Code = Blocked, AmbiguousMatch
		r.Reason = "The " + attr + " " + value + " of " + describeCloud(x) + " is also on " + other + plural(n-1, " and %d more on-premises object") +
			", so more than one AD object would soft-match the same cloud object."
		r.Fix = "Remove the duplicate " + attr + " from all but one AD object."
		return t
	}
	if x.CloudManaged {
		r.Outcome, r.Code = Blocked, CloudManaged
		r.Reason = "The cloud " + describeCloud(x) + " has the same " + attr + " " + value + " but its source of authority is the cloud (isCloudManaged), so sync does not take it over."
		r.Fix = "Set isCloudManaged to false if AD should manage it, or remove the duplicate value."
		return t
	}
	if e.t.Features.BlockSoftMatch {
		r.Outcome, r.Code = Blocked, SoftMatchBlocked
		r.Reason = "The cloud " + describeCloud(x) + " has the same " + attr + " " + value + ", but blockSoftMatchEnabled is on, so Entra does not soft-match."
		r.Fix = "Turn blockSoftMatchEnabled off during the matching run, or hard-match by setting the cloud object's onPremisesImmutableId to " + in.anchor.String() + "."
		return t
	}
	if h, ok := e.ri.anyActive(x.ID); ok {
		r.Outcome, r.Code = Blocked, ExistingAdminRoleConflict
		r.Reason = "The cloud " + describeCloud(x) + " has the same " + attr + " " + value + " but " + e.ri.describe(h) +
			", and Entra does not soft-match a user holding an admin role (Existing Admin Role Conflict)."
		r.Fix = e.ri.removeFix(h) + " and any other role it holds, hard-delete the quarantined duplicate Entra creates, sync again, then re-add the roles."
		return t
	}
	eligible := ""
	if h, ok := e.ri.anyEligible(x.ID); ok {
		eligible = " The user " + e.ri.describe(h) + "; whether an eligibility alone stops a soft match is undocumented, so the match is predicted."
	}
	if x.UserType == "Guest" {
		e.flags[i] |= flagGuest
	}
	if kind == SoftMatchUPN && e.cfg.Client == CloudSync {
		e.flags[i] |= flagCloudSyncUPN
	}
	r.Outcome = kind
	how := " has the same " + attr + " "
	if kind == SoftMatchSMTP && in.smtpFromMail {
		how = " has the primary SMTP address that this object's mail gives (its proxyAddresses hold no SMTP: value), "
	}
	guest := ""
	if x.UserType == "Guest" {
		guest = " The target is a guest; whether Entra soft-matches guests is undocumented."
		r.Fix = "Check that the guest really is this person; otherwise remove the address from one of them."
	}
	if !e.brief {
		r.Reason = s.arena.say("The not-synced ", s.desc(x), how, value, " and no ImmutableID: sync takes it over and stamps anchor ",
			in.anchor.String(), " on it.", guest, eligible, e.cloudSyncUPN(kind))
	}
	e.exporting(i, r, t, s)
	return t
}

// competitors returns another in-scope on-premises object with the same soft-match value.
func (e *engine) competitors(i int, kind Outcome) (string, int) {
	o := &e.on[i]
	first, n := "", 0
	if kind == SoftMatchSMTP && e.flags[i]&sharedSMTP == 0 || kind == SoftMatchUPN && e.flags[i]&sharedUPN == 0 {
		return "", 0
	}
	if kind == SoftMatchSMTP {
		v := e.info[i].smtp
		for q := e.onSMTP.first(foldHash(v)); q >= 0; q = e.onSMTP.next[q] {
			j := int(e.onSMTP.obj[q])
			if j != i && EqualFold(e.info[j].smtp, v) {
				if n == 0 {
					first = e.on[j].DN
				}
				n++
			}
		}
		return first, n
	}
	for q := e.onUPN.first(foldHash(o.UserPrincipalName)); q >= 0; q = e.onUPN.next[q] {
		j := int(e.onUPN.obj[q])
		if j != i && EqualFold(e.on[j].UserPrincipalName, o.UserPrincipalName) {
			if n == 0 {
				first = e.on[j].DN
			}
			n++
		}
	}
	return first, n
}

func (e *engine) idList(cs []int32) string {
	var b strings.Builder
	for k, c := range cs {
		if k == 3 {
			b.WriteString(", …")
			break
		}
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.cl[c].ID)
	}
	return b.String()
}

// predictUPN returns the cloud UPN sync gives a user (docs/entra-rules.md §3.1, [UPN]): the on-premises UPN
// when its suffix is a verified domain, else mailNickname@initial domain.
func (e *engine) predictUPN(o *OnPrem) (string, bool) {
	if e.doms.verified(domainPart(o.UserPrincipalName)) {
		return o.UserPrincipalName, true
	}
	return mailNicknameOf(o) + "@" + e.doms.initialName(), false
}

// newObject fills r for an object that matches nothing (docs/entra-rules.md §2.1, §3.1).
func (e *engine) newObject(i int, r *ObjectResult, s *scratch) {
	o := &e.on[i]
	r.Outcome = New
	var why string
	switch {
	case o.Class == ClassGroup && !o.MailEnabled:
		why = " (a group that is not mail-enabled never soft-matches)"
	case e.info[i].smtp == "" && o.Class != ClassUser:
		why = " and the object has no primary SMTP address"
	case o.Class != ClassUser:
		why = " or the same primary SMTP address"
	case e.t.Features.SoftMatchOnUPN:
		why = " or the same primary SMTP address or UPN"
	default:
		why = " or the same primary SMTP address (UPN soft match is off)"
	}
	if !e.brief {
		r.Reason = s.arena.say("No cloud object has anchor ", e.info[i].anchor.String(), why, ": sync creates a new cloud ", o.Class.String(), ".")
	}
	e.exporting(i, r, -1, s)
}

// exporting fills the predicted UPN, the quarantined values and, for a target, the takeover
// preview of an object sync exports. An SMTP collision resiliency does not cover turns r into
// Blocked AttributeValueMustBeUnique.
func (e *engine) exporting(i int, r *ObjectResult, t int32, s *scratch) {
	o := &e.on[i]
	var x *Cloud
	if t >= 0 {
		x = &e.cl[t]
	}
	if o.Class == ClassUser {
		upn, verified := e.predictUPN(o)
		if !verified && r.Outcome == New && !e.brief {
			r.Reason = s.arena.say(r.Reason, " Its UPN suffix ", domainPart(o.UserPrincipalName), " is not a verified domain, so the cloud UPN becomes ", upn, ".")
			r.Fix = "Verify the domain " + domainPart(o.UserPrincipalName) + " in the tenant, or give the AD user a UPN in a verified domain, before it syncs."
		}
		if h := e.cloudUPNHolder(upn, t); h >= 0 {
			r.Quarantined = append(r.Quarantined, Quarantine{Attribute: "userPrincipalName", Value: upn, HeldBy: e.cl[h].ID, Holder: SideCloud})
			if x == nil {
				upn = localPart(upn) + placeholderDigits(e.info[i].anchor.String()) + "@" + e.doms.initialName()
				if !e.brief {
					r.Reason = s.arena.say(r.Reason, " Its UPN is already used by cloud ", e.cl[h].ID, ", so Entra quarantines it and gives the new user ", upn, " (the 4 digits are random in Entra).")
				}
			} else {
				upn = x.UserPrincipalName
			}
		} else if j := e.onPremUPNHolder(i, upn, verified); j >= 0 {
			r.Quarantined = append(r.Quarantined, Quarantine{Attribute: "userPrincipalName", Value: upn, HeldBy: e.on[j].DN, Holder: SideOnPrem})
		}
		r.PredictedUPN = upn
	}
	if blocked := e.proxyQuarantine(i, r, t); blocked {
		return
	}
	if x != nil && !e.brief {
		r.Takeover, r.LostProxyAddresses = takeover(o, x, r.PredictedUPN)
	}
	if len(r.Quarantined) > 0 && r.Fix == "" {
		r.Fix = "Remove the duplicate values listed in quarantined from the AD object or from the object holding them."
	}
}

func (e *engine) cloudUPNHolder(upn string, self int32) int32 {
	if self >= 0 && e.cflags[self]&cSharedUPN == 0 && EqualFold(e.cl[self].UserPrincipalName, upn) {
		return -1 // the target holds it and nobody else does
	}
	for q := e.clUPN.first(foldHash(upn)); q >= 0; q = e.clUPN.next[q] {
		c := e.clUPN.obj[q]
		if c != self && EqualFold(e.cl[c].UserPrincipalName, upn) {
			return c
		}
	}
	return -1
}

func (e *engine) onPremUPNHolder(i int, upn string, own bool) int {
	if own && e.flags[i]&sharedUPN == 0 {
		return -1
	}
	for q := e.onUPN.first(foldHash(upn)); q >= 0; q = e.onUPN.next[q] {
		j := int(e.onUPN.obj[q])
		if j != i && EqualFold(e.on[j].UserPrincipalName, upn) {
			return j
		}
	}
	return -1
}

// proxyQuarantine records the SMTP proxy addresses of object i held by cloud objects other than
// t. A secondary smtp: address of a user that is a group's primary SMTP: is the documented gap in
// resiliency (docs/entra-rules.md §3.1): a hard AttributeValueMustBeUnique error.
func (e *engine) proxyQuarantine(i int, r *ObjectResult, t int32) bool {
	o := &e.on[i]
	for _, p := range o.ProxyAddresses {
		a := smtpAddress(p)
		if a == "" {
			continue
		}
		held := false
		if t >= 0 && e.cflags[t]&cSharedSMTP == 0 && holdsSMTP(&e.cl[t], a) {
			held = true // the target holds it and no other cloud object does
		}
		for q := e.clSMTP.first(foldHash(a)); !held && q >= 0; q = e.clSMTP.next[q] {
			c := e.clSMTP.obj[q]
			if c == t || !holdsSMTP(&e.cl[c], a) {
				continue
			}
			x := &e.cl[c]
			if o.Class == ClassUser && p[:5] != "SMTP:" && x.Class == ClassGroup && EqualFold(primarySMTP(x.ProxyAddresses), a) {
				r.Outcome, r.Code = Blocked, AttributeValueMustBeUnique
				r.Target = x.ID
				r.Reason = "The secondary address " + p + " is the primary SMTP address of the cloud " + describeCloud(x) +
					"; duplicate attribute resiliency does not cover this case, so the export fails."
				r.Fix = "Remove " + p + " from the AD user or change the group's primary address."
				r.Quarantined, r.Takeover, r.PredictedUPN = nil, nil, ""
				return true
			}
			r.Quarantined = append(r.Quarantined, Quarantine{Attribute: "proxyAddresses", Value: p, HeldBy: x.ID, Holder: SideCloud})
			held = true
			break
		}
		// Another in-scope AD object exporting the same primary SMTP address: which of the two
		// Entra quarantines depends on export order (docs/entra-rules.md §3.1), so both list the other.
		if !held && p[:5] == "SMTP:" && e.flags[i]&sharedSMTP != 0 {
			if j := e.onPremSMTPHolder(i, a); j >= 0 {
				r.Quarantined = append(r.Quarantined, Quarantine{Attribute: "proxyAddresses", Value: p, HeldBy: e.on[j].DN, Holder: SideOnPrem})
			}
		}
	}
	return false
}

// onPremSMTPHolder returns the other in-scope on-premises object with the smallest DN that
// exports the primary SMTP address addr (so the answer does not depend on input order), or -1.
func (e *engine) onPremSMTPHolder(i int, addr string) int {
	best := -1
	for q := e.onSMTP.first(foldHash(addr)); q >= 0; q = e.onSMTP.next[q] {
		j := int(e.onSMTP.obj[q])
		if j != i && EqualFold(e.info[j].smtp, addr) && (best < 0 || e.on[j].DN < e.on[best].DN) {
			best = j
		}
	}
	return best
}

func holdsSMTP(c *Cloud, addr string) bool {
	for _, p := range c.ProxyAddresses {
		if a := smtpAddress(p); a != "" && EqualFold(a, addr) {
			return true
		}
	}
	return false
}

// takeover lists the cloud attributes sync overwrites with on-premises values (docs/entra-rules.md §2.1):
// every attribute with an on-premises value wins.
func takeover(o *OnPrem, x *Cloud, upn string) ([]Overwrite, []string) {
	enabled, before := strconv.FormatBool(o.Enabled), ""
	if x.AccountEnabled != nil {
		before = strconv.FormatBool(*x.AccountEnabled)
	}
	type field struct{ attr, before, after string }
	var fields [7]field
	nf := 0
	if o.Class == ClassUser {
		fields[nf] = field{"userPrincipalName", x.UserPrincipalName, upn}
		nf++
	}
	fields[nf], fields[nf+1], fields[nf+2] = field{"mail", x.Mail, o.Mail}, field{"mailNickname", x.MailNickname, o.MailNickname},
		field{"displayName", x.DisplayName, o.DisplayName}
	nf += 3
	if o.Class == ClassUser {
		fields[nf], fields[nf+1], fields[nf+2] = field{"givenName", x.GivenName, o.GivenName}, field{"surname", x.Surname, o.Surname},
			field{"accountEnabled", before, enabled}
		nf += 3
	}
	proxies := len(o.ProxyAddresses) > 0 && !sameProxySet(x.ProxyAddresses, o.ProxyAddresses)
	// Count first, so that each slice is allocated once at its size.
	n := 0
	for _, f := range fields[:nf] {
		if f.after != "" && f.after != f.before {
			n++
		}
	}
	if proxies {
		n++
	}
	var ch []Overwrite
	if n > 0 {
		ch = make([]Overwrite, 0, n)
	}
	for _, f := range fields[:nf] {
		if f.after != "" && f.after != f.before {
			ch = append(ch, Overwrite{Attribute: f.attr, Before: f.before, After: f.after})
		}
	}
	var lost []string
	if proxies {
		ch = append(ch, Overwrite{Attribute: "proxyAddresses", BeforeValues: x.ProxyAddresses, AfterValues: o.ProxyAddresses})
		k := 0
		for _, p := range x.ProxyAddresses {
			if !HasSuffixFold(p, ".onmicrosoft.com") && !hasProxy(o.ProxyAddresses, p) {
				k++
			}
		}
		if k > 0 {
			lost = make([]string, 0, k)
			for _, p := range x.ProxyAddresses {
				if !HasSuffixFold(p, ".onmicrosoft.com") && !hasProxy(o.ProxyAddresses, p) {
					lost = append(lost, p)
				}
			}
		}
	}
	return ch, lost
}

func sameProxySet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		found := false
		for _, q := range b {
			if p == q {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// hasProxy reports whether list holds p's address (type and address compared without case, so
// a change between SMTP: and smtp: is not a loss).
func hasProxy(list []string, p string) bool {
	for _, q := range list {
		if EqualFold(q, p) {
			return true
		}
	}
	return false
}

func (e *engine) evalCloud(c int, link, refused int32, all []ObjectResult, r *ObjectResult, s *scratch) {
	x := &e.cl[c]
	*r = ObjectResult{Side: SideCloud, Class: x.Class, ID: x.ID, UPN: x.UserPrincipalName, Anchor: x.ImmutableID.String()}
	if link >= 0 {
		on := &all[link]
		r.Outcome, r.MatchedBy = Matched, on.DN
		switch on.Outcome {
		case Joined:
			r.Reason = s.arena.say("Joined to ", on.DN, ", which carries its anchor: sync updates it.")
		case HardMatch:
			r.Reason = s.arena.say("Taken over by ", on.DN, " through a hard match on onPremisesImmutableId.")
		default:
			r.Reason = s.arena.say("Taken over by ", on.DN, " through a soft match (", on.Outcome.String(), ").")
		}
		r.LostProxyAddresses = on.LostProxyAddresses
		return
	}
	if refused >= 0 {
		on := &all[refused]
		r.Outcome, r.MatchedBy, r.Code = Untouched, on.DN, NoCode
		r.Reason = on.DN + " would match it, but sync refuses (" + on.Code.String() + "), so it stays as it is."
		r.Fix = on.Fix
		return
	}
	switch {
	case x.Deleted && !e.restorable(x):
		r.Outcome, r.Reason = Untouched, "It was deleted more than 30 days ago and is no longer restorable, so nothing can match it."
	case x.Deleted:
		r.Outcome, r.Reason = Untouched, "It is in deleted items and no on-premises object in scope carries its anchor."
	case x.CloudManaged:
		r.Outcome, r.Reason = Untouched, "Its source of authority is the cloud (isCloudManaged), so sync leaves it alone."
	case x.Synced():
		e.syncedOrphan(x, r)
	default:
		r.Outcome, r.Reason = Untouched, "It is not synced and nothing on-premises matches it."
	}
}

// errorByDN returns the on-premises object with read errors whose DN is text, or -1.
func (e *engine) errorByDN(text string) int {
	if e.errDN == nil {
		return -1
	}
	if j, ok := e.errDN[dn.Key(text)]; ok {
		return j
	}
	return -1
}

// syncedOrphan decides a synced cloud object no on-premises object joined: deleted when its
// on-premises object is absent or out of scope.
func (e *engine) syncedOrphan(x *Cloud, r *ObjectResult) {
	a := x.ImmutableID.String()
	if a == "" {
		r.Outcome, r.Reason = Deleted, "It is synced but has no onPremisesImmutableId, so no on-premises object can own it: sync deletes it."
		return
	}
	out, in := -1, -1 // the out-of-scope and in-scope holders with the smallest DN
	for q := e.onAnchor.first(exactHash(a)); q >= 0; q = e.onAnchor.next[q] {
		j := int(e.onAnchor.obj[q])
		if e.info[j].anchor.String() != a {
			continue
		}
		if e.info[j].scope == inScope || e.info[j].scope == inError {
			if in < 0 || e.on[j].DN < e.on[in].DN {
				in = j
			}
		} else if out < 0 || e.on[j].DN < e.on[out].DN {
			out = j
		}
	}
	if in < 0 && x.OnPremisesDistinguishedName != "" {
		in = e.errorByDN(x.OnPremisesDistinguishedName)
	}
	if in >= 0 && e.info[in].scope == inError {
		r.Outcome, r.MatchedBy = Untouched, e.on[in].DN
		r.Reason = "Its on-premises object " + e.on[in].DN + " could not be read (outcome error), so what sync does with it is not predicted; it is not counted as deleted."
		r.Fix = "Correct the unreadable value on the AD object and run the prediction again."
		return
	}
	if in >= 0 {
		r.Outcome, r.MatchedBy = Untouched, e.on[in].DN
		r.Reason = e.on[in].DN + " carries its anchor but is not exported, so it stays as it is."
		return
	}
	r.Outcome = Deleted
	if out >= 0 {
		r.MatchedBy = e.on[out].DN
		r.Reason = "Its on-premises object " + e.on[out].DN + " is out of sync scope, so sync soft-deletes it (restorable for 30 days)."
		r.Fix = "Bring the AD object back into scope if the cloud object must stay."
		return
	}
	r.Reason = "No on-premises object carries its anchor " + a + ", so sync soft-deletes it (restorable for 30 days)."
	r.Fix = "If it should stay, restore the AD object or convert the cloud object to cloud-only first."
}

// warner collects warnings, at most warnLimitPerCode per code.
type warner struct {
	list  []Warning
	count map[string]int
	order []string
}

func newWarner() *warner { return &warner{count: map[string]int{}} }

func (w *warner) add(code, msg string) {
	if w.count[code] == 0 {
		w.order = append(w.order, code)
	}
	w.count[code]++
	if w.count[code] <= warnLimitPerCode {
		w.list = append(w.list, Warning{Code: code, Message: msg})
	}
}

func (w *warner) done() []Warning {
	for _, code := range w.order {
		if n := w.count[code]; n > warnLimitPerCode {
			w.list = append(w.list, Warning{Code: code, Message: strconv.Itoa(n-warnLimitPerCode) + " more " + code + " warnings not listed"})
		}
	}
	if w.list == nil {
		return []Warning{}
	}
	return w.list
}

// duplicateWarnings reports values that more than one in-scope on-premises object carries.
func (e *engine) duplicateWarnings(w *warner) {
	for i := range e.on {
		in := &e.info[i]
		if in.scope != inScope || e.flags[i]&(sharedAnchor|sharedUPN|sharedSMTP) == 0 {
			continue
		}
		o := &e.on[i]
		a := in.anchor.String()
		if dns, lead := e.group(i, e.onAnchor, exactHash(a), func(j int) bool { return e.info[j].scope == inScope && e.info[j].anchor.String() == a }); lead {
			w.add(WarnDuplicateAnchor, "source anchor "+a+" is carried by "+dns)
		}
		if o.Class == ClassUser && o.UserPrincipalName != "" {
			if dns, lead := e.group(i, e.onUPN, foldHash(o.UserPrincipalName), func(j int) bool { return EqualFold(e.on[j].UserPrincipalName, o.UserPrincipalName) }); lead {
				w.add(WarnDuplicateUPN, "userPrincipalName "+o.UserPrincipalName+" is on "+dns)
			}
		}
		if in.smtp != "" {
			mixed := false
			match := func(j int) bool {
				if EqualFold(e.info[j].smtp, in.smtp) {
					mixed = mixed || e.on[j].Class != o.Class
					return true
				}
				return false
			}
			if dns, lead := e.group(i, e.onSMTP, foldHash(in.smtp), match); lead {
				if mixed {
					w.add(WarnDuplicateAcrossClass, "primary SMTP address "+in.smtp+" is on objects of different classes: "+dns)
				} else {
					w.add(WarnDuplicateSMTP, "primary SMTP address "+in.smtp+" is on "+dns)
				}
			}
		}
	}
}

// group walks the chain of h and returns the DNs of the objects that match, when there is more
// than one and i is the first of them (so each duplicate set is reported once).
func (e *engine) group(i int, p *postings, h uint64, match func(j int) bool) (string, bool) {
	var dns []string
	for q := p.first(h); q >= 0; q = p.next[q] {
		j := int(p.obj[q])
		if !match(j) {
			continue
		}
		if len(dns) == 0 && j != i {
			return "", false
		}
		dns = append(dns, e.on[j].DN+" ("+e.on[j].Class.String()+")")
	}
	if len(dns) < 2 {
		return "", false
	}
	return strings.Join(dns, ", "), true
}
