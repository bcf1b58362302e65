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
	"unicode/utf8"
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
	// ErrIncomplete reports an export that is not whole: it ends in the middle of a line or of
	// an entry, lacks the closing lines its tool writes, or its tool reported that the search
	// stopped early (a non-zero "result:" line). See the package documentation for what
	// "complete" means for each tool's form. AcceptPartialExport turns it into a warning.
	ErrIncomplete = errors.New("ldif: incomplete export")
)

// Error is a failure at one place in an LDIF input. Its message reads
// "people.ldif:42: objectGUID: 15 bytes (want 16)".
type Error struct {
	Name string // the input's name as given to NewReader
	Line int    // 1-based line number; 0 when not known
	Attr string // the attribute concerned, when there is one
	Msg  string
	Err  error // ErrSyntax, ErrUnsupported, ErrValue or ErrIncomplete
	// LastDN and LastLine name the last complete entry read before an ErrIncomplete error (its
	// DN and the line of its dn line); LastLine is 0 when no entry was complete.
	LastDN   string
	LastLine int
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

// Warning is something a Reader noticed and went on past: a search reference it skipped, or,
// under AcceptPartialExport, the sign of an incomplete export. Its String reads like an Error.
type Warning struct {
	Name string // the input's name as given to NewReader
	Line int    // 1-based line number
	Msg  string
	// Err is ErrIncomplete for an incomplete export that AcceptPartialExport let through, and nil
	// for a skipped search reference.
	Err error
}

func (w Warning) String() string {
	return w.Name + ":" + strconv.Itoa(w.Line) + ": " + w.Msg
}

// Option configures a Reader.
type Option func(*Reader)

// WithWarnings calls fn, in input order, for each Warning. Without it warnings are dropped.
func WithWarnings(fn func(Warning)) Option { return func(r *Reader) { r.warn = fn } }

// AcceptPartialExport makes the Reader read an incomplete export (ErrIncomplete) instead of
// failing: it reports a Warning with Err set to ErrIncomplete and yields the entries that are
// whole. An entry cut off at the end of the input is dropped, never yielded. Use it only when
// the caller has said that a partial export is what they mean to read: objects missing from an
// export look deleted to a match.
func AcceptPartialExport() Option { return func(r *Reader) { r.acceptPartial = true } }

// Reader reads LDIF content records one at a time. It holds one entry in memory, never the
// whole input.
type Reader struct {
	src     io.Reader
	br      *bufio.Reader
	name    string
	line    int    // physical lines consumed so far
	buf     []byte // the current logical line
	err     error  // sticky error
	started bool   // a record (or the version line) has been seen
	opened  bool   // the byte-order mark has been looked at

	warn          func(Warning)
	acceptPartial bool

	cut bool // the last physical line read had no line end (the input ended inside it)

	// What the input's tool form promises at its end (see the package documentation).
	sawFirst   bool   // the first non-blank line has been looked at, for form detection
	extended   bool   // ldapsearch's default form: "# extended LDIF", result trailers
	commented  bool   // ldapsearch with comments (default or -L): "# numResponses" closes it
	lll        bool   // ldapsearch -LLL: the first line is a dn line and no changetype
	sawResult  bool   // a "result:" line was read
	sawClosing bool   // the "# numResponses:" comment was read
	cookie     string // the cookie of the last paged-results trailer ("" = last page)
	entries    int    // entries read
	blankEnded bool   // the last entry was closed by a blank line
	lastDN     []byte // the DN of the last complete entry
	lastLine   int

	raw   rawEntry // the entry last read by readRaw
	dec   []byte   // base64 decoding buffer, reused
	names map[string]string
	order []string // the names of the last entry, by position: most entries repeat them

	// Scratch of view, reused between entries.
	groups []group
	gidx   []int
	shared []string
	attrs  []Attr
}

// NewReader returns a Reader of r. name identifies the input in error messages (a file name).
//
// The input may start with a UTF-8 byte-order mark (skipped) or a UTF-16 one, little-endian as
// "ldifde -u" writes it, or big-endian: UTF-16 input is decoded as it streams. Line numbers
// count lines of the decoded text.
func NewReader(r io.Reader, name string, opts ...Option) *Reader {
	rd := &Reader{src: r, name: name}
	for _, o := range opts {
		o(rd)
	}
	return rd
}

func (r *Reader) errorf(line int, attr string, sentinel error, msg string) error {
	return &Error{Name: r.name, Line: line, Attr: attr, Msg: msg, Err: sentinel}
}

// open looks at the first bytes for a byte-order mark and sets up decoding.
func (r *Reader) open() error {
	r.opened = true
	raw := bufio.NewReaderSize(r.src, 64<<10)
	b, _ := raw.Peek(3)
	switch {
	case len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf:
		raw.Discard(3)
		r.br = raw
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe:
		raw.Discard(2)
		r.br = bufio.NewReaderSize(&utf16Reader{src: raw, little: true}, 64<<10)
	case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
		raw.Discard(2)
		r.br = bufio.NewReaderSize(&utf16Reader{src: raw}, 64<<10)
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		return r.errorf(1, "", ErrSyntax, "the input looks like UTF-16 without a byte-order mark; "+
			"export it with \"ldifde -u\" (which writes the mark), or save it as UTF-8")
	default:
		r.br = raw
	}
	return nil
}

// physical reads one physical line without its line ending into r.buf (appending when add is
// set). It reports io.EOF only when no byte was read.
func (r *Reader) physical(add bool) error {
	if !add {
		r.buf = r.buf[:0]
	}
	start := len(r.buf)
	read := false
	r.cut = false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(chunk) > 0 {
			read = true
		}
		r.buf = append(r.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == errUTF16Cut {
			r.line++
			r.cut = true
			return r.incomplete(r.line, "the input ends in the middle of a UTF-16 character")
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
	} else {
		r.cut = true
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
	for !r.cut {
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
	return first, nil
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
// that error again. The entry is the caller's own; its strings share one allocation (so a kept
// value keeps the entry's text), and its values one slice, each attribute's capped so that
// Entry.Add copies rather than overwrite the next attribute's.
func (r *Reader) Next() (Entry, error) {
	if err := r.readRaw(); err != nil {
		return Entry{}, err
	}
	var e Entry
	r.view(&e, nil)
	return e, nil
}

// readRaw reads the next entry into r.raw, or returns io.EOF after the last one. After any
// other error it returns that error again. It is the one reading loop of the package: Next and
// the record readers differ only in what they make of r.raw.
func (r *Reader) readRaw() error {
	if r.err != nil {
		return r.err
	}
	if !r.opened {
		if err := r.open(); err != nil {
			r.err = err
			return err
		}
	}
	err := r.next()
	if err != nil {
		r.err = err
	}
	return err
}

// incomplete returns the ErrIncomplete error for msg at line, naming the last complete entry,
// or, under AcceptPartialExport, reports it as a warning and returns nil.
func (r *Reader) incomplete(line int, msg string) error {
	if r.lastLine > 0 {
		msg += "; the last complete entry is " + strconv.Quote(string(r.lastDN)) + " (line " + strconv.Itoa(r.lastLine) + ")"
	} else {
		msg += "; no entry before it is complete"
	}
	if r.acceptPartial {
		r.warnf(line, ErrIncomplete, msg+"; read as a partial export, as asked")
		return nil
	}
	return &Error{Name: r.name, Line: line, Msg: msg, Err: ErrIncomplete, LastDN: string(r.lastDN), LastLine: r.lastLine}
}

func (r *Reader) warnf(line int, sentinel error, msg string) {
	if r.warn != nil {
		r.warn(Warning{Name: r.name, Line: line, Msg: msg, Err: sentinel})
	}
}

// finish checks, at the end of the input, that the export is whole (see the package doc).
func (r *Reader) finish() error {
	var msg string
	switch {
	case r.lll && r.entries > 0 && !r.blankEnded:
		msg = "the input ends without the blank line that ldapsearch -LLL writes after every entry, so the last entry may be cut short"
	case r.extended && !r.sawResult:
		msg = "the input ends without the \"# search result\" / \"result:\" lines that ldapsearch writes last, so the search output was cut short"
	case r.cookie != "":
		msg = "the last \"pagedresults:\" line carries a cookie, so more pages were to follow"
	case r.commented && !r.sawClosing:
		msg = "the input ends without the \"# numResponses:\" comment that ldapsearch writes last, so the search output was cut short"
	}
	if msg != "" {
		if err := r.incomplete(r.line, msg); err != nil {
			return err
		}
	}
	return io.EOF
}

// comment handles a comment line: the header comments of ldapsearch say which form the input
// is in, "# refldap://…" lines are search references (-L, -LL, -LLL) and the closing
// "# numResponses" / "# numEntries" comments end ldapsearch's output.
func (r *Reader) comment(ln int) error {
	c := r.buf
	switch {
	case r.entries == 0 && bytes.Equal(c, []byte("# LDAPv3")):
		r.commented = true
	case bytes.HasPrefix(c, []byte("# refldap://")) || bytes.HasPrefix(c, []byte("# refldaps://")):
		r.warnf(ln, nil, "search reference skipped: objects under "+strconv.Quote(string(c[len("# ref"):]))+
			" are in another naming context or domain and are not in this export")
	case bytes.HasPrefix(c, []byte("# numResponses:")):
		r.sawClosing = true
	case bytes.HasPrefix(c, []byte("# numEntries:")):
		n, err := strconv.Atoi(strings.TrimSpace(string(c[len("# numEntries:"):])))
		if err == nil && n != r.entries && r.commented {
			return r.incomplete(ln, "ldapsearch counted "+strconv.Itoa(n)+" entries but the input holds "+strconv.Itoa(r.entries))
		}
	}
	return nil
}

// trailer reads ldapsearch's result lines ("search: 2", "result: 0 Success", and "text:",
// "matchedDN:", "control:", "pagedresults:" and "ref:" lines) up to the next blank line. A
// result other than 0 means the search stopped early.
func (r *Reader) trailer(ln int) error {
	var code int
	var text string
	codeLine := 0
	for {
		if r.cut {
			return r.incomplete(ln, "the input ends in the middle of a line")
		}
		name, value, err := r.attrValue(ln)
		if err != nil {
			return err
		}
		switch {
		case strings.EqualFold(name, "result"):
			r.sawResult = true
			codeLine = ln
			f, rest, _ := strings.Cut(value, " ")
			if code, err = strconv.Atoi(f); err != nil {
				return r.errorf(ln, "", ErrSyntax, "result line "+strconv.Quote(value)+" does not start with a result code")
			}
			text = rest
		case strings.EqualFold(name, "pagedresults"):
			r.cookie = ""
			if _, c, ok := strings.Cut(value, "cookie="); ok {
				r.cookie = strings.TrimSpace(c)
			}
		case strings.EqualFold(name, "text"):
			text += " (" + value + ")"
		case strings.EqualFold(name, "search"), strings.EqualFold(name, "matchedDN"),
			strings.EqualFold(name, "control"), strings.EqualFold(name, "ref"):
		default:
			return r.errorf(ln, "", ErrSyntax, "unexpected "+strconv.Quote(name+":")+" line in ldapsearch's result lines")
		}
		if ln, err = r.logical(); err == io.EOF || (err == nil && len(r.buf) == 0) {
			break
		} else if err != nil {
			return err
		}
		if r.buf[0] == '#' {
			if err := r.comment(ln); err != nil {
				return err
			}
			break
		}
	}
	if code != 0 {
		return r.incomplete(codeLine, "ldapsearch reports result "+strconv.Itoa(code)+" "+text+
			", so the search stopped before the end"+resultHint(code))
	}
	return nil
}

// The commands that write an export this package reads whole (named in messages).
const (
	ldifdeCommand = `ldifde -f corp.ldif -d "DC=corp,DC=example,DC=test" -r "(|(objectClass=user)(objectClass=group)(objectClass=contact))"`
	// ldapsearch pages past the server's size limit (AD's MaxPageSize, 1000 by default).
	ldapsearchCommand = `ldapsearch -LLL -H ldaps://dc1.corp.example.test -D BINDDN -W -E pr=1000/noprompt -b "DC=corp,DC=example,DC=test" "(|(objectClass=user)(objectClass=group)(objectClass=contact))" "*" objectGUID > corp.ldif`
)

func resultHint(code int) string {
	switch code {
	case 4, 11: // sizeLimitExceeded, adminLimitExceeded
		return " (the server's size limit: page the search, as in: " + ldapsearchCommand + ")"
	case 3: // timeLimitExceeded
		return " (the time limit: run the search with a longer -l, or page it)"
	}
	return ""
}

func (r *Reader) next() error {
	raw := &r.raw
	raw.attrs = raw.attrs[:0]
	raw.vals = raw.vals[:0]
	// Skip blank lines, comments, search references, result lines and the version line.
	var ln int
	for {
		var err error
		ln, err = r.logical()
		if err == io.EOF {
			return r.finish()
		}
		if err != nil {
			return err
		}
		if r.cut {
			if err := r.incomplete(ln, "the input ends in the middle of a line"); err != nil {
				return err
			}
			return io.EOF
		}
		if len(r.buf) == 0 {
			continue
		}
		if !r.sawFirst {
			r.sawFirst = true
			if bytes.Equal(r.buf, []byte("# extended LDIF")) {
				r.extended, r.commented = true, true
			}
			if ln == 1 && hasPrefixFold(r.buf, "dn:") {
				r.lll = true
			}
			if err := r.notCSV(ln); err != nil {
				return err
			}
		}
		if r.buf[0] == '#' {
			if err := r.comment(ln); err != nil {
				return err
			}
			continue
		}
		if !r.started && hasPrefixFold(r.buf, "version:") {
			v := strings.TrimSpace(string(r.buf[len("version:"):]))
			if v != "1" {
				return r.errorf(ln, "", ErrUnsupported, "LDIF version "+strconv.Quote(v)+" (want 1)")
			}
			r.started = true
			continue
		}
		if hasPrefixFold(r.buf, "search:") {
			r.started = true
			if err := r.trailer(ln); err != nil {
				return err
			}
			continue
		}
		if hasPrefixFold(r.buf, "ref:") {
			r.started = true
			if err := r.reference(ln); err != nil {
				return err
			}
			continue
		}
		break
	}
	r.started = true
	name, value, err := r.field(ln, 0)
	if err != nil {
		return err
	}
	if !strings.EqualFold(name, "dn") {
		return r.errorf(ln, "", ErrSyntax, "a record starts with \"dn:\", not "+strconv.Quote(name+":"))
	}
	raw.vals = append(raw.vals, value...)
	raw.dnEnd = len(raw.vals)
	raw.line = ln
	first := true
	for {
		ln, err = r.logical()
		if err == io.EOF {
			return r.endAtEOF()
		}
		if err != nil {
			return err
		}
		if r.cut {
			if err := r.incomplete(ln, "the input ends in the middle of a line, inside the entry "+strconv.Quote(string(raw.dn()))+" (line "+strconv.Itoa(raw.line)+")"); err != nil {
				return err
			}
			return io.EOF
		}
		if len(r.buf) == 0 {
			r.complete(true)
			return nil
		}
		if r.buf[0] == '#' {
			continue
		}
		if r.buf[0] == '-' && len(bytes.TrimSpace(r.buf)) == 1 {
			return r.errorf(ln, "", ErrUnsupported, "\"-\" separator of a modify record; only content and changetype: add records are supported")
		}
		name, value, err := r.field(ln, len(raw.attrs)+1)
		if err != nil {
			return err
		}
		switch {
		case len(name) == len("changetype") && strings.EqualFold(name, "changetype"):
			if !first {
				return r.errorf(ln, "", ErrSyntax, "changetype must follow the dn line")
			}
			if !bytes.EqualFold(value, []byte("add")) {
				return r.errorf(ln, "", ErrUnsupported, "changetype "+strconv.Quote(string(value))+" (only add records are supported)")
			}
			r.lll = false // ldifde's form: only a final line end is promised
		case len(name) == len("dn") && strings.EqualFold(name, "dn"):
			return r.errorf(ln, "", ErrSyntax, "a second dn line in one record (records are separated by a blank line)")
		case len(name) == len("control") && strings.EqualFold(name, "control"):
			return r.errorf(ln, "", ErrUnsupported, "LDIF controls are not supported")
		default:
			start := len(raw.vals)
			raw.vals = append(raw.vals, value...)
			raw.attrs = append(raw.attrs, rawAttr{name: name, start: start, end: len(raw.vals)})
		}
		first = false
	}
}

// endAtEOF ends the entry in r.raw at the end of the input: whole unless the form promises a
// blank line after every entry.
func (r *Reader) endAtEOF() error {
	if r.lll {
		msg := "the input ends without the blank line that ldapsearch -LLL writes after every entry, so the entry " +
			strconv.Quote(string(r.raw.dn())) + " (line " + strconv.Itoa(r.raw.line) + ") may be cut short"
		if err := r.incomplete(r.line, msg); err != nil {
			return err
		}
		r.lll = false // reported once
		return io.EOF
	}
	r.complete(false)
	return nil
}

func (r *Reader) complete(blank bool) {
	r.entries++
	r.blankEnded = blank
	r.lastDN, r.lastLine = append(r.lastDN[:0], r.raw.dn()...), r.raw.line
}

// reference skips a search reference record ("ref: ldap://…" lines, ldapsearch's default
// form), warning for each.
func (r *Reader) reference(ln int) error {
	for {
		if r.cut {
			return r.incomplete(ln, "the input ends in the middle of a line")
		}
		name, value, err := r.attrValue(ln)
		if err != nil {
			return err
		}
		if !strings.EqualFold(name, "ref") {
			return r.errorf(ln, "", ErrSyntax, "a search reference holds only \"ref:\" lines, not "+strconv.Quote(name+":"))
		}
		r.warnf(ln, nil, "search reference skipped: objects under "+strconv.Quote(value)+
			" are in another naming context or domain and are not in this export")
		if ln, err = r.logical(); err == io.EOF || (err == nil && len(r.buf) == 0) {
			return nil
		} else if err != nil {
			return err
		}
		if r.buf[0] == '#' {
			return r.comment(ln)
		}
	}
}

// notCSV refuses CSV (PowerShell's Export-Csv, csvde) with the command that writes LDIF.
func (r *Reader) notCSV(ln int) error {
	b := r.buf
	if b[0] == '#' && !bytes.HasPrefix(b, []byte("#TYPE ")) {
		return nil
	}
	colon := bytes.IndexByte(b, ':')
	comma := bytes.IndexByte(b, ',')
	if !bytes.HasPrefix(b, []byte("#TYPE ")) && b[0] != '"' && (comma < 0 || (colon >= 0 && colon < comma)) {
		return nil
	}
	return r.errorf(ln, "", ErrUnsupported, "this is CSV (as Export-Csv or csvde write it), not LDIF: "+
		"binary attributes such as objectGUID do not survive CSV. Export LDIF instead, with "+
		ldifdeCommand+" or "+ldapsearchCommand)
}

// attrValue parses the logical line in r.buf as "name: value", "name:: base64" or
// "name:< url". The returned name has its range option removed.
func (r *Reader) attrValue(ln int) (string, string, error) {
	name, v, err := r.field(ln, -1)
	return name, string(v), err
}

// field is attrValue with the value as bytes, valid until the next line is read: text in
// r.buf, Base64 decoded into r.dec. pos is the line's position in its entry (0 for the dn
// line), for the cache of attribute names; -1 when not in an entry.
func (r *Reader) field(ln, pos int) (string, []byte, error) {
	line := r.buf
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return "", nil, r.errorf(ln, "", ErrSyntax, "missing ':' in "+quoteTrunc(line))
	}
	desc := line[:colon]
	name, err := r.attrName(ln, desc, pos)
	if err != nil {
		if bytes.HasSuffix(desc, []byte(" ")) {
			err.(*Error).Msg += " (\"Name : value\" lines are PowerShell's Format-List output, not LDIF; export LDIF with " + ldifdeCommand + ")"
		}
		return "", nil, err
	}
	rest := line[colon+1:]
	switch {
	case len(rest) > 0 && rest[0] == ':':
		b64 := bytes.Trim(rest[1:], " ")
		n := base64.StdEncoding.DecodedLen(len(b64))
		if cap(r.dec) < n {
			r.dec = make([]byte, n)
		}
		n, err := base64.StdEncoding.Decode(r.dec[:n], b64)
		if err != nil {
			return "", nil, r.errorf(ln, name, ErrSyntax, "invalid base64 value: "+err.Error())
		}
		return name, r.dec[:n], nil
	case len(rest) > 0 && rest[0] == '<':
		return "", nil, r.errorf(ln, name, ErrUnsupported, "URL values (\""+string(desc)+":<\") are not supported; export the value inline (ldapsearch -t writes values to files: run it without -t)")
	default:
		v := bytes.TrimLeft(rest, " ")
		if !utf8.Valid(v) {
			return "", nil, r.errorf(ln, name, ErrSyntax, "the value is not UTF-8 text (was the file saved in an ANSI code page?); "+
				"LDIF tools write non-ASCII values in Base64 (\"attr:: …\"): export again with "+ldifdeCommand)
		}
		return name, v, nil
	}
}

// attrName validates an attribute description (type and options) and returns it without a
// range option. Names are interned: an entry's names are the same strings as the last entry's
// (pos is the line's position in its entry) or as any earlier entry's.
func (r *Reader) attrName(ln int, desc []byte, pos int) (string, error) {
	if pos >= 0 && pos < len(r.order) && string(desc) == r.order[pos] {
		return r.order[pos], nil // the common case: valid, no range option, seen at this place before
	}
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
		return r.intern(typ, desc, pos), nil
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
	return r.intern(out, desc, pos), nil
}

// maxNames bounds the interned names, so that an input of ever new names costs an allocation
// per name, not an ever larger table.
const maxNames = 1024

// intern returns name as a string, the same string each time. When name is desc (no range
// option), it is remembered as the name at position pos of an entry.
func (r *Reader) intern(name, desc []byte, pos int) string {
	s, ok := r.names[string(name)]
	if !ok {
		s = string(name)
		if len(r.names) < maxNames {
			if r.names == nil {
				r.names = make(map[string]string)
			}
			r.names[s] = s
		}
	}
	if pos >= 0 && pos < 256 && len(name) == len(desc) {
		for len(r.order) <= pos {
			r.order = append(r.order, "")
		}
		r.order[pos] = s
	}
	return s
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
