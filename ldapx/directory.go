package ldapx

import (
	"context"
	"slices"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/matching"
)

// Directory is the conversion.Directory port over a Client: the reads and writes a conversion
// plan makes, with objects named by objectGUID. It addresses an object by the extended DN form
// "<GUID=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx>" that Active Directory and Samba accept in place
// of a DN, so a move or rename between planning and applying does not lose the object.
//
// Errors are *OpError values, which satisfy errors.Is for this package's sentinel and for
// conversion's of the same meaning: a failed precondition is ErrConflict (conversion.ErrConflict),
// a missing object ErrNotFound (conversion.ErrNotFound), busy/unavailable ErrThrottled,
// insufficientAccessRights ErrForbidden, unwillingToPerform and referrals ErrReadOnly, no answer
// ErrUnavailable (conversion.ErrUnavailable: the write may have happened).
type Directory struct {
	c *Client
}

var _ conversion.Directory = (*Directory)(nil)

// Directory returns the conversion port over c. It shares c's connection: closing c closes it.
func (c *Client) Directory() *Directory { return &Directory{c: c} }

// GUIDDN returns the extended DN "<GUID=…>" that names the object with objectGUID g in LDAP
// operations on Active Directory and Samba (MS-ADTS 3.1.1.3.1.2.4).
func GUIDDN(g anchor.ObjectGUID) string { return "<GUID=" + g.String() + ">" }

// userFilter selects user objects that are not computers.
const userFilter = "(&(objectClass=user)(!(objectClass=computer)))"

// User returns the user with objectGUID guid, or an error wrapping ErrNotFound when there is
// none (or the object is not a user). LDAP: base search of <GUID=…>.
func (d *Directory) User(ctx context.Context, guid anchor.ObjectGUID) (matching.OnPrem, error) {
	if guid.IsZero() {
		return matching.OnPrem{}, &OpError{Op: "ldapx.Directory.User", Err: ErrInvalid, Message: "zero objectGUID"}
	}
	return d.user(ctx, "ldapx.Directory.User", GUIDDN(guid))
}

// UserByDN returns the user at dn, or an error wrapping ErrNotFound. LDAP: base search.
func (d *Directory) UserByDN(ctx context.Context, dn string) (matching.OnPrem, error) {
	return d.user(ctx, "ldapx.Directory.UserByDN", dn)
}

func (d *Directory) user(ctx context.Context, op, dn string) (matching.OnPrem, error) {
	for e, err := range d.c.search(ctx, op, dn, ScopeBase, userFilter) {
		if err != nil {
			return matching.OnPrem{}, err
		}
		return d.c.Decode(&e)
	}
	return matching.OnPrem{}, &OpError{Op: op, DN: dn, Err: ErrNotFound, Message: "not a user"}
}

// SetConsistencyGUID replaces mS-DS-ConsistencyGuid of the object guid from old (zero: absent)
// to new (zero: remove), failing with ErrConflict when the directory does not hold old. LDAP:
// modify of <GUID=…> (delete old, add new); needs write access to mS-DS-ConsistencyGuid.
func (d *Directory) SetConsistencyGUID(ctx context.Context, guid, old, new anchor.ObjectGUID) error {
	if guid.IsZero() {
		return &OpError{Op: "ldapx.SetConsistencyGUID", Err: ErrInvalid, Message: "zero objectGUID"}
	}
	if old == new {
		return d.check(ctx, "ldapx.SetConsistencyGUID", guid, func(r *matching.OnPrem) bool { return r.ConsistencyGUID == old })
	}
	return d.c.SetConsistencyGUID(ctx, GUIDDN(guid), old, new)
}

// ReplaceProxyAddresses replaces the whole proxyAddresses set old with new. It first re-reads
// the object and fails with ErrConflict unless the set is exactly old, value for value
// ("SMTP:" and "smtp:" differ: the case marks the primary address), then deletes the old values
// and adds the new ones in one modify, which fails with ErrConflict when an old value was removed
// in between. A value added between the read and the modify is kept, not detected. LDAP: base
// search, then modify.
func (d *Directory) ReplaceProxyAddresses(ctx context.Context, guid anchor.ObjectGUID, old, new []string) error {
	const op = "ldapx.ReplaceProxyAddresses"
	if guid.IsZero() {
		return &OpError{Op: op, Err: ErrInvalid, Message: "zero objectGUID"}
	}
	if err := d.check(ctx, op, guid, func(r *matching.OnPrem) bool { return sameSet(r.ProxyAddresses, old) }); err != nil {
		return err
	}
	return d.c.ReplaceProxyAddresses(ctx, GUIDDN(guid), old, new)
}

// sameSet reports whether a and b hold the same values, compared exactly, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// SetMail replaces mail from old ("" absent) to new ("" remove), failing with ErrConflict when
// the directory does not hold old. LDAP: modify.
func (d *Directory) SetMail(ctx context.Context, guid anchor.ObjectGUID, old, new string) error {
	return d.setSingle(ctx, "ldapx.SetMail", guid, "mail", old, new, func(r *matching.OnPrem) string { return r.Mail })
}

