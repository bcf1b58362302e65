package ldapx

import (
	"context"
	"errors"
	"strings"
	"unicode/utf16"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
)

// NewUser describes a user to create.
type NewUser struct {
	OU                string // parent DN, e.g. OU=Synced,DC=corp,DC=example,DC=test
	CN                string // the RDN value (escaped by CreateUser)
	UserPrincipalName string
	SAMAccountName    string
	ProxyAddresses    []string
	Mail              string
	MailNickname      string // written only when the schema has it (Exchange); see Created.Skipped
	GivenName         string
	Surname           string
	DisplayName       string
	// ConsistencyGUID, when not zero, is written as mS-DS-ConsistencyGuid at creation (a hard
	// match prepared before the first sync, docs/entra-rules.md §1.4).
	ConsistencyGUID anchor.ObjectGUID
	// Password, when set, is written as unicodePwd and the account is created enabled. It is
	// refused (ErrInsecure) over an unencrypted connection. Without it the account is disabled.
	Password string
}

// Created reports what CreateUser did.
type Created struct {
	DN      string
	Skipped []string // attributes not written because the schema lacks them (e.g. mailNickname)
}

// CreateUser adds a user object in u.OU. mailNickname is written only when the directory's schema
// defines it (checked once per Client); otherwise it is listed in Created.Skipped. An existing
// object at the DN gives an error wrapping ErrConflict. LDAP: add; needs Create User Objects on
// the OU (and Reset Password for a password).
func (c *Client) CreateUser(ctx context.Context, u NewUser) (Created, error) {
	const op = "ldapx.CreateUser"
	if u.OU == "" || u.CN == "" || u.SAMAccountName == "" {
		return Created{}, &OpError{Op: op, Err: ErrInvalid, Message: "OU, CN and SAMAccountName are required"}
	}
	entryDN := "CN=" + dn.EscapeValue(u.CN) + "," + u.OU
	attrs := []Attribute{
		{Name: "objectClass", Values: vals("top", "person", "organizationalPerson", "user")},
		{Name: "cn", Values: vals(u.CN)},
		{Name: "sAMAccountName", Values: vals(u.SAMAccountName)},
	}
	add := func(name, v string) {
		if v != "" {
			attrs = append(attrs, Attribute{Name: name, Values: vals(v)})
		}
	}
	add("userPrincipalName", u.UserPrincipalName)
	add("mail", u.Mail)
	add("givenName", u.GivenName)
	add("sn", u.Surname)
	add("displayName", u.DisplayName)
	if len(u.ProxyAddresses) > 0 {
		attrs = append(attrs, Attribute{Name: "proxyAddresses", Values: vals(u.ProxyAddresses...)})
	}
	if !u.ConsistencyGUID.IsZero() {
		b := u.ConsistencyGUID.Bytes()
		attrs = append(attrs, Attribute{Name: "mS-DS-ConsistencyGuid", Values: [][]byte{b[:]}})
	}
	var res Created
	res.DN = entryDN
	if u.MailNickname != "" {
		ok, err := c.HasAttribute(ctx, "mailNickname")
		if err != nil {
			return Created{}, err
		}
		if ok {
			add("mailNickname", u.MailNickname)
		} else {
			res.Skipped = append(res.Skipped, "mailNickname")
			c.log.Info("attribute skipped: not in schema", "op", op, "entryDN", entryDN, "attribute", "mailNickname")
		}
	}
	if u.Password != "" {
		if !c.conn.Encrypted() {
			return Created{}, &OpError{Op: op, DN: entryDN, Err: ErrInsecure, Message: "a password can only be written over TLS"}
		}
		attrs = append(attrs,
			Attribute{Name: "unicodePwd", Values: [][]byte{UnicodePwd(u.Password)}},
			Attribute{Name: "userAccountControl", Values: vals("512")})
	}
	err := c.conn.Add(ctx, &AddRequest{DN: entryDN, Attributes: attrs})
	c.log.Debug("add", "op", op, "entryDN", entryDN, "status", status(err))
	if err != nil {
		return Created{}, opError(op, entryDN, err)
	}
	return res, nil
}

// UnicodePwd encodes a password as AD's unicodePwd wants it: the quoted string in UTF-16LE.
func UnicodePwd(pw string) []byte {
	u := utf16.Encode([]rune(`"` + pw + `"`))
	b := make([]byte, 2*len(u))
	for i, r := range u {
		b[2*i], b[2*i+1] = byte(r), byte(r>>8)
	}
	return b
}

// HasAttribute reports whether the schema defines the attribute (by lDAPDisplayName), looking
// it up under the rootDSE's schemaNamingContext once per Client and name. LDAP: search.
func (c *Client) HasAttribute(ctx context.Context, name string) (bool, error) {
	const op = "ldapx.HasAttribute"
	key := strings.ToLower(name)
	c.schemaMu.Lock()
	defer c.schemaMu.Unlock()
	if has, ok := c.hasAttr[key]; ok {
		return has, nil
	}
	if c.schemaDN == "" {
		page, err := c.conn.Search(ctx, &SearchRequest{BaseDN: "", Scope: ScopeBase, Filter: "(objectClass=*)", Attributes: []string{"schemaNamingContext"}})
		if err != nil {
			return false, opError(op, "", err)
		}
		if len(page.Entries) != 1 || page.Entries[0].First("schemaNamingContext") == "" {
			return false, &OpError{Op: op, Err: ErrUnsupported, Message: "rootDSE has no schemaNamingContext"}
		}
		c.schemaDN = page.Entries[0].First("schemaNamingContext")
	}
	page, err := c.conn.Search(ctx, &SearchRequest{BaseDN: c.schemaDN, Scope: ScopeOne,
		Filter:     "(&(objectClass=attributeSchema)(lDAPDisplayName=" + EscapeFilter(name) + "))",
		Attributes: []string{"lDAPDisplayName"}})
	if err != nil {
		return false, opError(op, c.schemaDN, err)
	}
	if c.hasAttr == nil {
		c.hasAttr = map[string]bool{}
	}
	c.hasAttr[key] = len(page.Entries) > 0
	return c.hasAttr[key], nil
}

