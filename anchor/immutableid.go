package anchor

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// ImmutableIDLen is the length of the ImmutableID of a 16-byte anchor: 22 Base64 characters and
// "==" padding.
const ImmutableIDLen = 24

const b64alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// b64value maps a byte to its 6-bit value in the standard Base64 alphabet, or 0xff.
var b64value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(b64alphabet); i++ {
		t[b64alphabet[i]] = byte(i)
	}
	return t
}()

// AppendImmutableID appends the ImmutableID (standard padded Base64 of the wire-order bytes, the
// value Entra Connect writes to onPremisesImmutableId; docs/entra-rules.md §1.2) to b. It
// appends nothing for the zero value.
func (g ObjectGUID) AppendImmutableID(b []byte) []byte {
	if !g.ok {
		return b
	}
	var out [ImmutableIDLen]byte
	encode16(&out, &g.b)
	return append(b, out[:]...)
}

func encode16(out *[ImmutableIDLen]byte, in *[16]byte) {
	j := 0
	for i := 0; i < 15; i += 3 {
		v := uint(in[i])<<16 | uint(in[i+1])<<8 | uint(in[i+2])
		out[j] = b64alphabet[v>>18&0x3f]
		out[j+1] = b64alphabet[v>>12&0x3f]
		out[j+2] = b64alphabet[v>>6&0x3f]
		out[j+3] = b64alphabet[v&0x3f]
		j += 4
	}
	v := uint(in[15])
	out[20] = b64alphabet[v>>2]
	out[21] = b64alphabet[(v&0x3)<<4]
	out[22], out[23] = '=', '='
}

// ImmutableID returns the ImmutableID form, e.g. IkTni9mw7Ee4YefeGpz7IA==, or "" for the zero
// value.
func (g ObjectGUID) ImmutableID() string {
	var buf [ImmutableIDLen]byte
	return string(g.AppendImmutableID(buf[:0]))
}

// ParseImmutableID parses an ImmutableID: exactly 24 characters of standard, padded Base64 (RFC
// 4648 §4) that decode to 16 bytes, which are taken in AD wire order.
//
// It is strict: the URL-safe alphabet, missing padding, whitespace, line breaks, and non-zero
// trailing bits (a non-canonical encoding that Entra Connect never produces, so it could never
// hard-match) are refused. A value that decodes to the text of a GUID (Base64 of the string
// rather than of the bytes) is refused with ErrGUIDText and the correct value in the message. A
// well-formed Base64 anchor of another length (a custom sourceAnchor) is refused with ErrLength:
// use ParseSourceAnchor for those.
func ParseImmutableID(s string) (ObjectGUID, error) {
	const fn = "ParseImmutableID"
	if len(s) != ImmutableIDLen {
		return ObjectGUID{}, immutableIDLengthErr(fn, s)
	}
	var g ObjectGUID
	if err := decode16(&g.b, s); err != "" {
		return ObjectGUID{}, perr(fn, s, ErrSyntax, err)
	}
	g.ok = true
	return g, nil
}

// decode16 decodes the 24-character padded Base64 of 16 bytes. It returns a description of the
// first problem, or "".
func decode16[S ~string | ~[]byte](out *[16]byte, s S) string {
	if s[22] != '=' || s[23] != '=' {
		if s[23] == '=' {
			return "padding \"=\" at offset 23 means 17 bytes, an ImmutableID holds 16 (\"==\" at offsets 22-23)"
		}
		return "missing \"==\" padding at offsets 22-23"
	}
	s = s[:ImmutableIDLen]
	t := &b64value
	var bad byte
	for i, j := 0, 0; i < 20; i, j = i+4, j+3 {
		a, b, c, d := t[s[i]], t[s[i+1]], t[s[i+2]], t[s[i+3]]
		bad |= a | b | c | d
		x := uint(a)<<18 | uint(b)<<12 | uint(c)<<6 | uint(d)
		out[j], out[j+1], out[j+2] = byte(x>>16), byte(x>>8), byte(x)
	}
	a, b := t[s[20]], t[s[21]]
	if bad|a|b > 0x3f {
		for i := 0; i < 22; i++ {
			if t[s[i]] == 0xff {
				return badBase64Char(string(s), i)
			}
		}
	}
	if b&0xf != 0 {
		return "non-zero trailing bits in character " + quoteByte(s[21]) + " at offset 21 (not the canonical encoding)"
	}
	out[15] = a<<2 | b>>4
	return ""
}

func badBase64Char(s string, i int) string {
	c := s[i]
	switch {
	case c == '-' || c == '_':
		return "URL-safe Base64 character " + quoteByte(c) + " at offset " + strconv.Itoa(i) + " (the ImmutableID uses the standard alphabet with '+' and '/')"
	case c == '=':
		return "padding \"=\" at offset " + strconv.Itoa(i) + " (an ImmutableID has exactly two, at the end)"
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		return "whitespace at offset " + strconv.Itoa(i)
	}
	return "invalid Base64 character " + quoteByte(c) + " at offset " + strconv.Itoa(i)
}

func immutableIDLengthErr(fn, s string) error {
	if len(s) == 0 {
		return perr(fn, s, ErrEmpty, "")
	}
	// The classic mistake: Base64 of the GUID's text instead of its bytes.
	if g, ok := decodeGUIDText(s); ok {
		return perr(fn, s, ErrGUIDText, "Base64 of the GUID text \""+g.String()+
			"\" instead of its 16 bytes; the ImmutableID of that GUID is "+g.ImmutableID())
	}
	if t := strings.TrimSpace(s); t != s && len(t) == ImmutableIDLen {
		return perr(fn, s, ErrSyntax, "leading or trailing whitespace")
	}
	if len(s)%4 == 0 {
		if b, err := base64.StdEncoding.Strict().DecodeString(s); err == nil {
			return perr(fn, s, ErrLength, "decodes to "+strconv.Itoa(len(b))+" bytes (want 16); a custom sourceAnchor is not an objectGUID")
		}
	}
	return lengthErr(fn, s, "24")
}

// decodeGUIDText reports whether s is standard Base64 (padded or not, or UTF-16LE as
// PowerShell's [Text.Encoding]::Unicode gives) of a GUID text form.
func decodeGUIDText(s string) (ObjectGUID, bool) {
	if len(s) < 48 || len(s) > 112 {
		return ObjectGUID{}, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return ObjectGUID{}, false
		}
	}
	if len(b) >= 72 && len(b)%2 == 0 { // UTF-16LE
		n := make([]byte, 0, len(b)/2)
		for i := 0; i < len(b); i += 2 {
			if b[i+1] != 0 {
				return ObjectGUID{}, false
			}
			n = append(n, b[i])
		}
		b = n
	}
	g, err := ParseGUID(string(b))
	if err != nil {
		return ObjectGUID{}, false
	}
	return g, true
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "0x" + string([]byte{hexdigits[c>>4], hexdigits[c&0xf]})
}
