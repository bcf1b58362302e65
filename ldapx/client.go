package ldapx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/internal/sid"
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
// search (RFC 2696, page size ≤ MaxPageSize, docs/entra-rules.md §7). Referrals are skipped. Multi-valued
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
				if errors.Is(err, ErrInvalid) {
					// One undecodable value must not stop the run: the record carries it and the
					// matching engine reports this object with the outcome error.
					rec = matching.OnPrem{DN: e.DN, Source: c.source,
						ReadErrors: []matching.ReadError{{Source: c.source + " " + e.DN, Message: err.Error()}}}
				} else if err != nil {
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

// search runs a paged search and yields complete entries (ranges resolved). While the caller
// works through one page, the next is already requested (its cookie is known once a page ends),
// so the directory and the network work in parallel with decoding. At most two pages are in
// memory. When the caller stops early, the page in flight is awaited and dropped, so no request
// outlives the iteration.
func (c *Client) search(ctx context.Context, op, base string, scope Scope, filter string) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		req := &SearchRequest{BaseDN: base, Scope: scope, Filter: filter, Attributes: c.attrs, PageSize: c.pageSize}
		page, err := c.conn.Search(ctx, req)
		var next chan pageResult
		stop := make(chan struct{})
		defer func() {
			close(stop)
			if next != nil {
				for range next { // wait for the prefetch to end
				}
			}
		}()
		for pages := 1; ; pages++ {
			if err != nil {
				c.log.Debug("search failed", "op", op, "dn", base, "page", pages, "error", err)
				yield(Entry{}, opError(op, base, err))
				return
			}
			if len(page.Cookie) > 0 && next == nil {
				next = make(chan pageResult) // unbuffered: exactly one page ahead
				go c.prefetch(ctx, *req, page.Cookie, next, stop)
			}
			for _, r := range page.Referrals {
				c.log.Debug("referral skipped", "op", op, "referral", r)
			}
			for i := range page.Entries {
				e := &page.Entries[i]
				if err := c.completeRanges(ctx, op, e); err != nil {
					yield(Entry{}, err)
					return
				}
				if !yield(*e, nil) {
					return
				}
			}
			if len(page.Cookie) == 0 {
				return
			}
			r, ok := <-next
			if !ok {
				// The prefetcher ended without a page: only when stop was closed, which cannot
				// happen while we are here; treat as an interrupted search.
				yield(Entry{}, &OpError{Op: op, DN: base, Err: ErrUnavailable, Message: "paged search ended early"})
				return
			}
			page, err = r.page, r.err
		}
	}
}

type pageResult struct {
	page *SearchPage
	err  error
}

// prefetch requests the pages after the one whose cookie is given, one ahead of the consumer,
// until the last page, an error, or stop. It closes out when done.
func (c *Client) prefetch(ctx context.Context, req SearchRequest, cookie []byte, out chan<- pageResult, stop <-chan struct{}) {
	defer close(out)
	for len(cookie) > 0 {
		req.Cookie = cookie
		page, err := c.conn.Search(ctx, &req)
		select {
		case out <- pageResult{page, err}:
		case <-stop:
			return
		}
		if err != nil {
			return
		}
		cookie = page.Cookie
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
				return &OpError{Op: op, DN: e.DN, Err: ErrConflict, Message: "object vanished during ranged retrieval of " + name}
			}
			next := -2
			for _, b := range page.Entries[0].Attributes {
				if n, h, ok := parseRange(b.Name); ok && strings.EqualFold(n, name) {
					a.Values = append(a.Values, b.Values...)
					next = h
				}
			}
			if next == -2 {
				return &OpError{Op: op, DN: e.DN, Err: ErrInvalid, Message: "server returned no further range of " + name}
			}
			if next >= 0 && next <= hi {
				return &OpError{Op: op, DN: e.DN, Err: ErrInvalid, Message: "ranged retrieval of " + name + " does not advance"}
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
		return matching.OnPrem{}, newOpError("ldapx.Decode", e.DN, ErrInvalid, attr+": "+err.Error())
	}
	uac := -1
	for i := range e.Attributes {
		a := &e.Attributes[i]
		if len(a.Values) == 0 {
			continue
		}
		v0 := a.Values[0]
		var lower [32]byte
		switch string(lowerASCII(lower[:0], a.Name)) { // no allocation: the compiler compares in place
		case "objectclass":
			for _, v := range a.Values {
				switch {
				case bytes.EqualFold(v, []byte("user")):
					if r.Class == matching.ClassUnknown {
						r.Class = matching.ClassUser
					}
				case bytes.EqualFold(v, []byte("group")):
					r.Class = matching.ClassGroup
				case bytes.EqualFold(v, []byte("contact")):
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
			r.ProxyAddresses = joinedStrings(a.Values)
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
	// docs/entra-rules.md §7: accountEnabled = (userAccountControl & ACCOUNTDISABLE) == 0. Objects without
	// userAccountControl (groups, contacts) read as enabled, as the ldif package reads them, so
	// that a directory read live and the same directory exported to LDIF give equal records.
	r.Enabled = uac < 0 || uac&0x2 == 0
	r.MailEnabled = strings.Contains(r.Mail, "@")
	for _, p := range r.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") && strings.Contains(p, "@") {
			r.MailEnabled = true
		}
	}
	return r, nil
}

// lowerASCII appends s lower-cased (ASCII only) to b; names longer than cap(b) are cut, which
// is harmless because no attribute this package reads has a longer name.
func lowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s) && len(b) < cap(b); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// joinedStrings converts values to strings with two allocations in all: one backing string
// holding every value, sliced.
func joinedStrings(values [][]byte) []string {
	n := 0
	for _, v := range values {
		n += len(v)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, v := range values {
		sb.Write(v)
	}
	all := sb.String()
	out := make([]string, len(values))
	off := 0
	for i, v := range values {
		out[i] = all[off : off+len(v)]
		off += len(v)
	}
	return out
}

// SIDString renders a binary objectSid as S-1-5-21-….
func SIDString(b []byte) (string, error) {
	s, msg := sid.Text(b)
	if msg != "" {
		return "", errors.New("malformed SID: " + msg)
	}
	return s, nil
}
