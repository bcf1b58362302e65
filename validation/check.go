package validation

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hybridid/hybridid/matching"
)

// Fix is the kind of correction a finding suggests.
type Fix uint8

// The corrections.
const (
	NoFix   Fix = iota // nothing can be suggested safely: a person decides
	Replace            // replace Value with Suggested
	Delete             // delete Value (one value of a multi-valued attribute)
)

var fixNames = [...]string{"", "replace", "delete"}

// String returns "", "replace" or "delete".
func (f Fix) String() string {
	if int(f) < len(fixNames) {
		return fixNames[f]
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (f Fix) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Finding is one problem with one object: the rule, the value, what sync does, and the
// suggested correction.
type Finding struct {
	DN          string         `json:"dn"`
	Class       matching.Class `json:"class"`
	Attribute   string         `json:"attribute,omitempty"`
	Value       string         `json:"value,omitempty"`
	Rule        RuleID         `json:"rule"`
	Severity    Severity       `json:"severity"`
	Consequence Consequence    `json:"consequence"`
	Fix         Fix            `json:"fix,omitempty"`
	Suggested   string         `json:"suggested,omitempty"` // the corrected value, for Replace
	Message     string         `json:"message"`
	Source      string         `json:"source,omitempty"` // where the object was read (file:line)
}

// Config is what validation checks against.
type Config struct {
	// Tenant, when not nil, is the tenant the directory will sync to: userPrincipalName and
	// smtp suffixes are then checked against its verified domains (Tenant.Domains) instead of
	// the routable-namespace test.
	Tenant *matching.TenantState
	// Expected is how many objects are coming, when known: the indexes of the unique attributes
	// are sized for them at once instead of growing. 0 means unknown (len(Records) when
	// Records is set).
	Expected int
	// Records, when not nil, are the on-premises records of the objects the caller will give
	// CheckRecord by index. The Validator then keeps no copies of their values and DNs, as Check
	// must, but refers to the records, which saves about as much memory as the values take: the
	// records must stay unchanged while the Validator is in use.
	Records []matching.OnPrem
}

// Validator checks objects one at a time. It remembers the values of the unique attributes it
// has seen, so that a value that repeats is reported on every object after the first (the first
// keeps it, as sync does). It is not safe for concurrent use.
type Validator struct {
	tenant    bool
	verified  map[string]bool // lower-case verified domain names
	suggest   string          // the default verified domain (not the initial one), for suggestions
	dns       []span          // object number → DN, for naming the first holder of a value
	strs      arena           // the DNs and values kept
	pendingDN bool            // the current object's DN is not in strs yet
	st        store           // strs, and the borrowed records
	cur       int32           // CheckRecord: the index of the current object's record; -1 otherwise

	upn, mail, nick, sam, target, proxy dupIndex
	anchor, sid                         dupIndex // compared byte for byte

	out  []Finding // the findings of the current Check call
	pre  []hashed  // the current object's values and their hashes (see prefetch)
	sink uint32    // keeps prefetch's loads from being optimized away
	// The domain of the last smtp address verifiedOrChild judged, and its verdict: the
	// addresses of a directory share a handful of domains.
	lastDomain string
	lastOK     bool
}

// hashed is one value the current object is about to index, with its hash.
type hashed struct {
	d    *dupIndex
	s    string
	h    uint64
	only bool // the object's one value for d (its anchor), whatever s says
}

// verifiedOrChild reports whether domain is a verified domain, a subdomain of one, or an
// onmicrosoft.com domain (which Entra owns).
func (v *Validator) verifiedOrChild(domain string) bool {
	if domain == v.lastDomain && domain != "" {
		return v.lastOK
	}
	ok := v.verifiedOrChildSlow(domain)
	v.lastDomain, v.lastOK = domain, ok
	return ok
}

func (v *Validator) verifiedOrChildSlow(domain string) bool {
	d := strings.ToLower(domain)
	for {
		if v.verified[d] || d == "onmicrosoft.com" {
			return true
		}
		dot := strings.IndexByte(d, '.')
		if dot < 0 {
			return false
		}
		d = d[dot+1:]
	}
}

// New returns a Validator for cfg.
func New(cfg Config) *Validator {
	v := &Validator{anchor: dupIndex{exact: true}, sid: dupIndex{exact: true}, cur: -1}
	v.st = store{a: &v.strs, recs: cfg.Records}
	n := cfg.Expected
	if n == 0 && cfg.Records != nil {
		n = len(cfg.Records)
	}
	if cfg.Records != nil {
		v.st.rec = make([]int32, 0, n)
	}
	if n > 0 {
		v.dns = make([]span, 0, n)
		v.upn.reserve(n)
		v.mail.reserve(n)
		v.nick.reserve(n)
		proxies := 2 * n
		if cfg.Records != nil {
			proxies = 0
			for i := range cfg.Records {
				proxies += len(cfg.Records[i].ProxyAddresses)
			}
		}
		v.proxy.reserve(proxies)
		v.anchor.reserve(n)
		v.sid.reserve(n)
	}
	if t := cfg.Tenant; t != nil {
		v.tenant = true
		v.verified = make(map[string]bool, len(t.Domains))
		for _, d := range t.Domains {
			v.verified[strings.ToLower(d.Name)] = true
			if !d.IsInitial && (v.suggest == "" || d.IsDefault) && !strings.HasSuffix(strings.ToLower(d.Name), ".onmicrosoft.com") {
				v.suggest = d.Name
			}
		}
	}
	return v
}

// Validate checks every object and returns the findings, in object order.
func Validate(cfg Config, objects []Object) []Finding {
	v := New(cfg)
	var out []Finding
	for i := range objects {
		out = v.Check(out, &objects[i])
	}
	return out
}

// Check appends the findings for o to dst and returns it. Objects that sync does not export
// (computers, organizational units, anything not a user, group or contact) have none.
func (v *Validator) Check(dst []Finding, o *Object) []Finding {
	if !o.Synced() {
		return dst
	}
	// The findings are built in v.out rather than in c, so that o, which c holds, does not
	// escape with them: a caller's Object on its stack stays there.
	v.out = dst
	defer func() { v.out = nil }()
	c := checker{v: v, o: o, id: int32(len(v.dns))}
	// The DN is kept only when the object holds a unique value (see index).
	v.dns = append(v.dns, span{})
	v.pendingDN = v.cur < 0
	if v.st.recs != nil {
		v.st.rec = append(v.st.rec, v.cur)
	}
	if c.excluded() {
		return c.v.out
	}
	v.prefetch(o)
	for _, bad := range o.Invalid {
		c.add(RuleAttributeInvalid, bad.Attribute, "", bad.Attribute+" "+bad.Message+".")
	}
	if o.Class == matching.ClassUser {
		c.upnRules()
		if o.UserPrincipalName == "" {
			c.samRules()
		}
	}
	c.identityRules()
	c.mailRules()
	c.proxyRules()
	c.targetRules()
	if o.Certificates > MaxCertificates {
		c.add(RuleCertificateCount, "userCertificate", "", "userCertificate has "+strconv.Itoa(o.Certificates)+" values; Entra accepts at most 15.")
	}
	if o.SMIMECertificates > MaxCertificates {
		c.add(RuleCertificateCount, "userSMIMECertificate", "", "userSMIMECertificate has "+strconv.Itoa(o.SMIMECertificates)+" values; Entra accepts at most 15.")
	}
	return c.v.out
}

// checker holds the state of one Check call.
type checker struct {
	v  *Validator
	o  *Object
	id int32
}

// prefetch hashes the values of o that the rules will index and reads the slots they fall
// in, all at once: the values and the indexes are far from each other in memory and the
// indexes far larger than the processor's caches, and loads issued together wait for memory
// together instead of one after another. So it first reads the first byte of every value, then
// hashes them, then reads their slots. index then finds the hashes in v.pre. Which values are
// indexed is decided by the rules; a value hashed here and not indexed costs only the hash.
func (v *Validator) prefetch(o *Object) {
	v.pre = v.pre[:0]
	if o.Class == matching.ClassUser {
		v.willIndex(&v.upn, o.UserPrincipalName)
	}
	v.willIndex(&v.mail, o.Mail)
	v.willIndex(&v.nick, o.MailNickname)
	for _, p := range o.ProxyAddresses {
		v.willIndex(&v.proxy, p)
	}
	v.willIndex(&v.sid, o.ObjectSID)
	var sum uint32
	for i := range v.pre {
		sum += uint32(v.pre[i].s[0])
	}
	for i := range v.pre {
		if p := &v.pre[i]; p.d.exact {
			p.h = exactHash(p.s)
		} else {
			p.h = foldHash(p.s)
		}
	}
	g := o.ConsistencyGUID
	if g.IsZero() {
		g = o.ObjectGUID
	}
	if !g.IsZero() && len(v.anchor.slots) > 0 {
		b := g.Bytes()
		v.pre = append(v.pre, hashed{d: &v.anchor, h: exactHash(string(b[:])), only: true})
	}
	for i := range v.pre {
		sum += v.pre[i].d.touch(v.pre[i].h)
	}
	v.sink += sum
}

// willIndex notes for prefetch that s may be indexed in d.
func (v *Validator) willIndex(d *dupIndex, s string) {
	if s != "" && len(d.slots) > 0 {
		v.pre = append(v.pre, hashed{d: d, s: s})
	}
}

// index records value, the field f of this object's record, in d and returns the entry of an
// earlier equal value, or nil. With a borrowed record (CheckRecord) the entry refers to the
// field; otherwise, or when f is fieldCopy, the value is copied.
func (c *checker) index(d *dupIndex, value string, f uint32, primary bool) *dupEntry {
	if c.v.pendingDN {
		c.v.dns[c.id] = c.v.strs.add(c.o.DN)
		c.v.pendingDN = false
	}
	if c.v.cur < 0 {
		f = fieldCopy
	}
	for i := range c.v.pre {
		if p := &c.v.pre[i]; p.d == d && (p.only || p.s == value) {
			return d.addHashed(&c.v.st, value, p.h, f, c.id, c.o.Class, primary)
		}
	}
	var h uint64
	if d.exact {
		h = exactHash(value)
	} else {
		h = foldHash(value)
	}
	return d.addHashed(&c.v.st, value, h, f, c.id, c.o.Class, primary)
}

// holder returns the DN of object obj.
func (c *checker) holder(obj int32) string {
	if r := c.v.st.record(obj); r != nil {
		return r.DN
	}
	return strings.Clone(c.v.strs.str(c.v.dns[obj]))
}

// CheckRecord is Check for the object made of cfg.Records[i] and x (nil when there is
// nothing beyond the record). Its findings are those of Check on that object; the Validator
// refers to the record's values instead of copying them.
func (v *Validator) CheckRecord(dst []Finding, i int, x *Extra) []Finding {
	o := Object{OnPrem: v.st.recs[i]}
	if x != nil {
		o.Extra = *x
	}
	v.cur = int32(i)
	dst = v.Check(dst, &o)
	v.cur = -1
	return dst
}

// add appends a finding of rule with the rule's severity and consequence and no fix.
func (c *checker) add(rule RuleID, attr, value, msg string) *Finding {
	r := rules[ruleIndex[rule]]
	c.v.out = append(c.v.out, Finding{DN: c.o.DN, Class: c.o.Class, Attribute: attr, Value: value, Rule: rule,
		Severity: r.Severity, Consequence: r.Consequence, Message: msg, Source: c.o.Source})
	return &c.v.out[len(c.v.out)-1]
}

// replace sets f's fix to replacing its value with s, when s is not empty and differs.
func replace(f *Finding, s string) {
	if s != "" && s != f.Value {
		f.Fix, f.Suggested = Replace, s
	}
}

// IdFix's well-known exclusions: name prefixes, compared case-insensitively with cn and
// sAMAccountName.
var excludedPrefixes = []string{"admini", "cas_{", "discoverysearchmailbox", "federatedemail", "guest",
	"httpconnector", "krbtgt", "iusr_", "iwam", "msol", "support_", "systemmailbox", "wwioadmini"}

func (c *checker) excluded() bool {
	o := c.o
	switch {
	case o.CriticalSystemObject:
		c.add(RuleExcludedCritical, "isCriticalSystemObject", "TRUE", "A critical system object; IdFix leaves it out and sync does not export it.")
		return true
	case conflictName(o.DN) || conflictName(o.CN):
		c.add(RuleExcludedConflict, "distinguishedName", "", "A replication conflict object (CNF: in its name); IdFix leaves it out. Delete it or rename the object it conflicts with.")
		return true
	}
	for _, name := range [...]string{o.SAMAccountName, o.CN} {
		if strings.HasSuffix(name, "$") {
			c.add(RuleExcludedAccount, "sAMAccountName", name, "A machine or trust account (the name ends in '$'); IdFix leaves it out.")
			return true
		}
		for _, p := range excludedPrefixes {
			if len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) {
				c.add(RuleExcludedName, "cn", name, "A well-known system account name; IdFix leaves it out.")
				return true
			}
		}
	}
	return false
}

// conflictName reports whether a DN or name holds the mark AD gives replication conflict
// objects: a line feed (raw, or escaped as \0A in a DN) followed by "CNF:".
func conflictName(s string) bool {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\\') < 0 {
		return false // the mark needs one of them
	}
	for {
		i := strings.Index(s, "CNF:")
		if i < 0 {
			return false
		}
		if i >= 1 && s[i-1] == '\n' || i >= 3 && s[i-3] == '\\' && s[i-2] == '0' && (s[i-1] == 'A' || s[i-1] == 'a') {
			return true
		}
		s = s[i+4:]
	}
}

