package validation

import (
	"hash/maphash"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hybridid/hybridid/matching"
)

// arena holds copies of the strings a Validator keeps (the values of unique attributes and the
// DNs of the objects that hold them) in large byte chunks without pointers, so that the garbage
// collector has nothing to scan in them and the records they came from can be collected.
type arena struct {
	chunks [][]byte
}

// span locates a string in an arena.
type span struct {
	chunk, off, n uint32
}

const chunkSize = 1 << 20

// add copies s into the arena.
func (a *arena) add(s string) span {
	k := len(a.chunks) - 1
	if k < 0 || cap(a.chunks[k])-len(a.chunks[k]) < len(s) {
		a.chunks = append(a.chunks, make([]byte, 0, max(chunkSize, len(s))))
		k++
	}
	off := len(a.chunks[k])
	a.chunks[k] = append(a.chunks[k], s...)
	return span{uint32(k), uint32(off), uint32(len(s))}
}

// str returns the string at sp. It shares the arena's memory, which is never written again
// once a string is added.
func (a *arena) str(sp span) string {
	if sp.n == 0 {
		return ""
	}
	return unsafe.String(&a.chunks[sp.chunk][sp.off], int(sp.n))
}

// store resolves the values of index entries: copies in an arena, or fields of the records a
// Validator borrows (Config.Records).
type store struct {
	a    *arena
	recs []matching.OnPrem
	rec  []int32 // object number → index in recs, or -1 for an object given to Check
}

// A span whose chunk is borrowed names a field of its object's record: off is one of these.
const (
	borrowed    = ^uint32(0)
	fieldCopy   = ^uint32(0) // not a field: the value is copied
	fieldUPN    = 0
	fieldMail   = 1
	fieldNick   = 2
	fieldSAM    = 3
	fieldSID    = 4
	fieldAnchor = 5 // the source anchor's 16 bytes: mS-DS-ConsistencyGuid, else objectGUID
	fieldProxy  = 6 // + the index in ProxyAddresses
)

// record returns the borrowed record of object obj, or nil.
func (st *store) record(obj int32) *matching.OnPrem {
	if st.recs == nil || st.rec[obj] < 0 {
		return nil
	}
	return &st.recs[st.rec[obj]]
}

// str returns the value of e. A borrowed value is shared with its record, a copied one with
// the arena (see keep).
func (st *store) str(e *dupEntry) string {
	if e.value.chunk != borrowed {
		return st.a.str(e.value)
	}
	r := st.record(e.obj)
	switch f := e.value.off; f {
	case fieldUPN:
		return r.UserPrincipalName
	case fieldMail:
		return r.Mail
	case fieldNick:
		return r.MailNickname
	case fieldSAM:
		return r.SAMAccountName
	case fieldSID:
		return r.ObjectSID
	case fieldAnchor:
		g := r.ConsistencyGUID
		if g.IsZero() {
			g = r.ObjectGUID
		}
		b := g.Bytes()
		return string(b[:])
	default:
		return r.ProxyAddresses[f-fieldProxy]
	}
}

// keep returns the value of e for a finding: a copy when it lives in the arena, so that the
// finding does not hold on to a whole chunk.
func (st *store) keep(e *dupEntry) string {
	if e.value.chunk != borrowed {
		return strings.Clone(st.a.str(e.value))
	}
	return st.str(e)
}

// dupIndex remembers the values of one unique attribute, compared as Entra compares
// identifiers (matching.EqualFold). A value is kept once, with the first object that had it.
// It is an open-addressing hash table of entry numbers (linear probing, load at most 1/2)
// whose slots head chains of the values with the same 32-bit fingerprint.
type dupIndex struct {
	slots []dupSlot
	e     []dupEntry
	exact bool // compare byte for byte (binary anchors, SIDs) instead of with matching.EqualFold
}

type dupSlot struct {
	fp   uint32 // the high 32 bits of the fold hash of the chain's values
	head int32  // first entry of the chain + 1; 0: empty
}

