package anchor

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// SourceAnchor is the value Entra receives from the sync client as onPremisesImmutableId
// (docs/entra-rules.md §1.2, §1.5): with the default configuration, the Base64 of the 16
// bytes of mS-DS-ConsistencyGuid or objectGUID; with a binary or integer custom sourceAnchor
// attribute, the Base64 of its bytes; with a string attribute such as employeeID, the string
// itself. SourceAnchor keeps the text Entra stores and, when that text is the canonical
// ImmutableID of 16 bytes, the ObjectGUID it encodes, so that callers are not forced to pretend
// every anchor is a GUID.
//
// SourceAnchor is comparable; two anchors are equal when their texts are equal byte for byte
// (Base64 is case-sensitive). Its zero value means "no anchor".
type SourceAnchor struct {
	s string
	g ObjectGUID
}

// AnchorOf returns the anchor Entra Connect computes from a GUID-valued attribute: the
// ImmutableID of g. It returns the zero SourceAnchor for the zero ObjectGUID.
func AnchorOf(g ObjectGUID) SourceAnchor {
	if !g.ok {
		return SourceAnchor{}
	}
	return SourceAnchor{s: g.ImmutableID(), g: g}
}

// BinaryAnchor returns the anchor of a binary attribute value: the standard Base64 of b (a GUID
// when b has 16 bytes). It returns the zero SourceAnchor for an empty b.
func BinaryAnchor(b []byte) SourceAnchor {
	if len(b) == 16 {
		g, _ := FromBytes(b)
		return AnchorOf(g)
	}
	if len(b) == 0 {
		return SourceAnchor{}
	}
	return SourceAnchor{s: base64.StdEncoding.EncodeToString(b)}
}

// sourceAnchorForbidden are the characters a string sourceAnchor value must not contain
// (docs/entra-rules.md §1.5, [DESIGN]).
const sourceAnchorForbidden = "\\!#$%&*+/=?^`{}|~<>()';:,[]\"@_"

// StringAnchor returns the anchor of a string-valued custom sourceAnchor attribute (such as
// employeeID), which Entra Connect uses as is. It applies the documented value rules
// (docs/entra-rules.md §1.5): not empty, none of \ ! # $ % & * + / = ? ^ ` { } | ~ < > ( ) ' ; : , [ ] " @ _,
// and fewer than 60 characters where a character other than a-z, A-Z, 0-9 counts as 3.
func StringAnchor(value string) (SourceAnchor, error) {
	const fn = "StringAnchor"
	if value == "" {
		return SourceAnchor{}, perr(fn, value, ErrEmpty, "")
	}
	cost := 0
	for i := 0; i < len(value); i++ {
		c := value[i]
		if strings.IndexByte(sourceAnchorForbidden, c) >= 0 {
			return SourceAnchor{}, perr(fn, value, ErrSyntax, "character "+quoteByte(c)+" at offset "+strconv.Itoa(i)+" is not allowed in a sourceAnchor value")
		}
		if c < 0x20 || c == 0x7f {
			return SourceAnchor{}, perr(fn, value, ErrSyntax, "control character "+quoteByte(c)+" at offset "+strconv.Itoa(i))
		}
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
			cost++
		} else if c < 0x80 || c&0xc0 == 0xc0 { // count each non-alphanumeric character once, not each UTF-8 byte
			cost += 3
		}
	}
	if cost >= 60 {
		return SourceAnchor{}, perr(fn, value, ErrLength, "encoded length "+strconv.Itoa(cost)+" (want fewer than 60; characters other than a-z, A-Z, 0-9 count as 3)")
	}
	return SourceAnchor{s: value}, nil
}

// ParseSourceAnchor parses an onPremisesImmutableId as Graph returns it. It refuses only what
// Graph refuses (docs/entra-rules.md §1.7): the empty string and the characters '$' and '_'.
// Any other text is kept as is; when it is the canonical ImmutableID of 16 bytes, GUID reports
// the ObjectGUID. Use Diagnose to look for the classic mistakes in a value Graph accepted.
func ParseSourceAnchor(s string) (SourceAnchor, error) {
	const fn = "ParseSourceAnchor"
	if s == "" {
		return SourceAnchor{}, perr(fn, s, ErrEmpty, "")
	}
	if i := strings.IndexAny(s, "$_"); i >= 0 {
		return SourceAnchor{}, perr(fn, s, ErrSyntax, "character "+quoteByte(s[i])+" at offset "+strconv.Itoa(i)+
			" (Graph does not allow '$' or '_' in onPremisesImmutableId)")
	}
	a := SourceAnchor{s: s}
	if len(s) == ImmutableIDLen {
		if g, err := ParseImmutableID(s); err == nil {
			a.g = g
		}
	}
	return a, nil
}

// MustParseSourceAnchor is like ParseSourceAnchor but panics on error; for tests.
func MustParseSourceAnchor(s string) SourceAnchor {
	a, err := ParseSourceAnchor(s)
	if err != nil {
		panic(err)
	}
	return a
}

// IsZero reports whether a is the zero value ("no anchor").
func (a SourceAnchor) IsZero() bool { return a.s == "" }

// String returns the anchor text as Entra stores it in onPremisesImmutableId.
func (a SourceAnchor) String() string { return a.s }