func (c *checker) upnRules() {
	o := c.o
	upn := o.UserPrincipalName
	const attr = "userPrincipalName"
	vs := matching.CheckUPN(upn)
	if upn == "" {
		for _, x := range vs {
			c.add(x.Rule, attr, upn, "userPrincipalName "+x.Message+".")
		}
		return
	}
	start := len(c.v.out)
	fixed := upn // the corrected value, built up by the rules below
	if len(vs) > 0 || dotAtomProblem(upn) != "" {
		fixed = suggestUPN(upn)
	}
	for _, x := range vs {
		c.add(x.Rule, attr, upn, "userPrincipalName "+x.Message+".")
	}
	if len(vs) == 0 || vs[0].Rule != matching.RuleUPNFormat {
		if p := dotAtomProblem(upn); p != "" {
			c.add(RuleUPNDotAtom, attr, upn, "userPrincipalName "+p+".")
		}
	}
	if at := strings.LastIndexByte(upn, '@'); at > 0 {
		domain := upn[at+1:]
		switch {
		case c.v.tenant && !c.v.verified[strings.ToLower(domain)]:
			c.add(RuleUPNUnverified, attr, upn, "The domain "+domain+" is not verified in the tenant, so Entra gives the user a UPN on the initial domain.")
			if fixed != "" && c.v.suggest != "" {
				fixed = fixed[:strings.LastIndexByte(fixed, '@')+1] + c.v.suggest
			}
		case !c.v.tenant && !routable(domain):
			c.add(RuleUPNRoutable, attr, upn, "The domain "+domain+" is not routable, so it cannot be verified and Entra gives the user a UPN on the initial domain.")
		}
	}
	if fixed != "" && fixed != upn && matching.CheckUPN(fixed) == nil && dotAtomProblem(fixed) == "" {
		for i := start; i < len(c.v.out); i++ {
			if c.v.out[i].Rule != RuleUPNRoutable {
				replace(&c.v.out[i], fixed)
			}
		}
	}
	if dup := c.index(&c.v.upn, upn, fieldUPN, false); dup != nil {
		c.add(RuleUPNDuplicate, attr, upn, "userPrincipalName is also on "+c.holder(dup.obj)+"; sync quarantines it on this user.")
	}
}

