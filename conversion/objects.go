package conversion

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// Object types a source-of-authority plan converts (Options.Objects).
const (
	ObjectUsers    = "users"
	ObjectGroups   = "groups"
	ObjectContacts = "contacts"
)

// soaNotChecked is the plan note naming the preparation checks the records cannot show.
const soaNotChecked = "not checked here (the records do not carry them): objects with reference-valued attributes other than manager and members, manager or member references to objects outside the same domain or not synced, attributes maintained by other on-premises systems (such as userCertificate from AD Certificate Services), and Exchange hybrid (move every mailbox to Exchange Online before transferring users); review them before applying"

func (o *Options) wants(kind string) bool {
	if len(o.Objects) == 0 {
		return kind == ObjectUsers
	}
	return slices.Contains(o.Objects, kind)
}

// matchesObject reports whether sel names the group or contact c (by id, mail or display name).
func matchesObject(c *matching.Cloud, sel string) bool {
	return c.ID == sel || (c.Mail != "" && strings.EqualFold(c.Mail, sel)) || (c.DisplayName != "" && strings.EqualFold(c.DisplayName, sel))
}

// splitSelectors takes from o.Users the selectors that name groups or contacts of the wanted
// kinds, and returns them; o.Users keeps the rest (for selectCloud).
func splitSelectors(in *Input, o *Options) (objects []string, users []string) {
	for _, sel := range o.Users {
		s := strings.TrimSpace(sel)
		if slices.ContainsFunc(in.Cloud, func(c matching.Cloud) bool {
			return !c.Deleted && objectKind(c.Class) != "" && o.wants(string(objectKind(c.Class))+"s") && matchesObject(&c, s)
		}) {
			objects = append(objects, s)
		} else {
			users = append(users, sel)
		}
	}
	return objects, users
}

func objectKind(c matching.Class) ObjectKind {
	switch c {
	case matching.ClassGroup:
		return KindGroup
	case matching.ClassContact:
		return KindContact
	}
	return ""
}

// administrativeSID reports the well-known administrative SIDs: built-in (S-1-5-32-…), the
// Administrator and krbtgt accounts, and the protected administrative groups of a domain.
func administrativeSID(sid string) bool {
	if strings.HasPrefix(sid, "S-1-5-32-") {
		return true
	}
	i := strings.LastIndexByte(sid, '-')
	if !strings.HasPrefix(sid, "S-1-5-21-") || i < 0 {
		return false
	}
	switch sid[i+1:] {
	case "500", "502", "512", "516", "518", "519", "520", "521", "526", "527":
		return true
	}
	return false
}

// onPremOfCloud returns the AD object whose anchor the cloud object carries (nil when none).
func onPremOfCloud(in *Input, c *matching.Cloud) *matching.OnPrem {
	if c.ImmutableID.IsZero() {
		return nil
	}
	for i := range in.OnPrem {
		o := &in.OnPrem[i]
		if anchor.AnchorOf(o.ObjectGUID) == c.ImmutableID || (!o.ConsistencyGUID.IsZero() && anchor.AnchorOf(o.ConsistencyGUID) == c.ImmutableID) {
			return o
		}
	}
	return nil
}

// administrative returns why c (or the AD object it comes from) is administrative, or "".
func administrative(in *Input, c *matching.Cloud) string {
	if administrativeSID(c.OnPremisesSecurityIdentifier) {
		return "its on-premises security identifier " + c.OnPremisesSecurityIdentifier + " is a built-in or protected administrative account or group"
	}
	if o := onPremOfCloud(in, c); o != nil {
		if administrativeSID(o.ObjectSID) {
			return "the AD object " + o.DN + " (" + o.ObjectSID + ") is a built-in or protected administrative account or group"
		}
		if strings.Contains(strings.ToLower(o.DN), ",cn=builtin,") {
			return "the AD object " + o.DN + " is a built-in group"
		}
	}
	return ""
}

// planSOAObjects adds the group and contact changes of a source-of-authority plan: every group
// first, each as a change of its own that runs alone (so that a group is cloud-managed before
// any of its members is converted: the preparation guide converts groups before users), then
// the contacts. It refuses objects that are not synced, already cloud-managed, or administrative.
func planSOAObjects(b *planBuilder, in *Input, o *Options, selectors []string) (planned int) {
	var list []*matching.Cloud
	if len(o.Users) == 0 {
		for i := range in.Cloud {
			c := &in.Cloud[i]
			if k := objectKind(c.Class); k != "" && !c.Deleted && o.wants(string(k)+"s") && c.Synced() {
				list = append(list, c)
			}
		}
	} else {
		for _, sel := range selectors {
			var hits []*matching.Cloud
			for i := range in.Cloud {
				c := &in.Cloud[i]
				if k := objectKind(c.Class); k != "" && !c.Deleted && o.wants(string(k)+"s") && matchesObject(c, sel) {
					hits = append(hits, c)
				}
			}
			if len(hits) == 0 {
				continue
			}
			if len(hits) > 1 {
				b.refuse(sel, sel, RefuseAmbiguous, fmt.Sprintf("%d groups or contacts have the name or address %q", len(hits), sel), "select them by object id")
				continue
			}
			if !slices.Contains(list, hits[0]) {
				list = append(list, hits[0])
			}
		}
	}
	// Groups before contacts; then by name and id.
	slices.SortStableFunc(list, func(a, b *matching.Cloud) int {
		if ka, kb := objectKind(a.Class), objectKind(b.Class); ka != kb {
			if ka == KindGroup {
				return -1
			}
			return 1
		}
		if c := strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, c := range list {
		kind := objectKind(c.Class)
		name := cmp.Or(c.DisplayName, c.Mail, c.ID)
		refuse := func(code RefusalCode, reason, fix string) { b.refuse(c.ID, name, code, reason, fix) }
		switch {
		case c.CloudManaged:
			refuse(RefuseAlreadyDone, "the "+string(kind)+" is already cloud-managed (isCloudManaged is true)", "")
			continue
		case !c.Synced():
			refuse(RefuseNotSynced, "the "+string(kind)+" is not synced from AD: source of authority applies only to synced objects", "")
			continue
		}
		if why := administrative(in, c); why != "" {
			refuse(RefuseAdministrative, "administrative objects are excluded from source-of-authority transfer: "+why, "leave it managed in AD")
			continue
		}
		reason := "transfer the source of authority of the " + string(kind) + " to Entra: sync stops updating it (onPremisesSyncBehavior.isCloudManaged)"
		subject := c.ID
		if kind == KindGroup {
			subject = "" // runs alone, before every user
			reason += "; converted before users, as the preparation guide requires"
			if c.MailEnabled {
				reason += "; a mail-enabled security group or distribution list is then managed in Exchange Online"
			}
			reason += "; rollback: remove the cloud-only members and access-package uses first"
		}
		b.add(Change{Action: SetCloudManaged, Target: Target{Side: SideCloud, ID: c.ID, UPN: name, Kind: kind}, Subject: subject,
			Before: Bool(false), After: Bool(true), Reason: reason})
		planned++
	}
	return planned
}
