package ldapx

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// Client reads and writes Active Directory objects through a Conn.
type Client struct {
	conn     Conn
	pageSize int
	log      *slog.Logger
	custom   string
	source   string
	attrs    []string

	schemaMu sync.Mutex
	hasAttr  map[string]bool
	schemaDN string // lower-case lDAPDisplayName -> present, for the attributes we ask about
}

// New returns a Client over conn (for example ldapxtest.NewDirectory). Connection options
// (binds, TLS, timeouts) are refused: they belong to Dial.
func New(conn Conn, opts ...Option) (*Client, error) {
	if conn == nil {
		return nil, errors.New("ldapx.New: nil Conn")
	}
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("ldapx.New: %w", err)
		}
	}
	if len(cfg.connOpts) > 0 {
		return nil, fmt.Errorf("ldapx.New: %s applies only to Dial", strings.Join(cfg.connOpts, ", "))
	}
	if cfg.source == "" {
		cfg.source = "ldap"
	}
	return newClient(conn, &cfg), nil
}

func newClient(conn Conn, cfg *config) *Client {
	c := &Client{conn: conn, pageSize: cfg.pageSize, log: cfg.logger, custom: cfg.customAttr, source: cfg.source}
	if c.pageSize == 0 {
		c.pageSize = MaxPageSize
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.attrs = append([]string(nil), readAttrs...)
	if c.custom != "" {
		c.attrs = append(c.attrs, c.custom)
	}
	return c
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Encrypted reports whether the connection is protected by TLS.
func (c *Client) Encrypted() bool { return c.conn.Encrypted() }

// readAttrs are exactly the attributes matching.OnPrem needs.
var readAttrs = []string{
	"objectClass", "objectGUID", "mS-DS-ConsistencyGuid", "userPrincipalName", "proxyAddresses",
	"mail", "mailNickname", "sAMAccountName", "objectSid", "userAccountControl",
	"displayName", "givenName", "sn",
}

// objectFilter selects users, groups and contacts, and not computers (whose objectClass chain
// includes user).
const objectFilter = "(|(&(objectClass=user)(!(objectClass=computer)))(objectClass=group)(objectClass=contact))"

// Objects streams the users, groups and contacts under each base DN (subtree), with a paged
// search (RFC 2696, page size ≤ MaxPageSize, reference §7). Referrals are skipped. Multi-valued
// attributes that AD returns in ranges (proxyAddresses;range=0-1499) are completed with
// follow-up reads. An error — including one that interrupts paging — is yielded once and ends
// the sequence, so a result is never silently short. LDAP: search; needs read access to the
// attributes.
func (c *Client) Objects(ctx context.Context, bases ...string) iter.Seq2[matching.OnPrem, error] {
	return func(yield func(matching.OnPrem, error) bool) {
		for _, base := range bases {
			for e, err := range c.search(ctx, "ldapx.Objects", base, ScopeSub, objectFilter) {
				if err != nil {
					yield(matching.OnPrem{}, err)
					return
				}
				rec, err := c.Decode(&e)
				if err != nil {
					yield(matching.OnPrem{}, err)
					return
				}
				if !yield(rec, nil) {
					return
				}
			}
		}
	}
}

// search runs a paged search and yields complete entries (ranges resolved).
func (c *Client) search(ctx context.Context, op, base string, scope Scope, filter string) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		req := &SearchRequest{BaseDN: base, Scope: scope, Filter: filter, Attributes: c.attrs, PageSize: c.pageSize}
		pages := 0
		for {
			page, err := c.conn.Search(ctx, req)
			if err != nil {
				c.log.Debug("search failed", "op", op, "dn", base, "page", pages, "error", err)
				yield(Entry{}, opError(op, base, err))
				return
			}
			pages++
			for _, r := range page.Referrals {
				c.log.Debug("referral skipped", "op", op, "referral", r)
			}
			for i := range page.Entries {
				e := page.Entries[i]
				if err := c.completeRanges(ctx, op, &e); err != nil {
					yield(Entry{}, err)
					return
				}
				if !yield(e, nil) {
					return
				}
			}
			if len(page.Cookie) == 0 {
				return
			}
			req.Cookie = page.Cookie
		}
	}
}

// completeRanges follows AD ranged retrieval (attr;range=lo-hi with hi != "*") until the last
// range, and renames the attribute to its plain name.
func (c *Client) completeRanges(ctx context.Context, op string, e *Entry) error {
	for i := range e.Attributes {
		a := &e.Attributes[i]
		name, hi, ok := parseRange(a.Name)
		if !ok {
			continue
		}
		for hi >= 0 {
			want := name + ";range=" + strconv.Itoa(hi+1) + "-*"
			page, err := c.conn.Search(ctx, &SearchRequest{BaseDN: e.DN, Scope: ScopeBase, Filter: "(objectClass=*)", Attributes: []string{want}})
			if err != nil {
				return opError(op, e.DN, err)
			}
			if len(page.Entries) != 1 {
				return &OpError{Op: op, RequestID: e.DN, Err: ErrConflict, msg: "object vanished during ranged retrieval of " + name}
			}
			next := -2
			for _, b := range page.Entries[0].Attributes {
				if n, h, ok := parseRange(b.Name); ok && strings.EqualFold(n, name) {
					a.Values = append(a.Values, b.Values...)
					next = h
				}
			}
			if next == -2 {
				return &OpError{Op: op, RequestID: e.DN, Err: ErrInvalid, msg: "server returned no further range of " + name}
			}
			if next >= 0 && next <= hi {
				return &OpError{Op: op, RequestID: e.DN, Err: ErrInvalid, msg: "ranged retrieval of " + name + " does not advance"}
			}
			hi = next
		}
		a.Name = name
	}
	return nil
}