// identityRules checks that the source anchor and objectSid are unique: Entra refuses a second
// object with the same sourceAnchor or OnPremisesSecurityIdentifier.
func (c *checker) identityRules() {
	o := c.o
	g, attr := o.ConsistencyGUID, "mS-DS-ConsistencyGuid"
	if g.IsZero() {
		g, attr = o.ObjectGUID, "objectGUID"
	}
	if !g.IsZero() {
		b := g.Bytes()
		if dup := c.index(&c.v.anchor, string(b[:]), fieldAnchor, false); dup != nil {
			c.add(RuleAnchorDuplicate, attr, g.String(), "The source anchor ("+attr+" "+g.String()+") is also the anchor of "+c.holder(dup.obj)+"; sync exports only one object per anchor.")
		}
	}
	if o.ObjectSID != "" {
		if dup := c.index(&c.v.sid, o.ObjectSID, fieldSID, false); dup != nil {
			c.add(RuleSIDDuplicate, "objectSid", o.ObjectSID, "objectSid is also on "+c.holder(dup.obj)+".")
		}
	}
}

func (c *checker) samRules() {
	sam := c.o.SAMAccountName
	const attr = "sAMAccountName"
	if sam == "" {
		return
	}
	sugg := suggestSAM(sam)
	if strings.ContainsAny(sam, samInvalid) {
		replace(c.add(RuleSAMCharacter, attr, sam, "The user has no userPrincipalName and its sAMAccountName has one of [ \\ \" | , / : < > + = ; ? *."), sugg)
	}
	if len(sam) > MaxSAMLength && utf8.RuneCountInString(sam) > MaxSAMLength {
		replace(c.add(RuleSAMLength, attr, sam, "The user has no userPrincipalName and its sAMAccountName is longer than 20 characters."), sugg)
	}
	if dup := c.index(&c.v.sam, sam, fieldSAM, false); dup != nil {
		c.add(RuleSAMDuplicate, attr, sam, "sAMAccountName is also on "+c.holder(dup.obj)+".")
	}
}

