package dn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DN is a parsed distinguished name, held as its canonical text (see [Parse]). The zero DN is
// absent: it has no RDNs, prints as "", and nothing is equal to it or under it but itself.
//
// DN is comparable, but == compares the canonical text, which keeps the case it was given:
// use [DN.Equal] for "names the same entry".
type DN struct {
	s string // canonical text
	n int    // number of RDNs
}

// RDN is one relative distinguished name (one or more type=value pairs joined by '+'), held as
// its canonical text. The zero RDN is absent.
type RDN struct{ s string }

// Parse parses an RFC 4514 distinguished name such as "CN=Lee\, Ann,OU=Staff,DC=corp,DC=example".
//
// It accepts what AD, Samba and ldifde print: escapes of the specials (\, \+ \" \\ \< \> \; \=
// \# and an escaped space), two-hex-digit escapes (\2C, also for the bytes of UTF-8 sequences),
// "#" followed by hex digits (a BER-encoded value), multi-valued RDNs joined by '+', and
// unescaped spaces at both ends and around ',', '+' and '=' (they are not part of any value).
// It refuses an empty DN, an empty RDN or value, an unescaped '"', ';', '<', '>' or NUL in a
// value, a backslash before anything else, invalid UTF-8, the legacy ';' separator and quoted
// values, an attribute type that is neither a name nor a numeric OID, and a type given twice in
// one RDN.
//
// The result prints in canonical form: no insignificant spaces; in values exactly the specials,
// '=', a leading '#' or space and a trailing space escaped with a backslash, control characters
// and bytes that are not valid UTF-8 as upper-case hex pairs, everything else as is; hex values
// in upper case; the attributes of a multi-valued RDN in order of their types. Case is kept.
// Parsing text that is already canonical does not allocate: the DN shares s.
func Parse(s string) (DN, error) {
	if n := plainLen(s); n > 0 {
		return DN{s: s, n: n}, nil
	}
	p := parser{fn: "Parse", in: s}
	t, n, err := p.dn()
	if err != nil {
		return DN{}, err
	}
	return DN{s: t, n: n}, nil
}

// MustParse is Parse for constants and tests: it panics when s does not parse.
func MustParse(s string) DN {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero (absent) DN.
func (d DN) IsZero() bool { return d.n == 0 }

// String returns the canonical text of d ("" for the zero DN).
func (d DN) String() string { return d.s }

// Len returns the number of RDNs in d.
func (d DN) Len() int { return d.n }

// AppendText appends the canonical text of d to b.
func (d DN) AppendText(b []byte) ([]byte, error) { return append(b, d.s...), nil }

// MarshalText returns the canonical text of d; the zero DN marshals to "".
func (d DN) MarshalText() ([]byte, error) { return []byte(d.s), nil }

// UnmarshalText parses text with [Parse]; "" gives the zero DN.
func (d *DN) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = DN{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Equal reports whether d and o name the same entry: the same number of RDNs, attribute types
// equal ignoring ASCII case, values equal under the folding described in the package doc. A
// numeric OID never equals a name ("2.5.4.3" is not "CN"), and a '#' value never equals a
// string value. It does not allocate.
func (d DN) Equal(o DN) bool { return d.n == o.n && foldEqual(d.s, o.s) }

// IsUnder reports whether d is strictly below base (a descendant, not base itself). Nothing is
// under the zero DN. It does not allocate.
func (d DN) IsUnder(base DN) bool {
	return base.n > 0 && d.n > base.n && foldEqual(d.s[skipRDNs(d.s, d.n-base.n):], base.s)
}

// Within reports whether d is base or below it: the sync-scope test for an OU. Nothing is
// within the zero DN. It does not allocate.
func (d DN) Within(base DN) bool {
	return base.n > 0 && d.n >= base.n && foldEqual(d.s[skipRDNs(d.s, d.n-base.n):], base.s)
}

// Parent returns d without its first RDN: the container holding d. The parent of a DN with one
// RDN, and of the zero DN, is the zero DN. It does not allocate.
func (d DN) Parent() DN {
	if d.n <= 1 {
		return DN{}
	}
	return DN{s: d.s[skipRDNs(d.s, 1):], n: d.n - 1}
}

// RDN returns the first RDN of d (the zero RDN for the zero DN). It does not allocate.
func (d DN) RDN() RDN {
	if d.n == 0 {
		return RDN{}
	}
	if d.n == 1 {
		return RDN{s: d.s}
	}
	return RDN{s: d.s[:skipRDNs(d.s, 1)-1]}
}

// Child returns the DN of the entry named r directly below d. The child of the zero DN is the
// DN with the single RDN r; a zero r gives d.
func (d DN) Child(r RDN) DN {
	switch {
	case r.s == "":
		return d
	case d.n == 0:
		return DN{s: r.s, n: 1}
	}
	return DN{s: r.s + "," + d.s, n: d.n + 1}
}

// Normalize returns a text that is the same for two DNs exactly when they are Equal: the
// canonical text with ASCII letters in lower case and other characters folded (see the package
// doc). It is meant for map keys, not for display or for sending to a directory. It allocates
// only when the canonical text is not already folded.
func (d DN) Normalize() string {
	s := d.s
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(s[i:])
			if foldRune(r) == r {
				continue
			}
		} else if c < 'A' || c > 'Z' {
			continue
		}
		var b strings.Builder
		b.Grow(len(s))
		b.WriteString(s[:i])
		for _, r := range s[i:] {
			b.WriteRune(foldRune(r))
		}
		return b.String()
	}
	return s
}