// GUID returns the ObjectGUID the anchor encodes, and whether it encodes one.
func (a SourceAnchor) GUID() (ObjectGUID, bool) { return a.g, a.g.ok }

// Compare compares anchor texts byte by byte; the zero value sorts first.
func (a SourceAnchor) Compare(b SourceAnchor) int { return strings.Compare(a.s, b.s) }

// ConnectorDN returns the Entra connector-space DN of the anchor, CN={<upper-case hex of its
// ASCII text>}, or "" for the zero value.
func (a SourceAnchor) ConnectorDN() string {
	if a.s == "" {
		return ""
	}
	if a.g.ok {
		return a.g.ConnectorDN()
	}
	const upper = "0123456789ABCDEF"
	b := make([]byte, 0, 5+2*len(a.s))
	b = append(b, "CN={"...)
	for i := 0; i < len(a.s); i++ {
		b = append(b, upper[a.s[i]>>4], upper[a.s[i]&0xf])
	}
	return string(append(b, '}'))
}

// ParseConnectorDNAnchor parses a connector-space DN of any anchor, GUID or not.
func ParseConnectorDNAnchor(s string) (SourceAnchor, error) {
	const fn = "ParseConnectorDNAnchor"
	text, err := connectorDNText(fn, s)
	if err != nil {
		return SourceAnchor{}, err
	}
	if len(text)%2 != 0 || len(text) == 0 {
		return SourceAnchor{}, perr(fn, s, ErrLength, "the braces hold "+strconv.Itoa(len(text))+" hex digits (want an even, non-zero number)")
	}
	raw := make([]byte, len(text)/2)
	if i := decodeHex(raw, text); i >= 0 {
		return SourceAnchor{}, perr(fn, s, ErrSyntax, "invalid hex digit "+quoteByte(text[i])+" at offset "+strconv.Itoa(i+4))
	}
	if c, msg := parseCloudText(string(raw)); msg == "" {
		return SourceAnchor{}, perr(fn, s, ErrCloudAnchor, "the DN of a cloud-sourced "+c.Type().String()+
			" (object id "+c.ObjectID()+"), which has no AD source anchor; read it with ParseCloudConnectorDN")
	}
	a, err := ParseSourceAnchor(string(raw))
	if err != nil {
		return SourceAnchor{}, perr(fn, s, ErrSyntax, "the hex spells "+strconv.Quote(string(raw))+": "+err.(*ParseError).Err.Error())
	}
	return a, nil
}

// MarshalText implements encoding.TextMarshaler: the anchor text, "" for the zero value.
func (a SourceAnchor) MarshalText() ([]byte, error) { return []byte(a.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseSourceAnchor; "" gives the zero
// value.
func (a *SourceAnchor) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = SourceAnchor{}
		return nil
	}
	v, err := ParseSourceAnchor(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Diagnose looks for the classic mistakes in an anchor that Graph accepted: Base64 of a GUID's
// text instead of its bytes (ErrGUIDText), and a 24-character value that is not canonical
// Base64 of 16 bytes (URL-safe alphabet, non-zero trailing bits: ErrSyntax), which Entra Connect
// never computes and so can never hard-match. It returns nil for a GUID anchor and for a string
// anchor that looks deliberate.
func (a SourceAnchor) Diagnose() error {
	const fn = "Diagnose"
	if a.s == "" || a.g.ok {
		return nil
	}
	if g, ok := decodeGUIDText(a.s); ok {
		return perr(fn, a.s, ErrGUIDText, "Base64 of the GUID text \""+g.String()+"\" instead of its 16 bytes; the ImmutableID of that GUID is "+g.ImmutableID())
	}
	if len(a.s) == ImmutableIDLen && strings.HasSuffix(a.s, "==") {
		var b [16]byte
		if msg := decode16(&b, a.s); msg != "" {
			return perr(fn, a.s, ErrSyntax, "looks like an ImmutableID but is not canonical Base64 of 16 bytes: "+msg)
		}
	}
	return nil
}

// CheckImmutableID reports whether immutableID is the ImmutableID of want, and if not, which
// classic mistake produced it: ErrByteOrder for Base64 of the RFC 4122 (big-endian) byte order,
// ErrGUIDText for Base64 of the GUID text, ErrMismatch for an unrelated value. The message names
// the correct value.
func CheckImmutableID(immutableID string, want ObjectGUID) error {
	const fn = "CheckImmutableID"
	if !want.ok {
		return perr(fn, immutableID, ErrEmpty, "no GUID to check against")
	}
	correct := want.ImmutableID()
	if immutableID == correct {
		return nil
	}
	got, err := ParseImmutableID(immutableID)
	if err != nil {
		if g, ok := decodeGUIDText(immutableID); ok && g == want {
			return perr(fn, immutableID, ErrGUIDText, "Base64 of the GUID text of "+want.String()+" instead of its bytes; the ImmutableID is "+correct)
		}
		return err
	}
	if got.b == swapOrder(want.b) {
		return perr(fn, immutableID, ErrByteOrder, "Base64 of the RFC 4122 (big-endian) bytes of "+want.String()+
			"; Entra uses the AD wire order (Data1-Data3 little-endian): the ImmutableID is "+correct)
	}
	return perr(fn, immutableID, ErrMismatch, "encodes "+got.String()+", not "+want.String()+" (whose ImmutableID is "+correct+")")
}
