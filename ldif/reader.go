package ldif

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"iter"
	"strconv"
	"strings"
)

// Sentinel errors; every error the package returns wraps one of them. Test with errors.Is.
var (
	// ErrSyntax reports input that is not RFC 2849 LDIF.
	ErrSyntax = errors.New("ldif: syntax error")
	// ErrUnsupported reports valid LDIF the reader refuses: URL values (attr:< url), change
	// records other than changetype: add, and controls.
	ErrUnsupported = errors.New("ldif: not supported")
	// ErrValue reports an attribute value that does not fit the attribute (an objectGUID that is
	// not 16 bytes, a malformed objectSid, a userAccountControl that is not a number).
	ErrValue = errors.New("ldif: invalid attribute value")
)

// Error is a failure at one place in an LDIF input. Its message reads
// "people.ldif:42: objectGUID: 15 bytes (want 16)".
type Error struct {
	Name string // the input's name as given to NewReader
	Line int    // 1-based line number; 0 when not known
	Attr string // the attribute concerned, when there is one
	Msg  string
	Err  error // ErrSyntax, ErrUnsupported or ErrValue
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Name)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Attr != "" {
		b.WriteString(e.Attr)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Attr is one attribute of an entry with all its values. Values hold the bytes as stored: text
// for string attributes, raw bytes for binary ones (objectGUID, objectSid).
type Attr struct {
	// Name is the attribute description as first written in the input, with any range option
	// (";range=0-1499") removed. Compare names with strings.EqualFold: LDAP attribute names are
	// case-insensitive.
	Name   string
	Values []string
}

// Entry is one LDIF record: a DN and its attributes in input order.
type Entry struct {
	DN    string
	Attrs []Attr
	// Source is "name:line" of the entry's dn line when it was read; used in messages only.
	Source string
}

// Values returns the values of the attribute named name (case-insensitive), or nil.
func (e *Entry) Values(name string) []string {
	for i := range e.Attrs {
		if strings.EqualFold(e.Attrs[i].Name, name) {
			return e.Attrs[i].Values
		}
	}
	return nil
}

// Value returns the first value of the attribute named name (case-insensitive), or "".
func (e *Entry) Value(name string) string {
	if v := e.Values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Add appends values to the attribute named name (case-insensitive), creating it at the end
// when the entry does not have it yet.
func (e *Entry) Add(name string, values ...string) {
	for i := range e.Attrs {
		if strings.EqualFold(e.Attrs[i].Name, name) {
			e.Attrs[i].Values = append(e.Attrs[i].Values, values...)
			return
		}
	}
	e.Attrs = append(e.Attrs, Attr{Name: name, Values: append([]string(nil), values...)})
}

// Reader reads LDIF content records one at a time. It holds one entry in memory, never the
// whole input.
type Reader struct {
	br      *bufio.Reader
	name    string
	line    int    // physical lines consumed so far
	buf     []byte // the current logical line
	err     error  // sticky error
	started bool   // a record (or the version line) has been seen
}

// NewReader returns a Reader of r. name identifies the input in error messages (a file name).
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

func (r *Reader) errorf(line int, attr string, sentinel error, msg string) error {
	return &Error{Name: r.name, Line: line, Attr: attr, Msg: msg, Err: sentinel}
}

// physical reads one physical line without its line ending into r.buf (appending when add is
// set). It reports io.EOF only when no byte was read.
func (r *Reader) physical(add bool) error {
	if !add {
		r.buf = r.buf[:0]
	}
	start := len(r.buf)
	read := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(chunk) > 0 {
			read = true
		}
		r.buf = append(r.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return r.errorf(r.line+1, "", ErrSyntax, "read: "+err.Error())
		}
		if err == io.EOF && !read {
			return io.EOF
		}
		break
	}
	r.line++
	b := r.buf[start:]
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	r.buf = r.buf[:start+len(b)]
	return nil
}

// logical reads one logical line (a physical line and its continuation lines) into r.buf and
// returns the line number it starts on.
func (r *Reader) logical() (int, error) {
	if err := r.physical(false); err != nil {
		return 0, err
	}
	first := r.line
	for {
		c, err := r.br.Peek(1)
		if err != nil || c[0] != ' ' {
			return first, nil
		}
		if _, err := r.br.ReadByte(); err != nil {
			return first, nil
		}
		if err := r.physical(true); err != nil && err != io.EOF {
			return first, err
		}
	}
}

// All returns an iterator over the entries. It yields an error once and stops.
func (r *Reader) All() iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for {
			e, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// Next returns the next entry, or io.EOF after the last one. After any other error it returns
// that error again.
func (r *Reader) Next() (Entry, error) {
	if r.err != nil {
		return Entry{}, r.err
	}
	e, err := r.next()
	if err != nil {
		r.err = err
	}
	return e, err
}

func (r *Reader) next() (Entry, error) {
	var e Entry
	// Skip blank lines, comments (including ldapsearch's "# refldap://" referral lines) and the
	// version line.
	var ln int
	for {
		var err error
		ln, err = r.logical()
		if err != nil {
			return e, err
		}
		if len(r.buf) == 0 || r.buf[0] == '#' {
			continue
		}
		if !r.started && hasPrefixFold(r.buf, "version:") {
			v := strings.TrimSpace(string(r.buf[len("version:"):]))
			if v != "1" {
				return e, r.errorf(ln, "", ErrUnsupported, "LDIF version "+strconv.Quote(v)+" (want 1)")
			}
			r.started = true
			continue
		}
		break
	}
	r.started = true
	name, value, err := r.attrValue(ln)
	if err != nil {
		return e, err
	}
	if !strings.EqualFold(name, "dn") {
		return e, r.errorf(ln, "", ErrSyntax, "a record starts with \"dn:\", not "+strconv.Quote(name+":"))
	}
	e.DN = value
	e.Source = r.name + ":" + strconv.Itoa(ln)
	first := true
	for {
		ln, err = r.logical()
		if err == io.EOF {
			return e, nil
		}
		if err != nil {
			return e, err
		}
		if len(r.buf) == 0 {
			return e, nil
		}
		if r.buf[0] == '#' {
			continue
		}
		if r.buf[0] == '-' && len(bytes.TrimSpace(r.buf)) == 1 {
			return e, r.errorf(ln, "", ErrUnsupported, "\"-\" separator of a modify record; only content and changetype: add records are supported")
		}
		name, value, err := r.attrValue(ln)
		if err != nil {
			return e, err
		}
		switch {
		case strings.EqualFold(name, "changetype"):
			if !first {
				return e, r.errorf(ln, "", ErrSyntax, "changetype must follow the dn line")
			}
			if !strings.EqualFold(value, "add") {
				return e, r.errorf(ln, "", ErrUnsupported, "changetype "+strconv.Quote(value)+" (only add records are supported)")
			}
		case strings.EqualFold(name, "dn"):
			return e, r.errorf(ln, "", ErrSyntax, "a second dn line in one record (records are separated by a blank line)")
		case strings.EqualFold(name, "control"):
			return e, r.errorf(ln, "", ErrUnsupported, "LDIF controls are not supported")
		default:
			e.Add(name, value)
		}
		first = false
	}
}

// attrValue parses the logical line in r.buf as "name: value", "name:: base64" or
// "name:< url". The returned name has its range option removed.
func (r *Reader) attrValue(ln int) (string, string, error) {
	line := r.buf
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return "", "", r.errorf(ln, "", ErrSyntax, "missing ':' in "+quoteTrunc(line))
	}
	desc := line[:colon]
	name, err := r.attrName(ln, desc)
	if err != nil {
		return "", "", err
	}
	rest := line[colon+1:]
	switch {
	case len(rest) > 0 && rest[0] == ':':
		b64 := bytes.Trim(rest[1:], " ")
		out := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
		n, err := base64.StdEncoding.Decode(out, b64)
		if err != nil {
			return "", "", r.errorf(ln, name, ErrSyntax, "invalid base64 value: "+err.Error())
		}
		return name, string(out[:n]), nil
	case len(rest) > 0 && rest[0] == '<':
		return "", "", r.errorf(ln, name, ErrUnsupported, "URL values (\""+string(desc)+":<\") are not supported; export the value inline")
	default:
		return name, string(bytes.TrimLeft(rest, " ")), nil
	}
}

// attrName validates an attribute description (type and options) and returns it without a
// range option.
func (r *Reader) attrName(ln int, desc []byte) (string, error) {
	if len(desc) == 0 {
		return "", r.errorf(ln, "", ErrSyntax, "empty attribute name")
	}
	typ, opts, _ := bytes.Cut(desc, []byte{';'})
	if len(typ) == 0 {
		return "", r.errorf(ln, "", ErrSyntax, "empty attribute name in "+quoteTrunc(desc))
	}
	oid := typ[0] >= '0' && typ[0] <= '9'
	for _, c := range typ {
		ok := isAlnum(c) || c == '-' || (oid && c == '.')
		if !ok {
			return "", r.errorf(ln, "", ErrSyntax, "invalid character "+strconv.QuoteRune(rune(c))+" in attribute name "+quoteTrunc(desc))
		}
	}
	if opts == nil {
		return string(typ), nil
	}
	out := make([]byte, 0, len(desc))
	out = append(out, typ...)
	for opt := range bytes.SplitSeq(opts, []byte{';'}) {
		if len(opt) == 0 {
			return "", r.errorf(ln, "", ErrSyntax, "empty option in attribute name "+quoteTrunc(desc))
		}
		if hasPrefixFold(opt, "range=") {
			continue
		}
		for _, c := range opt {
			if !isAlnum(c) && c != '-' {
				return "", r.errorf(ln, "", ErrSyntax, "invalid character "+strconv.QuoteRune(rune(c))+" in attribute option "+quoteTrunc(desc))
			}
		}
		out = append(out, ';')
		out = append(out, opt...)
	}
	return string(out), nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func quoteTrunc(b []byte) string {
	const max = 64
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "…"
	}
	return strconv.Quote(string(b))
}
