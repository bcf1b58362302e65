package ldif

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/hybridid/hybridid/validation"
)

// ValidationObject returns the validation record of an entry (validation.NewObject over its
// attributes). It never fails: values that do not fit their attribute are recorded in the
// record's Invalid list, so that one bad object does not stop a run.
func ValidationObject(e *Entry) validation.Object {
	return validation.NewObject(e.DN, e.Source, func(yield func(string, []string) bool) {
		for i := range e.Attrs {
			if !yield(e.Attrs[i].Name, e.Attrs[i].Values) {
				return
			}
		}
	})
}

// ReadObjects reads LDIF from r (named name in messages) and yields the users, groups and
// contacts it holds as validation records, skipping other entries (computers, OUs, …). Only
// an error of the LDIF itself (ErrSyntax, ErrUnsupported) is yielded, once, and ends the
// sequence. It accepts and refuses exactly what Reader does and yields what ValidationObject
// makes of Reader's entries, but it streams faster: it keeps only the attributes
// validation.NewObject reads and allocates nothing for the others.
func ReadObjects(r io.Reader, name string) iter.Seq2[validation.Object, error] {
	return func(yield func(validation.Object, error) bool) {
		s := newObjectScanner(r, name)
		for {
			o, err := s.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(validation.Object{}, err)
				return
			}
			if o.Synced() && !yield(o, nil) {
				return
			}
		}
	}
}

// objectScanner is the lean reader behind ReadObjects. It uses Reader's line handling and
// error messages, and collects the wanted attributes of one entry in scratch space.
//
// The values of one entry (and its DN and source) are copied into one string, which the record
// slices: two allocations per entry for all its strings, instead of one per value.
type objectScanner struct {
	r      *Reader
	wanted map[string]string // lower-case attribute name → the name passed on
	attrs  []scanAttr
	vals   []scanValue
	buf    []byte // the entry's DN, source and values, back to back
	dec    []byte
}

type scanAttr struct {
	name   string
	n      int // values
	values []string
}

type scanValue struct {
	attr       int // index in attrs
	start, end int // in buf
}

func newObjectScanner(r io.Reader, name string) *objectScanner {
	s := &objectScanner{r: NewReader(r, name), wanted: map[string]string{}}
	s.r.br = bufio.NewReaderSize(r, 256<<10)
	for _, a := range validation.Attributes() {
		s.wanted[strings.ToLower(a)] = a
	}
	return s
}

// next returns the next entry's record, or io.EOF.
func (s *objectScanner) next() (validation.Object, error) {
	r := s.r
	if r.err != nil {
		return validation.Object{}, r.err
	}
	o, err := s.scan()
	if err != nil {
		r.err = err
	}
	return o, err
}

func (s *objectScanner) scan() (validation.Object, error) {
	r := s.r
	var ln int
	for {
		var err error
		ln, err = r.logical()
		if err != nil {
			return validation.Object{}, err
		}
		if len(r.buf) == 0 || r.buf[0] == '#' {
			continue
		}
		if !r.started && hasPrefixFold(r.buf, "version:") {
			v := strings.TrimSpace(string(r.buf[len("version:"):]))
			if v != "1" {
				return validation.Object{}, r.errorf(ln, "", ErrUnsupported, "LDIF version "+strconv.Quote(v)+" (want 1)")
			}
			r.started = true
			continue
		}
		break
	}
	r.started = true
	name, value, err := r.attrValue(ln)
	if err != nil {
		return validation.Object{}, err
	}
	if !strings.EqualFold(name, "dn") {
		return validation.Object{}, r.errorf(ln, "", ErrSyntax, "a record starts with \"dn:\", not "+strconv.Quote(name+":"))
	}
	s.attrs, s.vals = s.attrs[:0], s.vals[:0]
	s.buf = append(s.buf[:0], value...)
	dnEnd := len(s.buf)
	s.buf = append(s.buf, r.name...)
	s.buf = append(s.buf, ':')
	s.buf = strconv.AppendInt(s.buf, int64(ln), 10)
	srcEnd := len(s.buf)
	first := true
	for {
		ln, err = r.logical()
		if err == io.EOF || (err == nil && len(r.buf) == 0) {
			return s.object(dnEnd, srcEnd), nil
		}
		if err != nil {
			return validation.Object{}, err
		}
		if r.buf[0] == '#' {
			continue
		}
		if r.buf[0] == '-' && len(bytes.TrimSpace(r.buf)) == 1 {
			return validation.Object{}, r.errorf(ln, "", ErrUnsupported, "\"-\" separator of a modify record; only content and changetype: add records are supported")
		}
		if err := s.line(ln, first); err != nil {
			return validation.Object{}, err
		}
		first = false
	}
}

