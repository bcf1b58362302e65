package ldapxtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	ber "github.com/go-asn1-ber/asn1-ber"
	ldap "github.com/go-ldap/ldap/v3"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/ldapx"
)

// DefaultBaseDN is the naming context of a Directory.
const DefaultBaseDN = "DC=corp,DC=example,DC=test"

// Directory is an in-memory directory that implements ldapx.Conn the way Active Directory
// answers: raw 16-byte objectGUIDs assigned on add, case-insensitive attribute names and string
// matching, RFC 2696 paged results with cookies (sizeLimitExceeded above MaxPageSize without
// paging), AD ranged retrieval of large multi-valued attributes, DN moves, and AD's result
// codes: entryAlreadyExists, noSuchObject, noSuchAttribute for a delete of an absent value,
// attributeOrValueExists, constraintViolation for a second value of a single-valued attribute,
// undefinedAttributeType for attributes outside its schema (mailNickname without the Exchange
// schema). Like AD it accepts the extended DN "<GUID=…>" wherever a DN names an existing entry
// (search base, modify, modify DN), and answers with the entry's real DN.
//
// It does not model: access control, referrals, password policy (any password is accepted),
// moving non-leaf entries (notAllowedOnNonLeaf), extensible-match and approximate filters,
// ordering filters (>=, <=) other than on strings, or replication.
type Directory struct {
	mu        sync.Mutex
	base      string
	entries   map[string]*fakeEntry // key: normalised DN
	order     []string              // insertion order of keys (searches return this order)
	schema    map[string]bool       // lower-case attribute names the schema defines
	single    map[string]bool       // single-valued attributes
	encrypted bool
	maxRange  int
	pageSize  int
	cookies   map[string][]string
	nextRID   int
	closed    bool
	funcs     Funcs
}

type fakeEntry struct {
	dn    string
	attrs []ldapx.Attribute
}

// Option configures a Directory.
type Option func(*Directory)

// WithExchangeSchema adds the Exchange attributes (mailNickname) to the schema.
func WithExchangeSchema() Option {
	return func(d *Directory) { d.schema["mailnickname"] = true; d.single["mailnickname"] = true }
}

// Unencrypted makes Encrypted report false (like ldap:// without StartTLS): unicodePwd writes
// are then refused, as AD refuses them.
func Unencrypted() Option { return func(d *Directory) { d.encrypted = false } }

// WithMaxValRange sets how many values of one attribute a search returns before switching to
// ranged retrieval (AD's MaxValRange, default 1500).
func WithMaxValRange(n int) Option { return func(d *Directory) { d.maxRange = n } }

// WithMaxPageSize sets the largest page (AD's MaxPageSize, default 1000).
func WithMaxPageSize(n int) Option { return func(d *Directory) { d.pageSize = n } }

// WithFuncs installs per-operation hooks (fault injection; see Funcs).
func WithFuncs(f Funcs) Option { return func(d *Directory) { d.funcs = f } }

// SetFuncs replaces the per-operation hooks of a Directory in use (see Funcs). Operations already
// running keep the hooks they started with.
func (d *Directory) SetFuncs(f Funcs) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.funcs = f
}

func (d *Directory) hooks() Funcs {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.funcs
}

var knownAttrs = []string{
	"objectClass", "cn", "ou", "dc", "name", "distinguishedName", "objectGUID", "objectSid",
	"mS-DS-ConsistencyGuid", "userPrincipalName", "proxyAddresses", "mail", "sAMAccountName",
	"userAccountControl", "displayName", "givenName", "sn", "unicodePwd", "description",
	"member", "memberOf", "employeeID", "lDAPDisplayName", "schemaNamingContext",
	"defaultNamingContext", "groupType", "instanceType", "whenCreated", "telephoneNumber",
}

var singleValued = []string{
	"cn", "ou", "dc", "name", "distinguishedName", "objectGUID", "objectSid", "mS-DS-ConsistencyGuid",
	"userPrincipalName", "mail", "sAMAccountName", "userAccountControl", "displayName", "givenName",
	"sn", "unicodePwd", "employeeID", "lDAPDisplayName", "groupType",
}

