package dn

import (
	"slices"
	"unicode/utf8"
)

// parser turns a DN's text into its canonical text. Its output is built lazily: while the output
// is a prefix of the input, nothing is written (out is nil and n counts the output bytes), so a
// DN that is already canonical parses without allocating.
type parser struct {
	fn  string // the function name for errors
	in  string
	i   int    // read position in in
	out []byte // nil while the output equals in[:n]
	n   int
}

func (p *parser) put(c byte) {
	if p.out == nil {
		if p.n < len(p.in) && p.in[p.n] == c {
			p.n++
			return
		}
		p.out = make([]byte, p.n, len(p.in)+8)
		copy(p.out, p.in[:p.n])
	}
	p.out = append(p.out, c)
}

func (p *parser) putString(s string) {
	for i := 0; i < len(s); i++ {
		p.put(s[i])
	}
}

func (p *parser) size() int {
	if p.out == nil {
		return p.n
	}
	return len(p.out)
}

func (p *parser) text(from, to int) string {
	if p.out == nil {
		return p.in[from:to]
	}
	return string(p.out[from:to])
}

func (p *parser) result() string {
	if p.out == nil {
		return p.in[:p.n]
	}
	return string(p.out)
}

func (p *parser) fail(sentinel error, msg string, at int) error {
	return perr(p.fn, p.in, sentinel, msg, at)
}

func (p *parser) skipSpaces() {
	for p.i < len(p.in) && p.in[p.i] == ' ' {
		p.i++
	}
}

// dn parses a whole DN and returns its canonical text and its number of RDNs.
func (p *parser) dn() (string, int, error) {
	p.skipSpaces()
	if p.i == len(p.in) {
		return "", 0, p.fail(ErrEmpty, "", -1)
	}
	n := 0
	for {
		if err := p.rdn(); err != nil {
			return "", 0, err
		}
		n++
		if p.i == len(p.in) {
			return p.result(), n, nil
		}
		p.i++ // the ',' that rdn stopped at
		p.put(',')
	}
}

// rdn parses one RDN, stopping at the ',' after it or at the end.
func (p *parser) rdn() error {
	var buf [4]int
	starts := buf[:0]
	for {
		starts = append(starts, p.size())
		if err := p.ava(); err != nil {
			return err
		}
		if p.i < len(p.in) && p.in[p.i] == '+' {
			p.i++
			p.put('+')
			continue
		}
		break
	}
	if len(starts) > 1 {
		return p.sortRDN(starts)
	}
	return nil
}

// sortRDN puts the attributes of the multi-valued RDN just written in order of their types (an
// RDN is a set), and refuses a type given twice.
func (p *parser) sortRDN(starts []int) error {
	end := p.size()
	avas := make([]string, len(starts))
	for k, s := range starts {
		e := end
		if k+1 < len(starts) {
			e = starts[k+1] - 1 // without the '+'
		}
		avas[k] = p.text(s, e)
	}
	sorted := slices.SortedFunc(slices.Values(avas), compareAVAType)
	for k := 1; k < len(sorted); k++ {
		if compareAVAType(sorted[k-1], sorted[k]) == 0 {
			t, _, _ := cutType(sorted[k])
			return p.fail(ErrSyntax, "attribute type "+t+" twice in one RDN", -1)
		}
	}
	if slices.Equal(avas, sorted) {
		return nil
	}
	if p.out == nil {
		p.out = make([]byte, p.n, len(p.in)+8)
		copy(p.out, p.in[:p.n])
	}
	p.out = p.out[:starts[0]]
	for k, a := range sorted {
		if k > 0 {
			p.out = append(p.out, '+')
		}
		p.out = append(p.out, a...)
	}
	return nil
}

// ava parses "type=value", leaving p.i at the ',' or '+' after it or at the end.
func (p *parser) ava() error {
	p.skipSpaces()
	start := p.i
	if err := p.attrType(); err != nil {
		return err
	}
	p.putString(p.in[start:p.i])
	p.skipSpaces()
	if p.i == len(p.in) || p.in[p.i] != '=' {
		return p.fail(ErrSyntax, "missing '=' after the attribute type", p.i)
	}
	p.i++
	p.put('=')
	p.skipSpaces()
	if p.i < len(p.in) && p.in[p.i] == '#' {
		return p.hexValue()
	}
	return p.stringValue()
}

// attrType reads a descriptor (a letter, then letters, digits and '-') or a numeric OID.
func (p *parser) attrType() error {
	s, start := p.in, p.i
	if p.i == len(s) || s[p.i] == ',' || s[p.i] == '+' {
		return p.fail(ErrEmpty, "empty RDN", p.i)
	}
	n := typeLen(s[p.i:])
	if n <= 0 {
		return p.fail(ErrType, "not an attribute name or numeric OID", start)
	}
	p.i += n
	return nil
}

// typeLen returns the length of the attribute type at the start of s, or 0 (or -1) when s does not
// start with one. Numeric OIDs have no leading zeros in their arcs.
func typeLen(s string) int {
	if s == "" {
		return 0
	}
	if isAlpha(s[0]) {
		i := 1
		for i < len(s) && (isAlpha(s[i]) || isDigit(s[i]) || s[i] == '-') {
			i++
		}
		return i
	}
	i := 0
	for {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == i || (s[i] == '0' && j-i > 1) {
			return -1
		}
		i = j
		if i == len(s) || s[i] != '.' {
			if i < len(s) && (isAlpha(s[i]) || s[i] == '-') {
				return -1
			}
			return i
		}
		i++
	}
}