// line handles one attribute line of an entry.
func (s *objectScanner) line(ln int, first bool) error {
	r := s.r
	line := r.buf
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return r.errorf(ln, "", ErrSyntax, "missing ':' in "+quoteTrunc(line))
	}
	desc := line[:colon]
	var lower [40]byte
	key := lowerName(lower[:0], desc) // nil unless a plain name (letters, digits, '-')
	var (
		canon string // the name passed to validation.NewObject
		want  bool
		label string // the name for messages, computed when needed
	)
	if key != nil {
		switch string(key) {
		case "changetype", "dn", "control":
			name, value, err := r.attrValue(ln)
			if err != nil {
				return err
			}
			return s.special(ln, name, value, first)
		}
		canon, want = s.wanted[string(key)]
	} else {
		// Names with options go through Reader's checks.
		name, err := r.attrName(ln, desc)
		if err != nil {
			return err
		}
		base, _, _ := strings.Cut(name, ";")
		switch {
		case strings.EqualFold(base, "changetype"), strings.EqualFold(base, "dn"), strings.EqualFold(base, "control"):
			if !strings.Contains(name, ";") {
				_, value, err := r.attrValue(ln)
				if err != nil {
					return err
				}
				return s.special(ln, name, value, first)
			}
		}
		if _, want = s.wanted[strings.ToLower(base)]; want {
			canon = name
		}
		label = name
	}
	rest := line[colon+1:]
	var val []byte
	switch {
	case len(rest) > 0 && rest[0] == ':':
		b64 := bytes.Trim(rest[1:], " ")
		need := base64.StdEncoding.DecodedLen(len(b64))
		if cap(s.dec) < need {
			s.dec = make([]byte, need)
		}
		n, err := base64.StdEncoding.Decode(s.dec[:need], b64)
		if err != nil {
			return r.errorf(ln, labelOr(label, desc), ErrSyntax, "invalid base64 value: "+err.Error())
		}
		val = s.dec[:n]
	case len(rest) > 0 && rest[0] == '<':
		return r.errorf(ln, labelOr(label, desc), ErrUnsupported, "URL values (\""+string(desc)+":<\") are not supported; export the value inline")
	default:
		val = bytes.TrimLeft(rest, " ")
	}
	if !want {
		return nil
	}
	k := -1
	if n := len(s.attrs); n > 0 && s.attrs[n-1].name == canon { // the usual case: values in a row
		k = n - 1
	} else {
		for i := range s.attrs {
			if strings.EqualFold(s.attrs[i].name, canon) {
				k = i
				break
			}
		}
	}
	if k < 0 {
		k = len(s.attrs)
		s.attrs = append(s.attrs, scanAttr{name: canon})
	}
	s.attrs[k].n++
	start := len(s.buf)
	if base, _, _ := strings.Cut(canon, ";"); !validation.CountOnly(base) {
		s.buf = append(s.buf, val...)
	}
	s.vals = append(s.vals, scanValue{attr: k, start: start, end: len(s.buf)})
	return nil
}

// special handles changetype, dn and control lines as Reader does.
func (s *objectScanner) special(ln int, name, value string, first bool) error {
	r := s.r
	switch {
	case strings.EqualFold(name, "changetype"):
		if !first {
			return r.errorf(ln, "", ErrSyntax, "changetype must follow the dn line")
		}
		if !strings.EqualFold(value, "add") {
			return r.errorf(ln, "", ErrUnsupported, "changetype "+strconv.Quote(value)+" (only add records are supported)")
		}
		return nil
	case strings.EqualFold(name, "dn"):
		return r.errorf(ln, "", ErrSyntax, "a second dn line in one record (records are separated by a blank line)")
	default:
		return r.errorf(ln, "", ErrUnsupported, "LDIF controls are not supported")
	}
}

// object makes the record of the entry scanned: buf holds the DN up to dnEnd, then the source
// up to srcEnd, then the values.
func (s *objectScanner) object(dnEnd, srcEnd int) validation.Object {
	all := string(s.buf)
	values := make([]string, len(s.vals))
	off := 0
	for i := range s.attrs {
		a := &s.attrs[i]
		a.values = values[off : off : off+a.n]
		off += a.n
	}
	for _, v := range s.vals {
		a := &s.attrs[v.attr]
		a.values = append(a.values, all[v.start:v.end])
	}
	return validation.NewObject(all[:dnEnd], all[dnEnd:srcEnd], func(yield func(string, []string) bool) {
		for i := range s.attrs {
			if !yield(s.attrs[i].name, s.attrs[i].values) {
				return
			}
		}
	})
}

func labelOr(label string, desc []byte) string {
	if label != "" {
		return label
	}
	return string(desc)
}

// lowerName appends desc lower-cased to b when it is a plain attribute name (letters, digits,
// '-') that fits; otherwise it returns nil, which matches no wanted name.
func lowerName(b []byte, desc []byte) []byte {
	if len(desc) == 0 || len(desc) > cap(b) {
		return nil
	}
	for _, c := range desc {
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
		default:
			return nil
		}
		b = append(b, c)
	}
	return b
}