// NewDirectory returns an empty directory with the naming context DefaultBaseDN and the
// containers CN=Users and CN=Computers.
func NewDirectory(opts ...Option) *Directory {
	d := &Directory{base: DefaultBaseDN, entries: map[string]*fakeEntry{}, schema: map[string]bool{},
		single: map[string]bool{}, encrypted: true, maxRange: 1500, pageSize: 1000,
		cookies: map[string][]string{}, nextRID: 1100}
	for _, a := range knownAttrs {
		d.schema[strings.ToLower(a)] = true
	}
	for _, a := range singleValued {
		d.single[strings.ToLower(a)] = true
	}
	for _, o := range opts {
		o(d)
	}
	d.put(d.base, attrs("objectClass", "top|domain|domainDNS", "dc", "corp"))
	schemaDN := "CN=Schema,CN=Configuration," + d.base
	d.put("CN=Configuration,"+d.base, attrs("objectClass", "top|configuration", "cn", "Configuration"))
	d.put(schemaDN, attrs("objectClass", "top|dMD", "cn", "Schema"))
	names := make([]string, 0, len(d.schema))
	for a := range d.schema {
		names = append(names, a)
	}
	slices.Sort(names)
	for _, a := range names {
		if a == "mailnickname" {
			a = "mailNickname"
		} else {
			for _, k := range knownAttrs {
				if strings.EqualFold(k, a) {
					a = k
				}
			}
		}
		d.put("CN="+a+","+schemaDN, attrs("objectClass", "top|attributeSchema", "cn", a, "lDAPDisplayName", a))
	}
	d.put("CN=Users,"+d.base, attrs("objectClass", "top|container", "cn", "Users"))
	d.put("CN=Computers,"+d.base, attrs("objectClass", "top|container", "cn", "Computers"))
	return d
}

// BaseDN returns the directory's naming context.
func (d *Directory) BaseDN() string { return d.base }

// attrs builds attributes from "name", "value" pairs; a value holding '|' lists several values.
func attrs(kv ...string) []ldapx.Attribute {
	var out []ldapx.Attribute
	for i := 0; i+1 < len(kv); i += 2 {
		a := ldapx.Attribute{Name: kv[i]}
		for v := range strings.SplitSeq(kv[i+1], "|") {
			a.Values = append(a.Values, []byte(v))
		}
		out = append(out, a)
	}
	return out
}

func (d *Directory) put(text string, a []ldapx.Attribute) *fakeEntry {
	e := &fakeEntry{dn: text, attrs: a}
	g := make([]byte, 16)
	rand.Read(g)
	e.set("objectGUID", [][]byte{g})
	k := dn.Key(text)
	d.entries[k] = e
	d.order = append(d.order, k)
	return e
}

// key returns the entries key of dn. An extended DN "<GUID=…>" (the GUID as text, or as 32 hex
// digits in wire order, as AD accepts) names the entry with that objectGUID; "" when none has it.
func (d *Directory) key(text string) string {
	inner, ok := strings.CutPrefix(text, "<GUID=")
	if !ok {
		return dn.Key(text)
	}
	inner, ok = strings.CutSuffix(inner, ">")
	if !ok {
		return dn.Key(text)
	}
	g, err := anchor.ParseGUID(inner)
	if err != nil {
		if g, err = anchor.ParseHex(inner); err != nil {
			return dn.Key(text)
		}
	}
	b := g.Bytes()
	for _, k := range d.order {
		if e := d.entries[k]; e != nil {
			if a := e.get("objectGUID"); a != nil && len(a.Values) == 1 && bytes.Equal(a.Values[0], b[:]) {
				return k
			}
		}
	}
	return dn.Key(text)
}

// parentKey returns the key of the parent of the entry whose key is k ("" for none).
func parentKey(k string) string {
	p, err := dn.Parse(k)
	if err != nil {
		return ""
	}
	return p.Parent().String()
}

func (e *fakeEntry) get(name string) *ldapx.Attribute {
	for i := range e.attrs {
		if strings.EqualFold(e.attrs[i].Name, name) {
			return &e.attrs[i]
		}
	}
	return nil
}

func (e *fakeEntry) set(name string, v [][]byte) {
	if a := e.get(name); a != nil {
		a.Values = v
		return
	}
	e.attrs = append(e.attrs, ldapx.Attribute{Name: name, Values: v})
}

func (e *fakeEntry) del(name string) {
	e.attrs = slices.DeleteFunc(e.attrs, func(a ldapx.Attribute) bool { return strings.EqualFold(a.Name, name) })
}