const samInvalid = "[]\\\"|,/:<>+=;?*"

func (c *checker) mailRules() {
	o := c.o
	if o.Mail != "" {
		if dup := c.index(&c.v.mail, o.Mail, fieldMail, false); dup != nil {
			c.add(RuleMailDuplicate, "mail", o.Mail, "mail is also on "+c.holder(dup.obj)+"; only the first object with it is synced.")
		}
	}
	if n := o.MailNickname; n != "" {
		if n[0] == '.' {
			replace(c.add(RuleMailNicknameLeadingPeriod, "mailNickname", n, "mailNickname begins with '.'."), strings.TrimLeft(n, "."))
		}
		if dup := c.index(&c.v.nick, n, fieldNick, false); dup != nil {
			c.add(RuleMailNicknameDuplicate, "mailNickname", n, "mailNickname is also on "+c.holder(dup.obj)+".")
		}
	}
}

func (c *checker) proxyRules() {
	o := c.o
	const attr = "proxyAddresses"
	if n := len(o.ProxyAddresses); n > MaxProxyCount {
		c.add(RuleProxyCount, attr, "", "proxyAddresses has "+strconv.Itoa(n)+" values; above about 300 the object may exceed Entra's size limit.")
	}
	primaries := 0
	var added []string // corrected values suggested so far
	for k, p := range o.ProxyAddresses {
		colon := strings.IndexByte(p, ':')
		if colon <= 0 {
			c.add(RuleProxyPrefix, attr, p, "The value has no type prefix such as \"smtp:\"; proxy calculation discards it.")
			continue
		}
		start := len(c.v.out)
		typ, addr := p[:colon], p[colon+1:]
		newTyp, newAddr := typ, addr // the corrected value, built up by the rules below
		if len(p) > MaxProxyLength && utf8.RuneCountInString(p) > MaxProxyLength {
			c.add(RuleProxyLength, attr, p, "The value is longer than 256 characters.")
		}
		isSMTP := strings.EqualFold(typ, "smtp")
		switch {
		case strings.EqualFold(typ, "x500"):
			if msg := x500Problem(addr); msg != "" {
				c.add(RuleProxyX500Format, attr, p, "The X500 address "+msg+"; proxy calculation discards it.")
			}
		case isSMTP || strings.EqualFold(typ, "sip"):
			clean := true
			if msg := addressCharProblem(addr, proxyInvalid); msg != "" {
				clean = false
				c.add(RuleProxyCharacter, attr, p, "The address "+msg+".")
				newAddr = cleanAddress(addr, proxyInvalid)
				if isSMTP && smtpProblem(newAddr) != "" {
					newAddr = ""
				}
			}
			if isSMTP {
				if clean {
					if msg := smtpProblem(addr); msg != "" {
						c.add(RuleProxySMTPFormat, attr, p, "The address "+msg+".")
					}
				}
				c.domainRule(p, addr)
			}
		}
		if typ == "SMTP" {
			primaries++
			if primaries > 1 {
				c.add(RuleProxyMultiplePrimary, attr, p, "More than one value is primary (\"SMTP:\"); only one may be.")
				newTyp = "smtp"
			}
		}
		if newAddr != "" && (newTyp != typ || newAddr != addr) {
			// A corrected value the object already has (or gets from another correction) makes
			// this one redundant: delete it instead.
			nv := newTyp + ":" + newAddr
			redundant := false
			for _, q := range o.ProxyAddresses {
				if q != p && matching.EqualFold(q, nv) {
					redundant = true
				}
			}
			for _, q := range added {
				if matching.EqualFold(q, nv) {
					redundant = true
				}
			}
			for i := start; i < len(c.v.out); i++ {
				if r := c.v.out[i].Rule; r == RuleProxyCharacter || r == RuleProxyMultiplePrimary {
					if redundant {
						c.v.out[i].Fix = Delete
					} else {
						replace(&c.v.out[i], nv)
					}
				}
			}
			if !redundant {
				added = append(added, nv)
			}
		}
		c.proxyDuplicate(p, fieldProxy+uint32(k), isSMTP, typ == "SMTP")
	}
}