type dupEntry struct {
	value   span
	obj     int32 // object number
	next    int32 // next entry with the same fingerprint + 1, or 0
	class   matching.Class
	primary bool // proxyAddresses: the value was the primary "SMTP:" one
}

// add records value for object obj, copying it into a. It returns the entry of an earlier equal
// value (which keeps it), or nil when the value is new.
func (d *dupIndex) add(a *arena, value string, obj int32, class matching.Class, primary bool) *dupEntry {
	var h uint64
	if d.exact {
		h = exactHash(value)
	} else {
		h = foldHash(value)
	}
	return d.addHashed(&store{a: a}, value, h, fieldCopy, obj, class, primary)
}

// addHashed is add with the value's hash (exactHash or foldHash, as d compares) already known;
// the value is copied into st's arena when f is fieldCopy, and is otherwise the field f of
// object obj's borrowed record.
func (d *dupIndex) addHashed(st *store, value string, h uint64, f uint32, obj int32, class matching.Class, primary bool) *dupEntry {
	if 2*(len(d.e)+1) > len(d.slots) {
		d.grow()
	}
	s := d.find(h)
	for i := s.head; i > 0; i = d.e[i-1].next {
		if v := st.str(&d.e[i-1]); v == value || !d.exact && matching.EqualFold(v, value) {
			return &d.e[i-1]
		}
	}
	sp := span{chunk: borrowed, off: f}
	if f == fieldCopy {
		sp = st.a.add(value)
	}
	d.e = append(d.e, dupEntry{value: sp, obj: obj, next: s.head, class: class, primary: primary})
	s.fp, s.head = uint32(h>>32), int32(len(d.e))
	return nil
}

// find returns the slot of the values whose hash has h's high 32 bits, or the empty slot
// where it belongs. The position depends on those 32 bits only, so grow can re-place slots.
func (d *dupIndex) find(h uint64) *dupSlot {
	fp := uint32(h >> 32)
	mask := len(d.slots) - 1
	for i := int((uint64(fp)*0x9e3779b97f4a7c15)>>32) & mask; ; i = (i + 1) & mask {
		s := &d.slots[i]
		if s.head == 0 || s.fp == fp {
			return s
		}
	}
}

// touch reads the first slot h is looked up in and returns its fingerprint (see
// checker.prefetch). The index must not be empty.
func (d *dupIndex) touch(h uint64) uint32 {
	fp := uint32(h >> 32)
	return d.slots[int((uint64(fp)*0x9e3779b97f4a7c15)>>32)&(len(d.slots)-1)].fp
}

// reserve sizes the index for n values.
func (d *dupIndex) reserve(n int) {
	size := 1024
	for size < 2*n {
		size *= 2
	}
	d.slots = make([]dupSlot, size)
	d.e = make([]dupEntry, 0, n)
}

func (d *dupIndex) grow() {
	n := max(1024, 2*len(d.slots))
	old := d.slots
	d.slots = make([]dupSlot, n)
	for _, s := range old {
		if s.head == 0 {
			continue
		}
		*d.find(uint64(s.fp) << 32) = s
	}
}

// foldHash hashes s as matching.EqualFold compares it.
func foldHash(s string) uint64 { return matching.FoldHash(s) }

// exactSeed seeds exactHash; hashes are only compared within one process.
var exactSeed = maphash.MakeSeed()

// exactHash hashes s byte for byte.
func exactHash(s string) uint64 { return maphash.String(exactSeed, s) }

// nonRoutableTLDs are top-level names that cannot be registered on the Internet and that
// directories commonly use for internal namespaces.
var nonRoutableTLDs = []string{"local", "localdomain", "localhost", "lan", "internal", "intranet", "home", "corp", "private", "invalid"}