// SetConsistencyGUID sets mS-DS-ConsistencyGuid on dn from old to new. old is the value the
// caller last read (zero: absent), new the value to write (zero: clear). The modify deletes
// old and adds new in one operation, so when the directory no longer holds old the write fails
// with an error wrapping ErrConflict instead of overwriting a concurrent change. LDAP: modify;
// needs write access to mS-DS-ConsistencyGuid (docs/entra-rules.md §1.4).
func (c *Client) SetConsistencyGUID(ctx context.Context, dn string, old, new anchor.ObjectGUID) error {
	var ch []Modification
	if !old.IsZero() {
		b := old.Bytes()
		ch = append(ch, Modification{Op: ModDelete, Name: "mS-DS-ConsistencyGuid", Values: [][]byte{b[:]}})
	}
	if !new.IsZero() {
		b := new.Bytes()
		ch = append(ch, Modification{Op: ModAdd, Name: "mS-DS-ConsistencyGuid", Values: [][]byte{b[:]}})
	}
	if len(ch) == 0 {
		return nil
	}
	return singleValueConflict(c.modify(ctx, "ldapx.SetConsistencyGUID", dn, ch))
}

// ReplaceUPN changes userPrincipalName from old ("" when unset) to new, failing with ErrConflict
// when the directory no longer holds old. LDAP: modify.
func (c *Client) ReplaceUPN(ctx context.Context, dn, old, new string) error {
	return c.replaceSingle(ctx, "ldapx.ReplaceUPN", dn, "userPrincipalName", old, new)
}

func (c *Client) replaceSingle(ctx context.Context, op, dn, attr, old, new string) error {
	var ch []Modification
	if old != "" {
		ch = append(ch, Modification{Op: ModDelete, Name: attr, Values: vals(old)})
	}
	if new != "" {
		ch = append(ch, Modification{Op: ModAdd, Name: attr, Values: vals(new)})
	}
	if len(ch) == 0 || old == new {
		return nil
	}
	return singleValueConflict(c.modify(ctx, op, dn, ch))
}

// ReplaceProxyAddresses changes proxyAddresses from old (the values last read) to new. It
// deletes exactly the old values and adds the new ones in one modify, so a value removed
// concurrently makes it fail with ErrConflict. (A value added concurrently is kept, not detected.)
// LDAP: modify.
func (c *Client) ReplaceProxyAddresses(ctx context.Context, dn string, old, new []string) error {
	var ch []Modification
	if len(old) > 0 {
		ch = append(ch, Modification{Op: ModDelete, Name: "proxyAddresses", Values: vals(old...)})
	}
	if len(new) > 0 {
		ch = append(ch, Modification{Op: ModAdd, Name: "proxyAddresses", Values: vals(new...)})
	}
	if len(ch) == 0 {
		return nil
	}
	return c.modify(ctx, "ldapx.ReplaceProxyAddresses", dn, ch)
}

// Move moves the entry under newParent keeping its RDN, and returns the new DN. A missing
// object gives ErrNotFound; an object with the same RDN in newParent gives ErrConflict. LDAP:
// modify DN; needs delete on the source and create on the target OU.
func (c *Client) Move(ctx context.Context, entry, newParent string) (string, error) {
	const op = "ldapx.Move"
	d, err := dn.Parse(entry)
	if err != nil || d.Len() < 2 || newParent == "" {
		return "", &OpError{Op: op, DN: entry, Err: ErrInvalid, Message: "not a DN with a parent, or empty target"}
	}
	rdn := d.RDN().String()
	err = c.conn.ModifyDN(ctx, &ModifyDNRequest{DN: entry, NewRDN: rdn, DeleteOldRDN: true, NewSuperior: newParent})
	c.log.Debug("modify DN", "op", op, "dn", entry, "status", status(err))
	if err != nil {
		return "", opError(op, entry, err)
	}
	return rdn + "," + newParent, nil
}

func (c *Client) modify(ctx context.Context, op, dn string, ch []Modification) error {
	err := c.conn.Modify(ctx, &ModifyRequest{DN: dn, Changes: ch})
	c.log.Debug("modify", "op", op, "dn", dn, "status", status(err))
	return opError(op, dn, err)
}

func status(err error) string {
	if err == nil {
		return "success"
	}
	return err.Error()
}

func vals(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, v := range s {
		out[i] = []byte(v)
	}
	return out
}

// singleValueConflict turns constraintViolation on a single-valued attribute (adding a value when
// the caller believed there was none, and another writer had set one) into ErrConflict.
func singleValueConflict(err error) error {
	var oe *OpError
	if errors.As(err, &oe) && oe.Code == ResultConstraintViolation {
		oe.Err = ErrConflict
	}
	return err
}