const proxyInvalid = "<>();,[]\""

// domainRule checks the domain of an smtp proxy address: verified in the tenant, or routable.
func (c *checker) domainRule(p, addr string) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return
	}
	domain := addr[at+1:]
	switch {
	case c.v.tenant && !c.v.verifiedOrChild(domain):
		c.add(RuleProxySMTPUnverified, "proxyAddresses", p, "The domain "+domain+" is not verified in the tenant; Entra drops the address.")
	case !c.v.tenant && !routable(domain):
		c.add(RuleProxySMTPRoutable, "proxyAddresses", p, "The domain "+domain+" is not routable; Entra drops the address.")
	}
}

func (c *checker) proxyDuplicate(p string, field uint32, isSMTP, primary bool) {
	o := c.o
	dup := c.index(&c.v.proxy, p, field, primary)
	if dup == nil {
		return
	}
	if dup.obj == c.id {
		c.add(RuleProxyDuplicate, "proxyAddresses", p, "The value appears twice on this object.")
		return
	}
	holder := c.holder(dup.obj)
	if isSMTP && primary && !dup.primary {
		// This object's primary address is a secondary one of the earlier object: the
		// correction is to delete it there, so the finding is on that object.
		f := Finding{DN: holder, Class: dup.class, Attribute: "proxyAddresses", Value: c.v.st.keep(dup), Rule: RuleProxyDuplicate,
			Severity: Error, Consequence: Quarantine, Fix: Delete,
			Message: "The address is the primary SMTP address of " + o.DN + "; sync quarantines it on one of them."}
		if dup.class == matching.ClassUser && o.Class == matching.ClassGroup {
			f.Consequence = Block
			f.Message = "The address is the primary SMTP address of the group " + o.DN + "; a user's secondary address that collides with a group's primary one is refused, not quarantined."
		}
		c.v.out = append(c.v.out, f)
		return
	}
	f := c.add(RuleProxyDuplicate, "proxyAddresses", p, "")
	switch {
	case !isSMTP:
		f.Consequence = Block
		f.Message = "The value is also on " + holder + "; only smtp values are quarantined, so sync refuses this object."
	case !primary && dup.class == matching.ClassGroup && dup.primary && o.Class == matching.ClassUser:
		f.Consequence = Block
		f.Message = "The address is the primary SMTP address of the group " + holder + "; a user's secondary address that collides with a group's primary one is refused, not quarantined."
	default:
		f.Message = "The address is also on " + holder + "; sync quarantines it on this object."
	}
	if !primary {
		f.Fix = Delete
	}
}

