package ldapx

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// This file is a minimal BER codec for the LDAP messages that the search path reads and writes
// itself (RFC 4511 §4.5, RFC 2696), so that search results are decoded straight from the bytes
// into Entries without building go-ldap's per-element packet tree. LDAP uses definite lengths
// and single-byte tags only (RFC 4511 §5.1), which is all this codec accepts.

// maxMessage bounds one LDAP message read from the server, and so the memory one message can make
// this package allocate. 8 MiB is six times the largest entry the attributes this package
// requests can make on AD: proxyAddresses is the biggest, at most 1123 values of at most 1123
// characters (rangeUpper, docs/entra-rules.md §7), about 1.3 MB; every other requested attribute
// is single-valued and small, and multi-valued ones beyond AD's MaxValRange come back in ranges.
// A message past the bound is refused before anything is allocated for it.
const maxMessage = 8 << 20

// BER tags used here.
const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagEnumerated  = 0x0a
	tagSequence    = 0x30
	tagSet         = 0x31

	tagSearchRequest   = 0x63 // [APPLICATION 3]
	tagSearchEntry     = 0x64 // [APPLICATION 4]
	tagSearchDone      = 0x65 // [APPLICATION 5]
	tagAbandonRequest  = 0x50 // [APPLICATION 16], primitive
	tagSearchReference = 0x73 // [APPLICATION 19]
	tagExtendedRequest = 0x77 // [APPLICATION 23]
	tagExtendedResp    = 0x78 // [APPLICATION 24]
	tagControls        = 0xa0 // [0] Controls
	tagExtReqName      = 0x80 // [0] requestName
)

const (
	oidPaging   = "1.2.840.113556.1.4.319"
	oidStartTLS = "1.3.6.1.4.1.1466.20037"
)

var errBER = errors.New("malformed BER")

// berTLV splits the first element of b into its tag, its content and what follows it.
func berTLV(b []byte) (tag byte, content, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, fmt.Errorf("%w: truncated element", errBER)
	}
	tag = b[0]
	if tag&0x1f == 0x1f {
		return 0, nil, nil, fmt.Errorf("%w: multi-byte tag", errBER)
	}
	// The length is accumulated in 64 bits and compared before it becomes an int, so that four
	// length bytes cannot overflow a 32-bit int into a negative length.
	n, i := uint64(b[1]), 2
	if n&0x80 != 0 {
		k := int(n & 0x7f)
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, fmt.Errorf("%w: bad length", errBER)
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | uint64(c)
		}
		i = 2 + k
	}
	if n > uint64(len(b)-i) {
		return 0, nil, nil, fmt.Errorf("%w: element of %d bytes exceeds its container", errBER, n)
	}
	end := i + int(n)
	return tag, b[i:end:end], b[end:], nil
}

