package anchor

import (
	"bytes"
	"strconv"
)

// ObjectGUID is an Active Directory objectGUID (or a mS-DS-ConsistencyGuid value): 16 bytes in AD
// wire order, the order LDAP returns them in and .NET Guid.ToByteArray produces. Data1 (4 bytes),
// Data2 (2 bytes) and Data3 (2 bytes) are little-endian; Data4 (8 bytes) is as written
// (docs/entra-rules.md §1.3, MS-DTYP 2.3.4.2).
//
// The text form 35918bc9-196d-40ea-9779-889d79b753f0 therefore has the wire bytes
// c9 8b 91 35 6d 19 ea 40 97 79 88 9d 79 b7 53 f0. Libraries that use RFC 4122 byte order, such as
// github.com/google/uuid, read the first eight bytes in the other direction: feeding them raw
// objectGUID bytes gives a wrong GUID and a wrong ImmutableID.
//
// ObjectGUID is a comparable value type, like netip.Addr. Its zero value means "absent" and is
// distinct from the nil GUID 00000000-0000-0000-0000-000000000000, which is a valid, present value.
type ObjectGUID struct {
	b  [16]byte
	ok bool
}

// FromBytes returns the ObjectGUID whose raw attribute value (as LDAP returns objectGUID or
// mS-DS-ConsistencyGuid) is b. b must hold exactly 16 bytes.
func FromBytes(b []byte) (ObjectGUID, error) {
	if len(b) != 16 {
		return ObjectGUID{}, &ParseError{Func: "FromBytes", Input: hexString(b), Err: &reason{
			msg: "invalid length " + strconv.Itoa(len(b)) + " bytes (want 16)", err: ErrLength}}
	}
	var g ObjectGUID
	copy(g.b[:], b)
	g.ok = true
	return g, nil
}

// FromArray returns the ObjectGUID with the wire-order bytes b.
func FromArray(b [16]byte) ObjectGUID { return ObjectGUID{b: b, ok: true} }

// IsZero reports whether g is the zero value, meaning "absent".
func (g ObjectGUID) IsZero() bool { return !g.ok }

// Bytes returns the 16 bytes in AD wire order. It returns all zeros for the zero value.
func (g ObjectGUID) Bytes() [16]byte { return g.b }

// RFCBytes returns the 16 bytes in RFC 4122 (big-endian, text) order, the order of
// github.com/google/uuid and of Python's uuid.UUID.bytes. Entra never uses this order; it is here
// for interoperability and for diagnosing the classic byte-order mistake.
func (g ObjectGUID) RFCBytes() [16]byte { return swapOrder(g.b) }

// FromRFCBytes returns the ObjectGUID whose RFC 4122 (big-endian) bytes are b, such as a
// uuid.UUID value.
func FromRFCBytes(b [16]byte) ObjectGUID { return ObjectGUID{b: swapOrder(b), ok: true} }

func swapOrder(b [16]byte) [16]byte {
	b[0], b[1], b[2], b[3] = b[3], b[2], b[1], b[0]
	b[4], b[5] = b[5], b[4]
	b[6], b[7] = b[7], b[6]
	return b
}

// Compare returns -1, 0 or +1 comparing g and h by their wire-order bytes; the zero value sorts
// first.
func (g ObjectGUID) Compare(h ObjectGUID) int {
	switch {
	case g.ok != h.ok:
		if !g.ok {
			return -1
		}
		return 1
	}
	return bytes.Compare(g.b[:], h.b[:])
}

const hexdigits = "0123456789abcdef"

// textOrder lists, for each of the 16 bytes of the text form in reading order, its wire index.
var textOrder = [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}

// GUIDLen is the length of the canonical text form.
const GUIDLen = 36

// AppendGUID appends the canonical text form (lower case, with dashes, no braces) to b. It
// appends nothing for the zero value.
func (g ObjectGUID) AppendGUID(b []byte) []byte {
	if !g.ok {
		return b
	}
	var out [GUIDLen]byte
	j := 0
	for i, w := range textOrder {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		c := g.b[w]
		out[j], out[j+1] = hexdigits[c>>4], hexdigits[c&0xf]
		j += 2
	}
	return append(b, out[:]...)
}

// String returns the canonical text form, e.g. 8be74422-b0d9-47ec-b861-e7de1a9cfb20, or "" for
// the zero value.
func (g ObjectGUID) String() string {
	if !g.ok {
		return ""
	}
	var buf [GUIDLen]byte
	return string(g.AppendGUID(buf[:0]))
}

// AppendHex appends the 32 lower-case hex digits of the wire-order bytes (as ldifde and ADSI
// show them) to b. It appends nothing for the zero value.
func (g ObjectGUID) AppendHex(b []byte) []byte {
	if !g.ok {
		return b
	}
	var out [32]byte
	for i, c := range g.b {
		out[2*i], out[2*i+1] = hexdigits[c>>4], hexdigits[c&0xf]
	}
	return append(b, out[:]...)
}

// Hex returns the wire-order hex form, e.g. 2244e78bd9b0ec47b861e7de1a9cfb20, or "".
func (g ObjectGUID) Hex() string {
	var buf [32]byte
	return string(g.AppendHex(buf[:0]))
}

// AppendLDAPFilterValue appends the RFC 4515 escaped form of the raw bytes (\hh for every octet)
// to b, ready for (objectGUID=…) or (mS-DS-ConsistencyGuid=…). It appends nothing for the zero
// value.
func (g ObjectGUID) AppendLDAPFilterValue(b []byte) []byte {
	if !g.ok {
		return b
	}
	var out [48]byte
	for i, c := range g.b {
		out[3*i], out[3*i+1], out[3*i+2] = '\\', hexdigits[c>>4], hexdigits[c&0xf]
	}
	return append(b, out[:]...)
}

// LDAPFilterValue returns the escaped filter value, e.g. \22\44\e7\8b…, or "" for the zero value
// (docs/entra-rules.md §7).
func (g ObjectGUID) LDAPFilterValue() string {
	var buf [48]byte
	return string(g.AppendLDAPFilterValue(buf[:0]))
}

// MarshalText implements encoding.TextMarshaler with the canonical GUID text; the zero value
// marshals to "".
func (g ObjectGUID) MarshalText() ([]byte, error) { return g.AppendGUID(nil), nil }

// AppendText implements encoding.TextAppender.
func (g ObjectGUID) AppendText(b []byte) ([]byte, error) { return g.AppendGUID(b), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It accepts what ParseGUID accepts, and ""
// for the zero value.
func (g *ObjectGUID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*g = ObjectGUID{}
		return nil
	}
	v, err := ParseGUID(string(text))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler: the 16 wire-order bytes, or none for the
// zero value.
func (g ObjectGUID) MarshalBinary() ([]byte, error) {
	if !g.ok {
		return []byte{}, nil
	}
	b := g.b
	return b[:], nil
}

// AppendBinary implements encoding.BinaryAppender.
func (g ObjectGUID) AppendBinary(b []byte) ([]byte, error) {
	if !g.ok {
		return b, nil
	}
	return append(b, g.b[:]...), nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler: 16 bytes, or none for the zero value.
func (g *ObjectGUID) UnmarshalBinary(data []byte) error {
	if len(data) == 0 {
		*g = ObjectGUID{}
		return nil
	}
	v, err := FromBytes(data)
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// MustParse is like Parse but panics on error. It is meant for tests and package-level
// variables holding constants.
func MustParse(s string) ObjectGUID {
	g, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return g
}

func hexString(b []byte) string {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, hexdigits[c>>4], hexdigits[c&0xf])
	}
	return string(out)
}