func (c *checker) targetRules() {
	t := c.o.TargetAddress
	const attr = "targetAddress"
	if t == "" {
		return
	}
	if len(t) > MaxTargetLength && utf8.RuneCountInString(t) > MaxTargetLength {
		c.add(RuleTargetLength, attr, t, "targetAddress is longer than 255 characters.")
	}
	colon := strings.IndexByte(t, ':')
	typ, addr := "", t
	if colon > 0 {
		typ, addr = t[:colon], t[colon+1:]
	}
	clean := true
	if msg := addressCharProblem(addr, targetInvalid); msg != "" {
		clean = false
		f := c.add(RuleTargetCharacter, attr, t, "targetAddress "+msg+".")
		if s := cleanAddress(addr, targetInvalid); s != "" && colon > 0 {
			replace(f, typ+":"+s)
		}
	}
	switch {
	case colon <= 0:
		c.add(RuleTargetFormat, attr, t, "targetAddress has no type prefix such as \"SMTP:\".")
	case strings.EqualFold(typ, "smtp") && clean:
		if msg := smtpProblem(addr); msg != "" {
			c.add(RuleTargetFormat, attr, t, "The address "+msg+".")
		} else if d := addr[strings.LastIndexByte(addr, '@')+1:]; !routable(d) {
			c.add(RuleTargetFormat, attr, t, "The domain "+d+" is not routable.")
		}
	}
	if dup := c.index(&c.v.target, t, fieldCopy, false); dup != nil {
		c.add(RuleTargetDuplicate, attr, t, "targetAddress is also on "+c.holder(dup.obj)+".")
	}
}

const targetInvalid = "\\<>();,[]\""