// hexValue reads "#" followed by pairs of hex digits (the BER encoding of the value).
func (p *parser) hexValue() error {
	s := p.in
	start := p.i
	p.i++
	p.put('#')
	digits := 0
	for p.i < len(s) && isHex(s[p.i]) {
		p.put(upperHex(s[p.i]))
		p.i++
		digits++
	}
	if digits == 0 || digits%2 == 1 {
		return p.fail(ErrSyntax, "a '#' value needs pairs of hex digits", start)
	}
	p.skipSpaces()
	if p.i < len(s) && s[p.i] != ',' && s[p.i] != '+' {
		return p.fail(ErrSyntax, "unexpected character after a '#' value", p.i)
	}
	return nil
}

// stringValue reads an escaped string value and writes it in canonical escaping.
func (p *parser) stringValue() error {
	s := p.in
	vs, j, sig := p.i, p.i, p.i
	high := false
scan:
	for j < len(s) {
		switch c := s[j]; c {
		case '\\':
			j = min(j+2, len(s))
			sig = j
		case ',', '+':
			break scan
		case ' ':
			j++
		default:
			j++
			sig = j
			if c >= utf8.RuneSelf {
				high = true
			}
		}
	}
	p.i = j
	ve := sig // unescaped trailing spaces are not part of the value
	if ve == vs {
		return p.fail(ErrEmpty, "empty value", vs)
	}
	if high && !utf8.ValidString(s[vs:ve]) {
		return p.fail(ErrSyntax, "invalid UTF-8", vs)
	}
	first := true
	for k := vs; k < ve; {
		c, next, err := p.decode(k, ve)
		if err != nil {
			return err
		}
		if c < utf8.RuneSelf {
			p.putEscaped(c, first, next == ve)
			k, first = next, false
			continue
		}
		// Collect the decoded bytes of one rune: valid UTF-8 is written as is, any other byte
		// as a hex escape.
		var rb [utf8.UTFMax]byte
		var ks [utf8.UTFMax]int
		rb[0], ks[0] = c, next
		m := 1
		for m < utf8.UTFMax && !utf8.FullRune(rb[:m]) && ks[m-1] < ve {
			c2, n2, err := p.decode(ks[m-1], ve)
			if err != nil {
				return err
			}
			rb[m], ks[m] = c2, n2
			m++
		}
		r, size := utf8.DecodeRune(rb[:m])
		if r == utf8.RuneError && size <= 1 {
			p.putEscaped(c, first, next == ve)
			k, first = next, false
			continue
		}
		for x := 0; x < size; x++ {
			p.put(rb[x])
		}
		k, first = ks[size-1], false
	}
	return nil
}

// decode returns the value byte at raw index k (< end) and the index after it.
func (p *parser) decode(k, end int) (byte, int, error) {
	s := p.in
	c := s[k]
	if c != '\\' {
		switch c {
		case '"', ';', '<', '>', 0:
			return 0, 0, p.fail(ErrSyntax, "unescaped "+quoteByte(c), k)
		}
		return c, k + 1, nil
	}
	if k+1 >= end {
		return 0, 0, p.fail(ErrEscape, "backslash at the end of a value", k)
	}
	d := s[k+1]
	if isHex(d) && k+2 < end && isHex(s[k+2]) {
		return unhex(d)<<4 | unhex(s[k+2]), k + 3, nil
	}
	if isSpecial(d) {
		return d, k + 2, nil
	}
	return 0, 0, p.fail(ErrEscape, "backslash before "+quoteByte(d), k)
}

func (p *parser) putEscaped(c byte, first, last bool) {
	e, n := escapeByte(c, first, last)
	for x := 0; x < n; x++ {
		p.put(e[x])
	}
}

// escapeByte returns the canonical text of one value byte: RFC 4514's specials and '=' after a
// backslash, a leading '#' or space and a trailing space escaped, control characters and bytes
// that are not part of valid UTF-8 as a backslash and two upper-case hex digits.
func escapeByte(c byte, first, last bool) ([3]byte, int) {
	switch {
	case c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '=',
		c == ' ' && (first || last), c == '#' && first:
		return [3]byte{'\\', c}, 2
	case c < 0x20 || c == 0x7f || c >= utf8.RuneSelf:
		const hex = "0123456789ABCDEF"
		return [3]byte{'\\', hex[c>>4], hex[c&15]}, 3
	}
	return [3]byte{c}, 1
}

func isSpecial(c byte) bool {
	switch c {
	case ' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\':
		return true
	}
	return false
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// plain marks the ASCII bytes that stand for themselves anywhere inside a canonical value.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `,+"\<>;=` {
		t[c] = false
	}
	return t
}()

// plainLen is Parse's fast path: it returns the number of RDNs of s when s is canonical, uses
// only printable ASCII and needs no escapes (most DNs AD prints), else 0.
func plainLen(s string) int {
	n := 0
	for i := 0; ; {
		t := typeLen(s[i:])
		if t <= 0 || len(s) < i+t+2 || s[i+t] != '=' {
			return 0
		}
		i += t + 1
		start := i
		if s[i] == ' ' || s[i] == '#' {
			return 0
		}
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == start || s[i-1] == ' ' {
			return 0
		}
		n++
		if i == len(s) {
			return n
		}
		if s[i] != ',' {
			return 0
		}
		i++
	}
}