// berExpect is berTLV requiring the tag want.
func berExpect(b []byte, want byte, what string) (content, rest []byte, err error) {
	tag, content, rest, err := berTLV(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	if tag != want {
		return nil, nil, fmt.Errorf("%w: %s has tag 0x%02x, want 0x%02x", errBER, what, tag, want)
	}
	return content, rest, nil
}

// berInt decodes a two's-complement INTEGER or ENUMERATED content of 1 to 8 bytes.
func berInt(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 8 {
		return 0, fmt.Errorf("%w: integer of %d bytes", errBER, len(b))
	}
	v := int64(int8(b[0]))
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return v, nil
}

// appendLen appends a BER definite length.
func appendLen(b []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n <= 0xff:
		return append(b, 0x81, byte(n))
	case n <= 0xffff:
		return append(b, 0x82, byte(n>>8), byte(n))
	case n <= 0xffffff:
		return append(b, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(b, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func appendTLV(b []byte, tag byte, content []byte) []byte {
	b = append(b, tag)
	b = appendLen(b, len(content))
	return append(b, content...)
}

func appendString(b []byte, tag byte, s string) []byte {
	b = append(b, tag)
	b = appendLen(b, len(s))
	return append(b, s...)
}

// appendInt appends a minimal two's-complement INTEGER (or ENUMERATED, by tag).
func appendInt(b []byte, tag byte, v int64) []byte {
	n := 1
	for x := v; x > 127 || x < -128; x >>= 8 {
		n++
	}
	b = append(b, tag, byte(n))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// encodeMessage wraps a protocolOp (and optional controls) in an LDAPMessage.
func encodeMessage(id int64, op, controls []byte) []byte {
	var body []byte
	body = appendInt(body, tagInteger, id)
	body = append(body, op...)
	if controls != nil {
		body = appendTLV(body, tagControls, controls)
	}
	return appendTLV(make([]byte, 0, len(body)+6), tagSequence, body)
}

// encodeSearch encodes a SearchRequest (RFC 4511 §4.5.1) with a paged-results control when
// req.PageSize > 0. filter is the compiled RFC 4515 filter.
func encodeSearch(id int64, req *SearchRequest, filter []byte) []byte {
	var s []byte
	s = appendString(s, tagOctetString, req.BaseDN)
	s = appendInt(s, tagEnumerated, int64(req.Scope))
	s = appendInt(s, tagEnumerated, 0) // neverDerefAliases
	s = appendInt(s, tagInteger, 0)    // sizeLimit
	s = appendInt(s, tagInteger, 0)    // timeLimit
	s = append(s, tagBoolean, 1, 0)    // typesOnly FALSE
	s = append(s, filter...)
	var attrs []byte
	for _, a := range req.Attributes {
		attrs = appendString(attrs, tagOctetString, a)
	}
	s = appendTLV(s, tagSequence, attrs)
	op := appendTLV(nil, tagSearchRequest, s)
	var controls []byte
	if req.PageSize > 0 {
		var v []byte
		v = appendInt(v, tagInteger, int64(req.PageSize))
		v = appendTLV(v, tagOctetString, req.Cookie)
		var c []byte
		c = appendString(c, tagOctetString, oidPaging)
		c = appendTLV(c, tagOctetString, appendTLV(nil, tagSequence, v))
		controls = appendTLV(nil, tagSequence, c)
	}
	return encodeMessage(id, op, controls)
}

// encodeAbandon encodes an AbandonRequest (RFC 4511 §4.11) for the message target.
func encodeAbandon(id, target int64) []byte {
	op := appendInt(nil, tagAbandonRequest, target)
	return encodeMessage(id, op, nil)
}

// encodeStartTLS encodes the StartTLS extended request (RFC 4511 §4.14.1).
func encodeStartTLS(id int64) []byte {
	op := appendTLV(nil, tagExtendedRequest, appendString(nil, tagExtReqName, oidStartTLS))
	return encodeMessage(id, op, nil)
}

// readHeader reads the tag and length of the next LDAPMessage from r, returning the header
// bytes (for forwarding) and the content length.
func readHeader(r io.Reader, hdr *[6]byte) (header []byte, n int, err error) {
	if _, err := io.ReadFull(r, hdr[:2]); err != nil {
		return nil, 0, err
	}
	if hdr[0] != tagSequence {
		return nil, 0, fmt.Errorf("%w: LDAP message starts with tag 0x%02x", errBER, hdr[0])
	}
	// Accumulated in 64 bits and checked against the bound before it becomes an int: no
	// overflow on 32-bit builds, no allocation past the bound.
	u := uint64(hdr[1])
	h := 2
	if u&0x80 != 0 {
		k := int(u & 0x7f)
		if k == 0 || k > 4 {
			return nil, 0, fmt.Errorf("%w: bad LDAP message length", errBER)
		}
		if _, err := io.ReadFull(r, hdr[2:2+k]); err != nil {
			return nil, 0, unexpectedEOF(err)
		}
		u = 0
		for _, c := range hdr[2 : 2+k] {
			u = u<<8 | uint64(c)
		}
		h = 2 + k
	}
	if u > maxMessage {
		return nil, 0, fmt.Errorf("LDAP message of %d bytes exceeds the %d-byte limit", u, maxMessage)
	}
	return hdr[:h], int(u), nil
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// messageID returns the messageID at the start of an LDAPMessage's content (which may be cut
// short: only its first element is needed).
func messageID(content []byte) (int64, bool) {
	if len(content) < 3 || content[0] != tagInteger || content[1] == 0 || content[1] > 4 || int(content[1]) > len(content)-2 {
		return 0, false
	}
	v, err := berInt(content[2 : 2+content[1]])
	return v, err == nil
}

// splitMessage splits an LDAPMessage's content into its id, protocolOp tag and content, and
// its controls (nil when absent).
func splitMessage(content []byte) (id int64, opTag byte, op, controls []byte, err error) {
	idb, rest, err := berExpect(content, tagInteger, "messageID")
	if err != nil {
		return 0, 0, nil, nil, err
	}
	if id, err = berInt(idb); err != nil {
		return 0, 0, nil, nil, err
	}
	opTag, op, rest, err = berTLV(rest)
	if err != nil {
		return 0, 0, nil, nil, fmt.Errorf("protocolOp: %w", err)
	}
	if len(rest) > 0 {
		if controls, _, err = berExpect(rest, tagControls, "controls"); err != nil {
			return 0, 0, nil, nil, err
		}
	}
	return id, opTag, op, controls, nil
}

// parseResult decodes the LDAPResult at the start of a response's content (RFC 4511 §4.1.9):
// nil for success, else a *ResultError with the server's diagnostic message.
func parseResult(op []byte) (error, error) {
	codeB, rest, err := berExpect(op, tagEnumerated, "resultCode")
	if err != nil {
		return nil, err
	}
	code, err := berInt(codeB)
	if err != nil {
		return nil, err
	}
	_, rest, err = berExpect(rest, tagOctetString, "matchedDN")
	if err != nil {
		return nil, err
	}
	diag, _, err := berExpect(rest, tagOctetString, "diagnosticMessage")
	if err != nil {
		return nil, err
	}
	if code < 0 || code > 0xffff {
		return nil, fmt.Errorf("%w: result code %d", errBER, code)
	}
	if code == 0 {
		return nil, nil
	}
	return &ResultError{Code: ResultCode(code), Message: strings.TrimSpace(string(diag))}, nil
}

// pagingCookie returns the cookie of the paged-results control in a SearchResultDone's
// controls ("" when absent).
func pagingCookie(controls []byte) ([]byte, error) {
	for len(controls) > 0 {
		c, rest, err := berExpect(controls, tagSequence, "control")
		if err != nil {
			return nil, err
		}
		controls = rest
		oid, c, err := berExpect(c, tagOctetString, "controlType")
		if err != nil {
			return nil, err
		}
		if string(oid) != oidPaging {
			continue
		}
		if len(c) > 0 && c[0] == tagBoolean {
			if _, c, err = berExpect(c, tagBoolean, "criticality"); err != nil {
				return nil, err
			}
		}
		if len(c) == 0 {
			return nil, nil
		}
		v, _, err := berExpect(c, tagOctetString, "controlValue")
		if err != nil {
			return nil, err
		}
		seq, _, err := berExpect(v, tagSequence, "paged results value")
		if err != nil {
			return nil, err
		}
		_, seq, err = berExpect(seq, tagInteger, "paged results size")
		if err != nil {
			return nil, err
		}
		cookie, _, err := berExpect(seq, tagOctetString, "paged results cookie")
		if err != nil {
			return nil, err
		}
		return cookie, nil
	}
	return nil, nil
}

// pageBuilder accumulates one page of search results. Entries' attribute and value slices are
// cut from shared slabs, and values point into the message buffers, so a page costs a few
// allocations per entry rather than several per value.
type pageBuilder struct {
	page  SearchPage
	attrs []Attribute
	vals  [][]byte
	chunk []byte
	names map[string]string // attribute names seen, so that each is one string
}

const (
	chunkSize = 64 << 10
	slabAttrs = 1024
	slabVals  = 2048
)

// buffer returns n bytes to read one message into, cut from the current chunk.
func (b *pageBuilder) buffer(n int) []byte {
	if n > len(b.chunk) {
		if n > chunkSize/4 {
			return make([]byte, n)
		}
		b.chunk = make([]byte, chunkSize)
	}
	buf := b.chunk[:n:n]
	b.chunk = b.chunk[n:]
	return buf
}

func (b *pageBuilder) name(raw []byte) string {
	if s, ok := b.names[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if b.names == nil {
		b.names = make(map[string]string)
	}
	if len(b.names) < 256 {
		b.names[s] = s
	}
	return s
}

// addEntry decodes a SearchResultEntry's content (RFC 4511 §4.5.2).
func (b *pageBuilder) addEntry(op []byte) error {
	dn, rest, err := berExpect(op, tagOctetString, "objectName")
	if err != nil {
		return err
	}
	list, _, err := berExpect(rest, tagSequence, "attributes")
	if err != nil {
		return err
	}
	// First pass: count, so that the slabs hold the whole entry.
	nAttrs, nVals := 0, 0
	for p := list; len(p) > 0; nAttrs++ {
		a, r, err := berExpect(p, tagSequence, "attribute")
		if err != nil {
			return err
		}
		p = r
		_, vs, err := berExpect(a, tagOctetString, "attribute type")
		if err != nil {
			return err
		}
		vs, _, err = berExpect(vs, tagSet, "attribute values")
		if err != nil {
			return err
		}
		for len(vs) > 0 {
			if _, vs, err = berExpect(vs, tagOctetString, "attribute value"); err != nil {
				return err
			}
			nVals++
		}
	}
	if cap(b.attrs)-len(b.attrs) < nAttrs {
		b.attrs = make([]Attribute, 0, max(slabAttrs, nAttrs))
	}
	if cap(b.vals)-len(b.vals) < nVals {
		b.vals = make([][]byte, 0, max(slabVals, nVals))
	}
	a0 := len(b.attrs)
	for p := list; len(p) > 0; {
		_, a, r, _ := berTLV(p) // validated above
		p = r
		_, typ, vs, _ := berTLV(a)
		_, vs, _, _ = berTLV(vs)
		v0 := len(b.vals)
		for len(vs) > 0 {
			var v []byte
			_, v, vs, _ = berTLV(vs)
			b.vals = append(b.vals, v)
		}
		b.attrs = append(b.attrs, Attribute{Name: b.name(typ), Values: b.vals[v0:len(b.vals):len(b.vals)]})
	}
	b.page.Entries = append(b.page.Entries, Entry{DN: string(dn), Attributes: b.attrs[a0:len(b.attrs):len(b.attrs)]})
	return nil
}

// addReference decodes a SearchResultReference's URIs (RFC 4511 §4.5.3).
func (b *pageBuilder) addReference(op []byte) error {
	for len(op) > 0 {
		uri, rest, err := berExpect(op, tagOctetString, "referral URI")
		if err != nil {
			return err
		}
		b.page.Referrals = append(b.page.Referrals, string(uri))
		op = rest
	}
	return nil
}

// finish decodes the SearchResultDone and its controls: the LDAP result (a *ResultError when
// not success) or a decoding error.
func (b *pageBuilder) finish(op, controls []byte) (*SearchPage, error) {
	res, err := parseResult(op)
	if err != nil {
		return nil, err
	}
	if res != nil {
		return nil, res
	}
	cookie, err := pagingCookie(controls)
	if err != nil {
		return nil, err
	}
	if len(cookie) > 0 {
		b.page.Cookie = cookie
	}
	return &b.page, nil
}