func (e *fakeEntry) hasClass(c string) bool {
	if a := e.get("objectClass"); a != nil {
		for _, v := range a.Values {
			if strings.EqualFold(string(v), c) {
				return true
			}
		}
	}
	return false
}

var binaryAttrs = map[string]bool{"objectguid": true, "objectsid": true, "ms-ds-consistencyguid": true, "unicodepwd": true}

// valueEqual compares two values of attr: octet strings exactly, others case-insensitively.
func valueEqual(attr string, a, b []byte) bool {
	if binaryAttrs[strings.ToLower(attr)] {
		return bytes.Equal(a, b)
	}
	return bytes.EqualFold(a, b)
}

func rerr(code ldapx.ResultCode, format string, args ...any) error {
	return &ldapx.ResultError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Encrypted implements ldapx.Conn.
func (d *Directory) Encrypted() bool { return d.encrypted }

// Close implements ldapx.Conn. The data stays; a closed Directory still answers (tests often
// reuse one across clients).
func (d *Directory) Close() error { return nil }

// Search implements ldapx.Conn: Funcs.Search when set, else the directory's own search.
func (d *Directory) Search(ctx context.Context, req *ldapx.SearchRequest) (*ldapx.SearchPage, error) {
	if h := d.hooks().Search; h != nil {
		return h(ctx, req, d.search)
	}
	return d.search(ctx, req)
}

func (d *Directory) search(ctx context.Context, req *ldapx.SearchRequest) (*ldapx.SearchPage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if req.PageSize > d.pageSize {
		req2 := *req
		req2.PageSize = d.pageSize
		req = &req2
	}
	var keys []string
	if len(req.Cookie) > 0 {
		var ok bool
		keys, ok = d.cookies[string(req.Cookie)]
		if !ok {
			return nil, rerr(ldapx.ResultProtocolError, "unknown paged results cookie")
		}
		delete(d.cookies, string(req.Cookie))
	} else {
		filter, err := ldap.CompileFilter(req.Filter)
		if err != nil {
			return nil, rerr(ldapx.ResultProtocolError, "bad filter %q: %v", req.Filter, err)
		}
		if req.BaseDN == "" && req.Scope == ldapx.ScopeBase {
			root := &fakeEntry{dn: "", attrs: attrs("objectClass", "top")}
			root.attrs = append(root.attrs,
				ldapx.Attribute{Name: "defaultNamingContext", Values: [][]byte{[]byte(d.base)}},
				ldapx.Attribute{Name: "schemaNamingContext", Values: [][]byte{[]byte("CN=Schema,CN=Configuration," + d.base)}})
			return &ldapx.SearchPage{Entries: []ldapx.Entry{project(root, req.Attributes, d.maxRange)}}, nil
		}
		base := d.key(req.BaseDN)
		if _, ok := d.entries[base]; !ok {
			return nil, rerr(ldapx.ResultNoSuchObject, "no such object: %s", req.BaseDN)
		}
		for _, k := range d.order {
			e := d.entries[k]
			if e == nil || !inScope(k, base, req.Scope) {
				continue
			}
			ok, err := match(e, filter)
			if err != nil {
				return nil, rerr(ldapx.ResultProtocolError, "filter %q: %v", req.Filter, err)
			}
			if ok {
				keys = append(keys, k)
			}
		}
		if req.PageSize == 0 && len(keys) > d.pageSize {
			return nil, rerr(ldapx.ResultSizeLimitExceeded, "more than MaxPageSize (%d) results without paging", d.pageSize)
		}
	}
	page := &ldapx.SearchPage{}
	if req.PageSize > 0 && len(keys) > req.PageSize {
		var c [12]byte
		rand.Read(c[:])
		d.cookies[string(c[:])] = keys[req.PageSize:]
		page.Cookie = c[:]
		keys = keys[:req.PageSize]
	}
	for _, k := range keys {
		if e := d.entries[k]; e != nil {
			page.Entries = append(page.Entries, project(e, req.Attributes, d.maxRange))
		}
	}
	return page, nil
}

func inScope(k, base string, scope ldapx.Scope) bool {
	switch scope {
	case ldapx.ScopeBase:
		return k == base
	case ldapx.ScopeOne:
		return parentKey(k) == base
	default:
		e, errE := dn.Parse(k)
		b, errB := dn.Parse(base)
		return k == base || errE == nil && errB == nil && e.IsUnder(b)
	}
}

// project copies the requested attributes (all for none or "*"), applying ranged retrieval.
func project(e *fakeEntry, want []string, maxRange int) ldapx.Entry {
	out := ldapx.Entry{DN: e.dn}
	all := len(want) == 0 || slices.Contains(want, "*")
	for _, a := range e.attrs {
		if strings.EqualFold(a.Name, "unicodePwd") {
			continue // never readable, as in AD
		}
		if all || slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(w, a.Name) }) {
			out.Attributes = append(out.Attributes, rangeOf(a, 0, -1, false, maxRange))
			continue
		}
		for _, w := range want {
			name, opt, ok := strings.Cut(w, ";")
			if !ok || !strings.EqualFold(name, a.Name) {
				continue
			}
			r, isRange := strings.CutPrefix(strings.ToLower(opt), "range=")
			lo, hi, dash := strings.Cut(r, "-")
			l, err := strconv.Atoi(lo)
			if !isRange || !dash || err != nil || l < 0 {
				continue
			}
			h := -1
			if hi != "*" {
				if h, err = strconv.Atoi(hi); err != nil || h < l {
					continue
				}
			}
			out.Attributes = append(out.Attributes, rangeOf(a, l, h, true, maxRange))
		}
	}
	return out
}