// routable reports whether domain can be a verified Internet domain: two labels or more and
// not an internal top-level name.
func routable(domain string) bool {
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || dot == len(domain)-1 {
		return false
	}
	tld := domain[dot+1:]
	for _, t := range nonRoutableTLDs {
		if strings.EqualFold(tld, t) {
			return false
		}
	}
	return true
}

// dotAtomProblem returns what is wrong with the dots of a UPN of the form prefix@domain (RFC
// 5322 dot-atom: no leading or doubled '.' before '@'; no empty label after it), or "".
// A '.' right before '@' is matching's upn-dot-before-at.
func dotAtomProblem(upn string) string {
	at := strings.LastIndexByte(upn, '@')
	if at <= 0 {
		return ""
	}
	prefix, domain := upn[:at], upn[at+1:]
	if prefix[0] == '.' || strings.Contains(prefix, "..") {
		return "has a leading or doubled '.' before '@'"
	}
	if domain != "" && (domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..")) {
		return "has an empty label in its domain"
	}
	return ""
}

// addressCharProblem returns what is wrong with the characters of an address (after its type
// prefix): whitespace or control characters, a character of invalid, or a non-ASCII letter
// (Microsoft 365 refuses letters with diacritics). "" when none.
func addressCharProblem(addr, invalid string) string {
	// ASCII fast path: the same tests, byte by byte, until the first byte that is not ASCII.
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case c >= utf8.RuneSelf:
			return addressCharProblemRunes(addr[i:], invalid)
		case c <= ' ' || c == 0x7f: // every ASCII space and control character
			return "contains whitespace or a control character"
		case strings.IndexByte(invalid, c) >= 0:
			return "contains the character " + string(rune(c))
		}
	}
	return ""
}

func addressCharProblemRunes(addr, invalid string) string {
	for _, r := range addr {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return "contains whitespace or a control character"
		case r < utf8.RuneSelf && strings.ContainsRune(invalid, r):
			return "contains the character " + string(r)
		case r >= utf8.RuneSelf:
			return "contains a non-ASCII character"
		}
	}
	return ""
}

