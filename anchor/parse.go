package anchor

import (
	"strconv"
)

// hexvalue maps a byte to its hex digit value, or 0xff.
var hexvalue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := byte(0); i < 10; i++ {
		t['0'+i] = i
	}
	for i := byte(0); i < 6; i++ {
		t['a'+i], t['A'+i] = 10+i, 10+i
	}
	return t
}()

// ParseGUID parses the text form of a GUID in any letter case: 36 characters with dashes
// (8be74422-b0d9-47ec-b861-e7de1a9cfb20), the same in braces ({8be74422-…}), or 32 hex digits
// without dashes (.NET's "N" format, text order). The bytes are stored in AD wire order.
func ParseGUID(s string) (ObjectGUID, error) {
	const fn = "ParseGUID"
	t := s
	switch len(s) {
	case 38:
		if s[0] != '{' || s[37] != '}' {
			return ObjectGUID{}, perr(fn, s, ErrSyntax, "38 characters but not enclosed in braces")
		}
		t = s[1:37]
	case 36:
	case 32:
		var g ObjectGUID
		var text [16]byte
		if i := decodeHex(text[:], s); i >= 0 {
			return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(s[i])+" at offset "+strconv.Itoa(i))
		}
		for i, w := range textOrder {
			g.b[w] = text[i]
		}
		g.ok = true
		return g, nil
	case 0:
		return ObjectGUID{}, perr(fn, s, ErrEmpty, "")
	default:
		return ObjectGUID{}, lengthErr(fn, s, "36 with dashes, 38 in braces, or 32 hex digits")
	}
	off := len(s) - len(t) // 1 inside braces
	if t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		for _, i := range [4]int{8, 13, 18, 23} {
			if t[i] != '-' {
				return ObjectGUID{}, perr(fn, s, ErrSyntax, "want '-' at offset "+strconv.Itoa(i+off)+", found "+quoteByte(t[i]))
			}
		}
	}
	var g ObjectGUID
	t = t[:36]
	// Unrolled: text pair k goes to wire byte textOrder[k].
	h := &hexvalue
	var bad byte
	pair := func(i int) byte {
		hi, lo := h[t[i]], h[t[i+1]]
		bad |= hi | lo
		return hi<<4 | lo
	}
	g.b[3], g.b[2], g.b[1], g.b[0] = pair(0), pair(2), pair(4), pair(6)
	g.b[5], g.b[4] = pair(9), pair(11)
	g.b[7], g.b[6] = pair(14), pair(16)
	g.b[8], g.b[9] = pair(19), pair(21)
	g.b[10], g.b[11], g.b[12], g.b[13], g.b[14], g.b[15] = pair(24), pair(26), pair(28), pair(30), pair(32), pair(34)
	if bad > 0xf {
		for _, i := range guidTextOffsets {
			for k := i; k < i+2; k++ {
				if hexvalue[t[k]] == 0xff {
					return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(t[k])+" at offset "+strconv.Itoa(k+off))
				}
			}
		}
	}
	g.ok = true
	return g, nil
}

// guidTextOffsets are the offsets of the 16 hex pairs in the 36-character text form.
var guidTextOffsets = [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// decodeHex decodes len(dst)*2 hex digits from s into dst. It returns the offset of the first
// invalid digit, or -1.
func decodeHex(dst []byte, s string) int {
	s = s[:2*len(dst)]
	var bad byte
	for i := range dst {
		hi, lo := hexvalue[s[2*i]], hexvalue[s[2*i+1]]
		bad |= hi | lo
		dst[i] = hi<<4 | lo
	}
	if bad <= 0xf {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if hexvalue[s[i]] == 0xff {
			return i
		}
	}
	return -1
}

// ParseHex parses the 16 wire-order bytes written as hex digits in any case, in either of the
// two ways tools show them: 32 digits (2244e78bd9b0ec47b861e7de1a9cfb20, as ldifde and ADSI Edit
// show objectGUID), or 16 pairs separated by single spaces
// (22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20, as the Attribute Editor of Active Directory
// Users and Computers shows an octet string such as mS-DS-ConsistencyGuid).
func ParseHex(s string) (ObjectGUID, error) {
	const fn = "ParseHex"
	var g ObjectGUID
	switch len(s) {
	case 32:
		if !decodeHex16(&g.b, s) {
			i := decodeHex(g.b[:], s)
			return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(s[i])+" at offset "+strconv.Itoa(i))
		}
	case spacedHexLen:
		h := &hexvalue
		var bad byte
		for i := range g.b {
			j := 3 * i
			hi, lo := h[s[j]], h[s[j+1]]
			bad |= hi | lo
			g.b[i] = hi<<4 | lo
			if i < 15 && s[j+2] != ' ' {
				return ObjectGUID{}, perr(fn, s, ErrSyntax, "want ' ' at offset "+strconv.Itoa(j+2)+", found "+quoteByte(s[j+2]))
			}
		}
		if bad > 0xf {
			// A digit position holds something else (a space included: "0  00").
			for i := 0; i < len(s); i++ {
				if i%3 != 2 && hexvalue[s[i]] == 0xff {
					return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(s[i])+" at offset "+strconv.Itoa(i))
				}
			}
		}
	case 0:
		return ObjectGUID{}, perr(fn, s, ErrEmpty, "")
	default:
		return ObjectGUID{}, lengthErr(fn, s, "32 hex digits, or 16 space-separated pairs")
	}
	g.ok = true
	return g, nil
}