// Equal reports whether the DN texts a and b name the same entry ([DN.Equal]). Texts that do not
// parse are equal only to the identical text. It allocates nothing when both are canonical.
func Equal(a, b string) bool {
	da, errA := Parse(a)
	db, errB := Parse(b)
	if errA != nil || errB != nil {
		return errA != nil && errB != nil && a == b
	}
	return da.Equal(db)
}

// Key returns a map key for the DN text s: [DN.Normalize] of it, or s itself when s does not
// parse. Key(a) == Key(b) exactly when Equal(a, b). It allocates nothing when s is canonical and
// already folded.
func Key(s string) string {
	if d, err := Parse(s); err == nil {
		return d.Normalize()
	}
	return s
}

// NewRDN returns the RDN attrType=value, escaping value as [EscapeValue] does. It fails with
// ErrType when attrType is not an attribute name or numeric OID and with ErrEmpty when value is
// empty.
func NewRDN(attrType, value string) (RDN, error) {
	if typeLen(attrType) != len(attrType) || attrType == "" {
		return RDN{}, perr("NewRDN", attrType, ErrType, "not an attribute name or numeric OID", -1)
	}
	if value == "" {
		return RDN{}, perr("NewRDN", attrType, ErrEmpty, "empty value", -1)
	}
	return RDN{s: attrType + "=" + EscapeValue(value)}, nil
}

// IsZero reports whether r is the zero (absent) RDN.
func (r RDN) IsZero() bool { return r.s == "" }

// String returns the canonical text of r.
func (r RDN) String() string { return r.s }

// Type returns the attribute type of r's first attribute, as given.
func (r RDN) Type() string {
	t, _, _ := cutType(r.s)
	return t
}

// Value returns the value of r's first attribute with the escapes removed ("#…" values are
// returned in their hex form).
func (r RDN) Value() string {
	_, v, _ := cutType(r.s)
	if end := skipAVA(v); end < len(v) {
		v = v[:end]
	}
	return unescape(v)
}

// Equal reports whether r and o are the same RDN, compared as [DN.Equal] compares.
func (r RDN) Equal(o RDN) bool { return foldEqual(r.s, o.s) }

// EscapeValue escapes an attribute value for use in a DN, the way [Parse] prints values:
// the specials ',', '+', '"', '\', '<', '>', ';' and also '=', a leading '#' or space and a
// trailing space get a backslash; control characters and bytes that are not valid UTF-8
// become a backslash and two upper-case hex digits. It returns v itself when nothing needs
// escaping.
func EscapeValue(v string) string {
	var b []byte
	for i := 0; i < len(v); {
		c := v[i]
		n := 1
		if c >= utf8.RuneSelf {
			if r, size := utf8.DecodeRuneInString(v[i:]); r != utf8.RuneError || size > 1 {
				if b != nil {
					b = append(b, v[i:i+size]...)
				}
				i += size
				continue
			}
		}
		e, en := escapeByte(c, i == 0, i == len(v)-1)
		if en != 1 && b == nil {
			b = append(make([]byte, 0, len(v)+8), v[:i]...)
		}
		if b != nil {
			b = append(b, e[:en]...)
		}
		i += n
	}
	if b == nil {
		return v
	}
	return string(b)
}

// foldEqual compares two canonical texts character by character under the folding of the
// package doc. Canonical texts escape only characters that fold to themselves, so the escapes
// of two equal DNs line up.
func foldEqual(a, b string) bool {
	if a == b {
		return true // the common case, compared a word at a time
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if ca|cb < utf8.RuneSelf {
			if ca != cb && lowerASCII(ca) != lowerASCII(cb) {
				return false
			}
			i++
			j++
			continue
		}
		if ca < utf8.RuneSelf || cb < utf8.RuneSelf {
			return false
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra != rb && foldRune(ra) != foldRune(rb) {
			return false
		}
		i += na
		j += nb
	}
	return i == len(a) && j == len(b)
}

// foldRune maps r to the representative of its class: ASCII letters to lower case; another
// character to its simple upper-case mapping when that is not ASCII, else to itself (so that the
// dotless i and the long s never equal i and s). Kelvin sign and K stay apart too.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(lowerASCII(byte(r)))
	}
	if u := unicode.ToUpper(r); u >= utf8.RuneSelf {
		return u
	}
	return r
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// skipRDNs returns the index in the canonical text s just after its k-th RDN separator.
func skipRDNs(s string, k int) int {
	if k == 0 {
		return 0
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ',':
			if k--; k == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// skipAVA returns the index of the first unescaped '+' or ',' in the canonical value text s.
func skipAVA(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '+', ',':
			return i
		}
	}
	return len(s)
}

// cutType splits canonical "type=value…" at its '='.
func cutType(s string) (string, string, bool) { return strings.Cut(s, "=") }

// compareAVAType orders canonical "type=value" texts by type, ignoring ASCII case.
func compareAVAType(a, b string) int {
	ta, _, _ := cutType(a)
	tb, _, _ := cutType(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		x, y := lowerASCII(ta[i]), lowerASCII(tb[i])
		if x != y {
			return int(x) - int(y)
		}
	}
	return len(ta) - len(tb)
}

// unescape removes the escapes of a canonical value.
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			if d := v[i+1]; isHex(d) && i+2 < len(v) && isHex(v[i+2]) {
				b = append(b, unhex(d)<<4|unhex(v[i+2]))
				i += 2
				continue
			}
			i++
			c = v[i]
		}
		b = append(b, c)
	}
	return string(b)
}