func rangeOf(a ldapx.Attribute, lo, hi int, explicit bool, maxRange int) ldapx.Attribute {
	n := len(a.Values)
	if !explicit && n <= maxRange {
		return ldapx.Attribute{Name: a.Name, Values: slices.Clone(a.Values)}
	}
	end := n - 1
	if hi >= 0 && hi < end {
		end = hi
	}
	if end-lo+1 > maxRange {
		end = lo + maxRange - 1
	}
	if lo > n {
		lo = n
	}
	if end < lo-1 {
		end = lo - 1
	}
	last := strconv.Itoa(end)
	if end >= n-1 {
		last = "*"
	}
	return ldapx.Attribute{Name: a.Name + ";range=" + strconv.Itoa(lo) + "-" + last, Values: slices.Clone(a.Values[lo : end+1])}
}

// match evaluates a compiled RFC 4515 filter against e.
func match(e *fakeEntry, f *ber.Packet) (bool, error) {
	switch f.Tag {
	case ldap.FilterAnd:
		for _, c := range f.Children {
			if ok, err := match(e, c); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case ldap.FilterOr:
		for _, c := range f.Children {
			if ok, err := match(e, c); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case ldap.FilterNot:
		ok, err := match(e, f.Children[0])
		return !ok, err
	case ldap.FilterPresent:
		name := str(f)
		if strings.EqualFold(name, "objectClass") {
			return true, nil
		}
		a := e.get(name)
		return a != nil && len(a.Values) > 0, nil
	case ldap.FilterEqualityMatch:
		name, val := str(f.Children[0]), []byte(str(f.Children[1]))
		if a := e.get(name); a != nil {
			for _, v := range a.Values {
				if valueEqual(name, v, val) {
					return true, nil
				}
			}
		}
		return false, nil
	case ldap.FilterSubstrings:
		name := str(f.Children[0])
		a := e.get(name)
		if a == nil {
			return false, nil
		}
		for _, v := range a.Values {
			if substrMatch(strings.ToLower(string(v)), f.Children[1].Children) {
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("filter type %d not modelled by the fake", f.Tag)
}

func str(p *ber.Packet) string {
	if s, ok := p.Value.(string); ok {
		return s
	}
	return p.Data.String()
}

func substrMatch(v string, parts []*ber.Packet) bool {
	for _, p := range parts {
		s := strings.ToLower(str(p))
		switch p.Tag {
		case ldap.FilterSubstringsInitial:
			if !strings.HasPrefix(v, s) {
				return false
			}
			v = v[len(s):]
		case ldap.FilterSubstringsAny:
			i := strings.Index(v, s)
			if i < 0 {
				return false
			}
			v = v[i+len(s):]
		case ldap.FilterSubstringsFinal:
			if !strings.HasSuffix(v, s) {
				return false
			}
		}
	}
	return true
}

// Add implements ldapx.Conn. Funcs.Add runs instead when set.
func (d *Directory) Add(ctx context.Context, req *ldapx.AddRequest) error {
	if h := d.hooks().Add; h != nil {
		return h(ctx, req, d.add)
	}
	return d.add(ctx, req)
}

func (d *Directory) add(ctx context.Context, req *ldapx.AddRequest) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := dn.Parse(req.DN); err != nil {
		return rerr(ldapx.ResultInvalidDNSyntax, "%v", err)
	}
	k := dn.Key(req.DN)
	if _, ok := d.entries[k]; ok {
		return rerr(ldapx.ResultEntryAlreadyExists, "entry already exists: %s", req.DN)
	}
	if _, ok := d.entries[parentKey(k)]; !ok {
		return rerr(ldapx.ResultNoSuchObject, "parent of %s does not exist", req.DN)
	}
	e := &fakeEntry{dn: req.DN}
	for _, a := range req.Attributes {
		if err := d.checkAttr(a.Name, len(a.Values)); err != nil {
			return err
		}
		if strings.EqualFold(a.Name, "objectGUID") || strings.EqualFold(a.Name, "objectSid") {
			return rerr(ldapx.ResultUnwillingToPerform, "%s is system-only", a.Name)
		}
		if strings.EqualFold(a.Name, "unicodePwd") && !d.encrypted {
			return rerr(ldapx.ResultUnwillingToPerform, "unicodePwd requires an encrypted connection")
		}
		if old := e.get(a.Name); old != nil {
			old.Values = append(old.Values, a.Values...)
		} else {
			e.attrs = append(e.attrs, ldapx.Attribute{Name: a.Name, Values: slices.Clone(a.Values)})
		}
	}
	if e.get("objectClass") == nil {
		return rerr(ldapx.ResultObjectClassViolation, "no objectClass")
	}
	if e.hasClass("user") || e.hasClass("group") {
		if e.get("sAMAccountName") == nil {
			return rerr(ldapx.ResultConstraintViolation, "sAMAccountName required")
		}
		for _, k := range d.order {
			if o := d.entries[k]; o != nil {
				if s := o.get("sAMAccountName"); s != nil && valueEqual("sAMAccountName", s.Values[0], e.get("sAMAccountName").Values[0]) {
					return rerr(ldapx.ResultEntryAlreadyExists, "sAMAccountName already in use")
				}
			}
		}
		d.nextRID++
		sid := []byte{1, 5, 0, 0, 0, 0, 0, 5}
		for _, sub := range []uint32{21, 1111, 2222, 3333, uint32(d.nextRID)} {
			sid = binary.LittleEndian.AppendUint32(sid, sub)
		}
		e.set("objectSid", [][]byte{sid})
	}
	if e.hasClass("user") && e.get("userAccountControl") == nil {
		e.set("userAccountControl", [][]byte{[]byte("546")})
	}
	g := make([]byte, 16)
	rand.Read(g)
	e.set("objectGUID", [][]byte{g})
	d.entries[k] = e
	d.order = append(d.order, k)
	return nil
}

func (d *Directory) checkAttr(name string, n int) error {
	base, _, _ := strings.Cut(name, ";")
	if !d.schema[strings.ToLower(base)] {
		return rerr(ldapx.ResultUndefinedAttributeType, "attribute '%s' was not found in the schema", base)
	}
	if n > 1 && d.single[strings.ToLower(base)] {
		return rerr(ldapx.ResultConstraintViolation, "attribute '%s' is single-valued", base)
	}
	return nil
}

// Modify implements ldapx.Conn: all changes apply, in order, or none. Funcs.Modify runs instead when set.
func (d *Directory) Modify(ctx context.Context, req *ldapx.ModifyRequest) error {
	if h := d.hooks().Modify; h != nil {
		return h(ctx, req, d.modify)
	}
	return d.modify(ctx, req)
}

func (d *Directory) modify(ctx context.Context, req *ldapx.ModifyRequest) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	cur := d.entries[d.key(req.DN)]
	if cur == nil {
		return rerr(ldapx.ResultNoSuchObject, "no such object: %s", req.DN)
	}
	e := &fakeEntry{dn: cur.dn, attrs: make([]ldapx.Attribute, len(cur.attrs))}
	for i, a := range cur.attrs {
		e.attrs[i] = ldapx.Attribute{Name: a.Name, Values: slices.Clone(a.Values)}
	}
	for _, m := range req.Changes {
		if err := d.checkAttr(m.Name, 0); err != nil {
			return err
		}
		if strings.EqualFold(m.Name, "objectGUID") || strings.EqualFold(m.Name, "objectSid") {
			return rerr(ldapx.ResultConstraintViolation, "%s is system-only", m.Name)
		}
		if strings.EqualFold(m.Name, "unicodePwd") && !d.encrypted {
			return rerr(ldapx.ResultUnwillingToPerform, "unicodePwd requires an encrypted connection")
		}
		a := e.get(m.Name)
		switch m.Op {
		case ldapx.ModAdd:
			for _, v := range m.Values {
				if a != nil && slices.ContainsFunc(a.Values, func(x []byte) bool { return valueEqual(m.Name, x, v) }) {
					return rerr(ldapx.ResultAttributeOrValueExists, "attribute '%s': value exists", m.Name)
				}
				if a != nil && len(a.Values) > 0 && d.single[strings.ToLower(m.Name)] {
					return rerr(ldapx.ResultConstraintViolation, "attribute '%s' is single-valued", m.Name)
				}
				if a == nil {
					e.attrs = append(e.attrs, ldapx.Attribute{Name: m.Name})
					a = &e.attrs[len(e.attrs)-1]
				}
				a.Values = append(a.Values, slices.Clone(v))
			}
		case ldapx.ModDelete:
			if a == nil || len(a.Values) == 0 {
				return rerr(ldapx.ResultNoSuchAttribute, "attribute '%s' not present", m.Name)
			}
			if len(m.Values) == 0 {
				e.del(m.Name)
				continue
			}
			for _, v := range m.Values {
				i := slices.IndexFunc(a.Values, func(x []byte) bool { return valueEqual(m.Name, x, v) })
				if i < 0 {
					return rerr(ldapx.ResultNoSuchAttribute, "attribute '%s': value not present", m.Name)
				}
				a.Values = slices.Delete(a.Values, i, i+1)
			}
			if len(a.Values) == 0 {
				e.del(m.Name)
			}
		case ldapx.ModReplace:
			if len(m.Values) > 1 && d.single[strings.ToLower(m.Name)] {
				return rerr(ldapx.ResultConstraintViolation, "attribute '%s' is single-valued", m.Name)
			}
			if len(m.Values) == 0 {
				e.del(m.Name)
			} else {
				e.set(m.Name, slices.Clone(m.Values))
			}
		}
	}
	cur.attrs = e.attrs
	return nil
}

// ModifyDN implements ldapx.Conn (leaf entries only). Funcs.ModifyDN runs instead when set.
func (d *Directory) ModifyDN(ctx context.Context, req *ldapx.ModifyDNRequest) error {
	if h := d.hooks().ModifyDN; h != nil {
		return h(ctx, req, d.modifyDN)
	}
	return d.modifyDN(ctx, req)
}

func (d *Directory) modifyDN(ctx context.Context, req *ldapx.ModifyDNRequest) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	k := d.key(req.DN)
	e := d.entries[k]
	if e == nil {
		return rerr(ldapx.ResultNoSuchObject, "no such object: %s", req.DN)
	}
	for _, o := range d.order {
		if d.entries[o] != nil && parentKey(o) == k {
			return rerr(ldapx.ResultNotAllowedOnNonLeaf, "the fake moves leaf entries only")
		}
	}
	cur, err := dn.Parse(e.dn)
	if err != nil {
		return rerr(ldapx.ResultInvalidDNSyntax, "%v", err)
	}
	parent := cur.Parent().String()
	if req.NewSuperior != "" {
		parent = req.NewSuperior
	}
	if _, ok := d.entries[dn.Key(parent)]; !ok {
		return rerr(ldapx.ResultNoSuchObject, "new superior %s does not exist", parent)
	}
	newDN := req.NewRDN + "," + parent
	if _, err := dn.Parse(newDN); err != nil {
		return rerr(ldapx.ResultInvalidDNSyntax, "%v", err)
	}
	nk := dn.Key(newDN)
	if _, ok := d.entries[nk]; ok && nk != k {
		return rerr(ldapx.ResultEntryAlreadyExists, "entry already exists: %s", newDN)
	}
	delete(d.entries, k)
	d.order = slices.DeleteFunc(d.order, func(s string) bool { return s == k })
	e.dn = newDN
	d.entries[nk] = e
	d.order = append(d.order, nk)
	return nil
}

var _ ldapx.Conn = (*Directory)(nil)