// parseRange splits "name;range=lo-hi"; hi is -1 for "*". ok is false without a range option.
func parseRange(full string) (name string, hi int, ok bool) {
	name, opts, found := strings.Cut(full, ";")
	if !found {
		return full, 0, false
	}
	for opt := range strings.SplitSeq(opts, ";") {
		r, isRange := strings.CutPrefix(strings.ToLower(opt), "range=")
		if !isRange {
			continue
		}
		_, h, dash := strings.Cut(r, "-")
		if !dash {
			return name, 0, false
		}
		if h == "*" {
			return name, -1, true
		}
		n, err := strconv.Atoi(h)
		if err != nil || n < 0 {
			return name, 0, false
		}
		return name, n, true
	}
	return full, 0, false
}

// Decode converts one entry to a record. It fails (naming the DN and attribute) when objectGUID
// or mS-DS-ConsistencyGuid is not 16 bytes, or objectSid is malformed.
func (c *Client) Decode(e *Entry) (matching.OnPrem, error) {
	return decodeEntry(e, c.source, c.custom)
}

func decodeEntry(e *Entry, source, custom string) (matching.OnPrem, error) {
	r := matching.OnPrem{DN: e.DN, Source: source}
	bad := func(attr string, err error) (matching.OnPrem, error) {
		return matching.OnPrem{}, &OpError{Op: "ldapx.Decode", RequestID: e.DN, Err: ErrInvalid, msg: attr + ": " + err.Error()}
	}
	uac := -1
	for i := range e.Attributes {
		a := &e.Attributes[i]
		if len(a.Values) == 0 {
			continue
		}
		v0 := a.Values[0]
		switch strings.ToLower(a.Name) {
		case "objectclass":
			for _, v := range a.Values {
				switch strings.ToLower(string(v)) {
				case "user":
					if r.Class == matching.ClassUnknown {
						r.Class = matching.ClassUser
					}
				case "group":
					r.Class = matching.ClassGroup
				case "contact":
					r.Class = matching.ClassContact
				}
			}
		case "objectguid":
			g, err := anchor.FromBytes(v0)
			if err != nil {
				return bad("objectGUID", err)
			}
			r.ObjectGUID = g
		case "ms-ds-consistencyguid":
			g, err := anchor.FromBytes(v0)
			if err != nil {
				return bad("mS-DS-ConsistencyGuid", err)
			}
			r.ConsistencyGUID = g
		case "userprincipalname":
			r.UserPrincipalName = string(v0)
		case "proxyaddresses":
			r.ProxyAddresses = make([]string, len(a.Values))
			for j, v := range a.Values {
				r.ProxyAddresses[j] = string(v)
			}
		case "mail":
			r.Mail = string(v0)
		case "mailnickname":
			r.MailNickname = string(v0)
		case "samaccountname":
			r.SAMAccountName = string(v0)
		case "objectsid":
			s, err := SIDString(v0)
			if err != nil {
				return bad("objectSid", err)
			}
			r.ObjectSID = s
		case "useraccountcontrol":
			n, err := strconv.Atoi(string(v0))
			if err != nil {
				return bad("userAccountControl", err)
			}
			uac = n
		case "displayname":
			r.DisplayName = string(v0)
		case "givenname":
			r.GivenName = string(v0)
		case "sn":
			r.Surname = string(v0)
		}
		if custom != "" && strings.EqualFold(a.Name, custom) {
			if len(v0) == 16 {
				r.CustomAnchor = anchor.BinaryAnchor(v0)
			} else if sa, err := anchor.StringAnchor(string(v0)); err == nil {
				r.CustomAnchor = sa
			} else {
				r.CustomAnchor = anchor.BinaryAnchor(v0)
			}
		}
	}
	// reference §7: accountEnabled = (userAccountControl & ACCOUNTDISABLE) == 0. Objects without
	// userAccountControl (groups, contacts) are reported as not enabled.
	r.Enabled = uac >= 0 && uac&0x2 == 0
	r.MailEnabled = strings.Contains(r.Mail, "@")
	for _, p := range r.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") && strings.Contains(p, "@") {
			r.MailEnabled = true
		}
	}
	return r, nil
}

// SIDString renders a binary objectSid as S-1-5-21-….
func SIDString(b []byte) (string, error) {
	if len(b) < 8 || b[0] != 1 || len(b) != 8+4*int(b[1]) {
		return "", fmt.Errorf("malformed SID of %d bytes", len(b))
	}
	var auth uint64
	for _, x := range b[2:8] {
		auth = auth<<8 | uint64(x)
	}
	out := make([]byte, 0, 64)
	out = append(out, "S-1-"...)
	out = strconv.AppendUint(out, auth, 10)
	for i := 0; i < int(b[1]); i++ {
		p := b[8+4*i:]
		out = append(out, '-')
		out = strconv.AppendUint(out, uint64(p[0])|uint64(p[1])<<8|uint64(p[2])<<16|uint64(p[3])<<24, 10)
	}
	return string(out), nil
}
