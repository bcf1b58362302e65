package ldif

import (
	"bufio"
	"encoding/base64"
	"io"
	"strconv"
	"strings"

	"github.com/hybridid/hybridid/matching"
)

// foldWidth is the longest physical line the Writer produces (RFC 2849 recommends 76).
const foldWidth = 76

// Writer writes entries as RFC 2849 LDIF content records that Reader reads back identically:
// a "version: 1" line, one record per entry separated by blank lines, values that are not safe
// strings (binary, non-ASCII, leading space, colon or '<', trailing space) as "attr:: base64",
// lines folded at 76 columns. Call Flush when done.
type Writer struct {
	bw      *bufio.Writer
	started bool
	err     error
	line    []byte
	// Mapping says where WriteOnPrem writes OnPrem.CustomAnchor (see EntryOf).
	Mapping Mapping
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{bw: bufio.NewWriterSize(w, 64<<10)} }

// Write writes one entry. Attributes without values are skipped (LDIF cannot express them). An
// attribute name Reader would refuse (anything but letters, digits, '-', ';' options, or an OID)
// fails with ErrValue before anything is written.
func (w *Writer) Write(e *Entry) error {
	if w.err != nil {
		return w.err
	}
	for _, a := range e.Attrs {
		if !validName(a.Name) || strings.EqualFold(a.Name, "dn") || strings.EqualFold(a.Name, "changetype") || strings.EqualFold(a.Name, "control") {
			return &Error{Name: e.DN, Attr: a.Name, Msg: "not an attribute name LDIF can carry", Err: ErrValue}
		}
	}
	if !w.started {
		w.bw.WriteString("version: 1\n")
		w.started = true
	}
	w.bw.WriteByte('\n')
	w.field("dn", e.DN)
	for _, a := range e.Attrs {
		for _, v := range a.Values {
			w.field(a.Name, v)
		}
	}
	return w.err
}

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.bw.Flush()
	return w.err
}

func (w *Writer) field(name, v string) {
	b := append(w.line[:0], name...)
	if safeString(v) {
		b = append(b, ": "...)
		b = append(b, v...)
	} else {
		b = append(b, ":: "...)
		b = base64.StdEncoding.AppendEncode(b, []byte(v))
	}
	w.line = b
	if len(b) > foldWidth {
		w.bw.Write(b[:foldWidth])
		b = b[foldWidth:]
		// A continuation line carries one leading space, so it holds one byte less.
		for len(b) > 0 {
			n := min(len(b), foldWidth-1)
			w.bw.WriteString("\n ")
			w.bw.Write(b[:n])
			b = b[n:]
		}
	}
	w.bw.Write(b)
	if err := w.bw.WriteByte('\n'); err != nil && w.err == nil {
		w.err = err
	}
}

// validName reports whether Reader accepts name as an attribute description.
func validName(name string) bool {
	typ, opts, _ := strings.Cut(name, ";")
	if typ == "" {
		return false
	}
	oid := typ[0] >= '0' && typ[0] <= '9'
	for i := 0; i < len(typ); i++ {
		c := typ[i]
		if !isAlnum(c) && c != '-' && !(oid && c == '.') {
			return false
		}
	}
	if opts == "" {
		return !strings.Contains(name, ";")
	}
	for opt := range strings.SplitSeq(opts, ";") {
		if opt == "" || len(opt) >= 6 && strings.EqualFold(opt[:6], "range=") {
			return false
		}
		for i := 0; i < len(opt); i++ {
			if !isAlnum(opt[i]) && opt[i] != '-' {
				return false
			}
		}
	}
	return true
}

// safeString reports whether v can be written as "attr: v" (RFC 2849 SAFE-STRING, and no
// trailing space, which readers may strip).
func safeString(v string) bool {
	if v == "" {
		return true
	}
	switch v[0] {
	case ' ', ':', '<':
		return false
	}
	if v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == 0 || c == '\n' || c == '\r' || c > 0x7e {
			return false
		}
	}
	return true
}

// EntryOf returns the entry that m.OnPrem maps back to rec. Source is not written; a custom
// anchor is written to m.CustomAnchor when both are set (the text of a string anchor, the bytes
// of a binary one). Enabled becomes userAccountControl 512 or 514 for
// users; MailEnabled is not written (the reader derives it from mail and proxyAddresses). It
// fails when ObjectSID is not S-1-… text.
func EntryOf(rec *matching.OnPrem, m Mapping) (Entry, error) {
	e := Entry{DN: rec.DN}
	switch rec.Class {
	case matching.ClassUser:
		e.Add("objectClass", "top", "person", "organizationalPerson", "user")
	case matching.ClassGroup:
		e.Add("objectClass", "top", "group")
	case matching.ClassContact:
		e.Add("objectClass", "top", "person", "organizationalPerson", "contact")
	}
	add := func(name, v string) {
		if v != "" {
			e.Add(name, v)
		}
	}
	add("displayName", rec.DisplayName)
	add("givenName", rec.GivenName)
	add("sn", rec.Surname)
	if !rec.ObjectGUID.IsZero() {
		b := rec.ObjectGUID.Bytes()
		e.Add("objectGUID", string(b[:]))
	}
	if !rec.ConsistencyGUID.IsZero() {
		b := rec.ConsistencyGUID.Bytes()
		e.Add("mS-DS-ConsistencyGuid", string(b[:]))
	}
	if rec.ObjectSID != "" {
		sid, ok := sidBytes(rec.ObjectSID)
		if !ok {
			return Entry{}, &Error{Name: rec.DN, Attr: "objectSid", Msg: strconv.Quote(rec.ObjectSID) + " is not an S-1-… SID", Err: ErrValue}
		}
		e.Add("objectSid", string(sid))
	}
	add("sAMAccountName", rec.SAMAccountName)
	add("userPrincipalName", rec.UserPrincipalName)
	add("mail", rec.Mail)
	add("mailNickname", rec.MailNickname)
	if len(rec.ProxyAddresses) > 0 {
		e.Add("proxyAddresses", rec.ProxyAddresses...)
	}
	if rec.Class == matching.ClassUser {
		uac := "512"
		if !rec.Enabled {
			uac = "514"
		}
		e.Add("userAccountControl", uac)
	}
	if m.CustomAnchor != "" && !rec.CustomAnchor.IsZero() {
		v := rec.CustomAnchor.String()
		if m.CustomAnchorBinary {
			raw, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return Entry{}, &Error{Name: rec.DN, Attr: m.CustomAnchor, Msg: "binary anchor " + strconv.Quote(v) + " is not Base64", Err: ErrValue}
			}
			v = string(raw)
		}
		e.Add(m.CustomAnchor, v)
	}
	return e, nil
}

// WriteOnPrem writes rec as an entry (see EntryOf).
func (w *Writer) WriteOnPrem(rec *matching.OnPrem) error {
	e, err := EntryOf(rec, w.Mapping)
	if err != nil {
		return err
	}
	return w.Write(&e)
}