// cleanAddress removes whitespace, control characters and the characters of invalid from addr
// and spells letters with diacritics without them. It returns "" when a character has no
// plain spelling.
func cleanAddress(addr, invalid string) string {
	var b strings.Builder
	for _, r := range addr {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
		case r < utf8.RuneSelf && strings.ContainsRune(invalid, r):
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		default:
			t, ok := plainLetter(r)
			if !ok {
				return ""
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// smtpProblem returns what keeps addr from being an RFC 5322 addr-spec with a dot-atom local
// part and a host name, or "".
func smtpProblem(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "is not of the form name@domain"
	}
	local, domain := addr[:at], addr[at+1:]
	if len(local) > 64 {
		return "has more than 64 characters before '@'"
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "has a leading, trailing or doubled '.' before '@'"
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(isAlnum(c) || c == '.' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0) {
			return "has a character RFC 5322 does not allow before '@'"
		}
	}
	for label := range strings.SplitSeq(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' || len(label) > 63 {
			return "has an invalid domain"
		}
		for i := 0; i < len(label); i++ {
			if !isAlnum(label[i]) && label[i] != '-' {
				return "has an invalid domain"
			}
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// x500Problem returns what keeps addr from being an X500 distinguished name path
// ("/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=jane"), or "".
// Spaces, parentheses and apostrophes are valid in X500 values.
func x500Problem(addr string) string {
	if addr == "" || addr[0] != '/' {
		return "does not begin with '/'"
	}
	for comp := range strings.SplitSeq(addr[1:], "/") {
		name, _, ok := strings.Cut(comp, "=")
		if !ok || name == "" {
			return "has a part that is not name=value"
		}
		for i := 0; i < len(name); i++ {
			if !isAlnum(name[i]) && name[i] != '-' {
				return "has a part whose name is not a word"
			}
		}
	}
	for _, r := range addr {
		if unicode.IsControl(r) {
			return "contains a control character"
		}
	}
	return ""
}

// suggestUPN returns a corrected userPrincipalName, or "" when none can be made safely: letters
// with diacritics lose them, whitespace goes, other characters not allowed before '@' become
// '_', and leading, doubled and trailing dots of the name go. The result passes every rule.
func suggestUPN(upn string) string {
	at := strings.LastIndexByte(upn, '@')
	if at <= 0 {
		return ""
	}
	var b strings.Builder
	for _, r := range upn[:at] {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
		case r < utf8.RuneSelf && (isAlnum(byte(r)) || strings.ContainsRune("'.-_!#^~", r)):
			b.WriteRune(r)
		case r < utf8.RuneSelf:
			b.WriteByte('_')
		default:
			t, ok := plainLetter(r)
			if !ok {
				return ""
			}
			b.WriteString(t)
		}
	}
	prefix := b.String()
	for strings.Contains(prefix, "..") {
		prefix = strings.ReplaceAll(prefix, "..", ".")
	}
	prefix = strings.Trim(prefix, ".")
	s := prefix + "@" + upn[at+1:]
	if prefix == "" || matching.CheckUPN(s) != nil || dotAtomProblem(s) != "" {
		return ""
	}
	return s
}

// suggestSAM returns a corrected sAMAccountName: characters not allowed become '_' and the name
// is cut to 20 characters; "" when the result would be empty.
func suggestSAM(sam string) string {
	var b []rune
	for _, r := range sam {
		if r < utf8.RuneSelf && strings.ContainsRune(samInvalid, r) {
			r = '_'
		}
		b = append(b, r)
	}
	if len(b) > MaxSAMLength {
		b = b[:MaxSAMLength]
	}
	return strings.TrimRight(string(b), ". ")
}

// plainLetters spells the Latin letters with diacritics that directories commonly hold.
var plainLetters = map[rune]string{}

func init() {
	for _, p := range []struct{ from, to string }{
		{"ÀÁÂÃÄÅĀĂĄ", "A"}, {"àáâãäåāăą", "a"}, {"ÇĆĈĊČ", "C"}, {"çćĉċč", "c"}, {"ĎĐ", "D"}, {"ďđ", "d"},
		{"ÈÉÊËĒĔĖĘĚ", "E"}, {"èéêëēĕėęě", "e"}, {"ĜĞĠĢ", "G"}, {"ĝğġģ", "g"}, {"ĤĦ", "H"}, {"ĥħ", "h"},
		{"ÌÍÎÏĨĪĬĮİ", "I"}, {"ìíîïĩīĭįı", "i"}, {"Ĵ", "J"}, {"ĵ", "j"}, {"Ķ", "K"}, {"ķ", "k"},
		{"ĹĻĽĿŁ", "L"}, {"ĺļľŀł", "l"}, {"ÑŃŅŇ", "N"}, {"ñńņň", "n"}, {"ÒÓÔÕÖØŌŎŐ", "O"}, {"òóôõöøōŏő", "o"},
		{"ŔŖŘ", "R"}, {"ŕŗř", "r"}, {"ŚŜŞŠ", "S"}, {"śŝşš", "s"}, {"ŢŤŦ", "T"}, {"ţťŧ", "t"},
		{"ÙÚÛÜŨŪŬŮŰŲ", "U"}, {"ùúûüũūŭůűų", "u"}, {"Ŵ", "W"}, {"ŵ", "w"}, {"ÝŸŶ", "Y"}, {"ýÿŷ", "y"},
		{"ŹŻŽ", "Z"}, {"źżž", "z"}, {"Æ", "AE"}, {"æ", "ae"}, {"Œ", "OE"}, {"œ", "oe"}, {"ß", "ss"},
		{"Þ", "Th"}, {"þ", "th"}, {"Ð", "D"}, {"ð", "d"},
	} {
		for _, r := range p.from {
			plainLetters[r] = p.to
		}
	}
}

func plainLetter(r rune) (string, bool) {
	s, ok := plainLetters[r]
	return s, ok
}