// spacedHexLen is the length of the space-separated hex form: 16 pairs and 15 spaces.
const spacedHexLen = 16*3 - 1

// ParseLDAPFilterValue parses the RFC 4515 escaped form that LDAP filters use and that
// LDAPFilterValue writes: every one of the 16 wire-order bytes as a backslash and two hex digits
// in any case (\22\44\e7\8b…, 48 characters). Only the value is accepted, not the whole
// "(objectGUID=…)" filter, and every byte must be escaped.
func ParseLDAPFilterValue(s string) (ObjectGUID, error) {
	const fn = "ParseLDAPFilterValue"
	if len(s) != 48 {
		if len(s) == 0 {
			return ObjectGUID{}, perr(fn, s, ErrEmpty, "")
		}
		if len(s) > 0 && s[0] == '(' {
			return ObjectGUID{}, perr(fn, s, ErrSyntax, "a whole filter; give only the escaped value after '='")
		}
		return ObjectGUID{}, lengthErr(fn, s, "48: a backslash and two hex digits for each of 16 bytes")
	}
	var g ObjectGUID
	h := &hexvalue
	var bad byte
	for i := range g.b {
		j := 3 * i
		if s[j] != '\\' {
			return ObjectGUID{}, perr(fn, s, ErrSyntax, "want '\\' at offset "+strconv.Itoa(j)+", found "+quoteByte(s[j]))
		}
		hi, lo := h[s[j+1]], h[s[j+2]]
		bad |= hi | lo
		g.b[i] = hi<<4 | lo
	}
	if bad > 0xf {
		for i := 0; i < len(s); i++ {
			if i%3 != 0 && hexvalue[s[i]] == 0xff {
				return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(s[i])+" at offset "+strconv.Itoa(i))
			}
		}
	}
	g.ok = true
	return g, nil
}

// decodeHex24 decodes 48 hex digits into out and reports whether all were valid.
func decodeHex24(out *[24]byte, s string) bool {
	s = s[:48]
	h := &hexvalue
	var bad byte
	for i := range out {
		hi, lo := h[s[2*i]], h[s[2*i+1]]
		bad |= hi | lo
		out[i] = hi<<4 | lo
	}
	return bad <= 0xf
}

// decodeHex16 decodes 32 hex digits into out and reports whether all were valid.
func decodeHex16(out *[16]byte, s string) bool {
	s = s[:32]
	h := &hexvalue
	var bad byte
	for i := range out {
		hi, lo := h[s[2*i]], h[s[2*i+1]]
		bad |= hi | lo
		out[i] = hi<<4 | lo
	}
	return bad <= 0xf
}

// ConnectorDNLen is the length of the connector-space DN of a 16-byte anchor:
// "CN={" + 48 hex digits + "}".
const ConnectorDNLen = 4 + 2*ImmutableIDLen + 1