// SetUPN replaces userPrincipalName from old to new, failing with ErrConflict when the
// directory does not hold old. LDAP: modify.
func (d *Directory) SetUPN(ctx context.Context, guid anchor.ObjectGUID, old, new string) error {
	return d.setSingle(ctx, "ldapx.SetUPN", guid, "userPrincipalName", old, new, func(r *matching.OnPrem) string { return r.UserPrincipalName })
}

func (d *Directory) setSingle(ctx context.Context, op string, guid anchor.ObjectGUID, attr, old, new string, get func(*matching.OnPrem) string) error {
	if guid.IsZero() {
		return &OpError{Op: op, Err: ErrInvalid, Message: "zero objectGUID"}
	}
	if old == new {
		return d.check(ctx, op, guid, func(r *matching.OnPrem) bool { return get(r) == old })
	}
	return d.c.replaceSingle(ctx, op, GUIDDN(guid), attr, old, new)
}

// check re-reads guid for a write that changes nothing, so that its precondition still holds.
func (d *Directory) check(ctx context.Context, op string, guid anchor.ObjectGUID, holds func(*matching.OnPrem) bool) error {
	r, err := d.c.Get(ctx, GUIDDN(guid))
	if err != nil {
		return err
	}
	if !holds(&r) {
		return &OpError{Op: op, DN: r.DN, Err: ErrConflict, Message: "the directory no longer holds the expected value"}
	}
	return nil
}

// Move moves the object guid from the container oldParent to newParent, keeping its RDN. LDAP
// cannot make a modify DN conditional, so it first re-reads the object and fails with
// ErrConflict when its parent is not oldParent (compared as DNs: case and spacing ignored); a
// move between that read and the modify DN is not detected. An object with the same RDN in
// newParent gives ErrConflict, a missing object or container ErrNotFound. LDAP: base searches
// of the object and of newParent, then modify DN with newSuperior; needs delete on the source and create on the target OU.
func (d *Directory) Move(ctx context.Context, guid anchor.ObjectGUID, oldParent, newParent string) error {
	const op = "ldapx.Directory.Move"
	if guid.IsZero() || newParent == "" {
		return &OpError{Op: op, Err: ErrInvalid, Message: "zero objectGUID or empty target"}
	}
	r, err := d.c.Get(ctx, GUIDDN(guid))
	if err != nil {
		return err
	}
	old, err := dn.Parse(oldParent)
	if err != nil {
		return &OpError{Op: op, DN: oldParent, Err: ErrInvalid, Message: "the old parent is not a DN: " + err.Error()}
	}
	if cur, err := dn.Parse(r.DN); err != nil || !cur.Parent().Equal(old) {
		return newOpError(op, r.DN, ErrConflict, "object is not in "+oldParent)
	}
	// A missing newSuperior is noSuchObject on AD but "other" (00002095) on Samba: check first.
	if _, err := d.c.conn.Search(ctx, &SearchRequest{BaseDN: newParent, Scope: ScopeBase, Filter: "(objectClass=*)", Attributes: []string{"1.1"}}); err != nil {
		return opError(op, newParent, err)
	}
	_, err = d.c.Move(ctx, r.DN, newParent)
	return err
}

// CreateUser adds the user u (LDAP add) with mS-DS-ConsistencyGuid when u sets it, and returns
// the objectGUID the directory assigned, read back with a base search. The account is created
// disabled (no password is written). mailNickname is written only when the schema has it. An
// object already at the DN (or a sAMAccountName in use) gives ErrConflict. LDAP: add, then
// search; needs Create User Objects on u.ParentDN.
func (d *Directory) CreateUser(ctx context.Context, u conversion.NewUser) (anchor.ObjectGUID, error) {
	res, err := d.c.CreateUser(ctx, NewUser{OU: u.ParentDN, CN: u.CN, UserPrincipalName: u.UPN,
		SAMAccountName: u.SAMAccountName, ProxyAddresses: u.ProxyAddresses, Mail: u.Mail,
		MailNickname: u.MailNickname, GivenName: u.GivenName, Surname: u.Surname,
		DisplayName: u.DisplayName, ConsistencyGUID: u.ConsistencyGUID})
	if err != nil {
		return anchor.ObjectGUID{}, err
	}
	r, err := d.c.Get(ctx, res.DN)
	if err != nil {
		// The user was created: the read back's own sentinel (busy: ErrThrottled, not replicated
		// yet: ErrNotFound) would tell conversion that the add did not happen, and it would add
		// again. ErrUnavailable (conversion.ErrUnavailable) says "may have happened", so that
		// conversion re-reads the DN.
		return anchor.ObjectGUID{}, newOpError("ldapx.Directory.CreateUser", res.DN, ErrUnavailable,
			"the user was created, but reading it back failed: "+err.Error())
	}
	return r.ObjectGUID, nil
}
