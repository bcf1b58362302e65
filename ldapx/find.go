package ldapx

import (
	"context"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// AnchorAttr names the attribute a FindByAnchor looks in.
type AnchorAttr int

// The anchor attributes.
const (
	AnchorObjectGUID AnchorAttr = iota
	AnchorConsistencyGUID
)

// FindByAnchor returns the objects under base whose objectGUID (or mS-DS-ConsistencyGuid, an
// unindexed attribute: docs/entra-rules.md §7) equals g, using an escaped binary filter. LDAP: search.
func (c *Client) FindByAnchor(ctx context.Context, base string, attr AnchorAttr, g anchor.ObjectGUID) ([]matching.OnPrem, error) {
	if g.IsZero() {
		return nil, &OpError{Op: "ldapx.FindByAnchor", Err: ErrInvalid, Message: "zero GUID"}
	}
	name := "objectGUID"
	if attr == AnchorConsistencyGUID {
		name = "mS-DS-ConsistencyGuid"
	}
	return c.find(ctx, "ldapx.FindByAnchor", base, "("+name+"="+g.LDAPFilterValue()+")")
}

// FindByUPN returns the objects under base with userPrincipalName upn (AD compares
// case-insensitively). LDAP: search.
func (c *Client) FindByUPN(ctx context.Context, base, upn string) ([]matching.OnPrem, error) {
	if upn == "" {
		return nil, &OpError{Op: "ldapx.FindByUPN", Err: ErrInvalid, Message: "empty UPN"}
	}
	return c.find(ctx, "ldapx.FindByUPN", base, "(userPrincipalName="+EscapeFilter(upn)+")")
}

// FindByProxyAddress returns the objects under base holding the proxy address addr. addr may
// carry a prefix ("smtp:" or "SMTP:", compared case-insensitively as AD does, so both match
// primary and secondary); without one, "smtp:" is assumed. LDAP: search.
func (c *Client) FindByProxyAddress(ctx context.Context, base, addr string) ([]matching.OnPrem, error) {
	if addr == "" {
		return nil, &OpError{Op: "ldapx.FindByProxyAddress", Err: ErrInvalid, Message: "empty address"}
	}
	if !strings.Contains(addr, ":") {
		addr = "smtp:" + addr
	}
	return c.find(ctx, "ldapx.FindByProxyAddress", base, "(proxyAddresses="+EscapeFilter(addr)+")")
}

func (c *Client) find(ctx context.Context, op, base, filter string) ([]matching.OnPrem, error) {
	var out []matching.OnPrem
	for e, err := range c.search(ctx, op, base, ScopeSub, "(&"+objectFilter+filter+")") {
		if err != nil {
			return nil, err
		}
		r, err := c.Decode(&e)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Get reads the one object at dn. It returns an error wrapping ErrNotFound when there is none.
// LDAP: base search.
func (c *Client) Get(ctx context.Context, dn string) (matching.OnPrem, error) {
	for e, err := range c.search(ctx, "ldapx.Get", dn, ScopeBase, "(objectClass=*)") {
		if err != nil {
			return matching.OnPrem{}, err
		}
		return c.Decode(&e)
	}
	return matching.OnPrem{}, &OpError{Op: "ldapx.Get", DN: dn, Err: ErrNotFound}
}

// DefaultNamingContext returns the domain root DN from the rootDSE. LDAP: base search of "".
func (c *Client) DefaultNamingContext(ctx context.Context) (string, error) {
	page, err := c.conn.Search(ctx, &SearchRequest{BaseDN: "", Scope: ScopeBase, Filter: "(objectClass=*)", Attributes: []string{"defaultNamingContext"}})
	if err != nil {
		return "", opError("ldapx.DefaultNamingContext", "", err)
	}
	if len(page.Entries) != 1 || page.Entries[0].First("defaultNamingContext") == "" {
		return "", &OpError{Op: "ldapx.DefaultNamingContext", Err: ErrNotFound, Message: "rootDSE has no defaultNamingContext"}
	}
	return page.Entries[0].First("defaultNamingContext"), nil
}