// AppendConnectorDN appends the Entra connector-space DN, CN={<hex of the ASCII text of the
// ImmutableID>} with upper-case hex digits, as ADSyncTools' ConvertTo-ADSyncToolsAadDistinguishedName
// writes it (docs/entra-rules.md §1.2). It appends nothing for the zero value.
func (g ObjectGUID) AppendConnectorDN(b []byte) []byte {
	if !g.ok {
		return b
	}
	// Each 6-bit group maps straight to the two hex digits of its Base64 character.
	var out [ConnectorDNLen]byte
	out[0], out[1], out[2], out[3] = 'C', 'N', '=', '{'
	p := &b64HexPairs
	in := &g.b
	for i, j := 0, 4; i < 15; i, j = i+3, j+8 {
		v := uint(in[i])<<16 | uint(in[i+1])<<8 | uint(in[i+2])
		a, b, c, d := p[v>>18&0x3f], p[v>>12&0x3f], p[v>>6&0x3f], p[v&0x3f]
		out[j], out[j+1], out[j+2], out[j+3] = a[0], a[1], b[0], b[1]
		out[j+4], out[j+5], out[j+6], out[j+7] = c[0], c[1], d[0], d[1]
	}
	last := uint(in[15])
	a, c := p[last>>2], p[(last&0x3)<<4]
	out[44], out[45], out[46], out[47] = a[0], a[1], c[0], c[1]
	out[48], out[49], out[50], out[51] = '3', 'D', '3', 'D' // "=="
	out[ConnectorDNLen-1] = '}'
	return append(b, out[:]...)
}

// ConnectorDN returns the connector-space DN, e.g.
// CN={514635484D4B376E38307176645973555049486139513D3D}, or "" for the zero value.
func (g ObjectGUID) ConnectorDN() string {
	var buf [ConnectorDNLen]byte
	return string(g.AppendConnectorDN(buf[:0]))
}

// ParseConnectorDN parses an Entra connector-space DN of a GUID anchor: "CN={" (the CN in any
// case), 48 hex digits in any case that spell the ASCII text of an ImmutableID, and "}".
func ParseConnectorDN(s string) (ObjectGUID, error) {
	const fn = "ParseConnectorDN"
	text, err := connectorDNText(fn, s)
	if err != nil {
		return ObjectGUID{}, err
	}
	if len(text) != 2*ImmutableIDLen {
		if c, err := ParseCloudConnectorDN(s); err == nil {
			return ObjectGUID{}, perr(fn, s, ErrCloudAnchor, "the DN of a cloud-sourced "+c.Type().String()+
				" (object id "+c.ObjectID()+"), which has no AD source anchor; read it with ParseCloudConnectorDN")
		}
		return ObjectGUID{}, perr(fn, s, ErrLength, "the braces hold "+strconv.Itoa(len(text))+
			" hex digits (want 48: the hex of a 24-character ImmutableID)")
	}
	var id [ImmutableIDLen]byte
	if !decodeHex24(&id, text) {
		i := decodeHex(id[:], text)
		return ObjectGUID{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(text[i])+" at offset "+strconv.Itoa(i+4))
	}
	var g ObjectGUID
	if msg := decode16(&g.b, id[:]); msg != "" {
		return ObjectGUID{}, perr(fn, s, ErrSyntax, "the hex spells \""+string(id[:])+"\", not an ImmutableID: "+msg)
	}
	g.ok = true
	return g, nil
}

// connectorDNText checks the CN={…} frame and returns what the braces hold.
func connectorDNText(fn, s string) (string, error) {
	if len(s) == 0 {
		return "", perr(fn, s, ErrEmpty, "")
	}
	if len(s) < 5 || (s[0] != 'C' && s[0] != 'c') || (s[1] != 'N' && s[1] != 'n') || s[2] != '=' || s[3] != '{' || s[len(s)-1] != '}' {
		return "", perr(fn, s, ErrSyntax, "want CN={<hex>}")
	}
	return s[4 : len(s)-1], nil
}

// b64HexPairs holds, for each 6-bit value, the upper-case hex digits of its Base64 character.
var b64HexPairs = func() (t [64][2]byte) {
	for i := range t {
		t[i] = upperHexPairs[b64alphabet[i]]
	}
	return t
}()

// upperHexPairs holds the two upper-case hex digits of every byte.
var upperHexPairs = func() (t [256][2]byte) {
	const upper = "0123456789ABCDEF"
	for i := range t {
		t[i] = [2]byte{upper[i>>4], upper[i&0xf]}
	}
	return t
}()
