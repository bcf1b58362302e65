package ldif

import (
	"strconv"
	"strings"
)

// rawEntry is the entry the reading loop last read, before it becomes an Entry or a record:
// its attribute lines in input order, every value in one reused buffer. It is valid until the
// next read.
type rawEntry struct {
	vals  []byte // the DN, then each value, decoded
	dnEnd int    // the DN is vals[:dnEnd]
	line  int    // the line of the dn line
	attrs []rawAttr
}

// rawAttr is one attribute line: its name (interned, range option removed) and its value,
// vals[start:end].
type rawAttr struct {
	name       string
	start, end int
}

func (e *rawEntry) dn() []byte { return e.vals[:e.dnEnd] }

// use says what a record makes of an attribute's values, and so where view puts them.
type use uint8

const (
	// useNone: the record does not read the attribute; view leaves it out.
	useNone use = iota
	// useText: the record may keep the values (as text, or substrings of it); they go into the
	// entry's one lasting string, with its DN and Source.
	useText
	// useConvert: the record reads the values only to convert them (objectGUID's bytes, a
	// number); they go into a second string, garbage once the record is made.
	useConvert
	// useCount: the record reads only how many values there are; each is "".
	useCount
)

// classifier says, for view, what a record does with each attribute: its use, and whether
// the record keeps the values slice itself (then the slice is the record's own; otherwise view
// reuses it for the next entry). It remembers its answers by the name's position in the entry,
// since most entries have the same attributes in the same order.
type classifier struct {
	classify func(name string) (u use, keepSlice bool)
	last     []classified
}

type classified struct {
	name string
	use  use
	own  bool
}

func (c *classifier) use(pos int, name string) (use, bool) {
	if pos < len(c.last) && c.last[pos].name == name {
		return c.last[pos].use, c.last[pos].own
	}
	u, own := c.classify(name)
	if pos < 256 {
		for len(c.last) <= pos {
			c.last = append(c.last, classified{})
		}
		c.last[pos] = classified{name, u, own}
	}
	return u, own
}

// group is one attribute of the Entry view makes: the lines of one name (compared
// case-insensitively), in the order of its first line.
type group struct {
	first int // the raw attribute of its first line (an index, not a string: no write barrier)
	use   use
	own   bool // the values slice is allocated for the record, not reused
	n     int  // values
	off   int  // where its values start in their backing slice
	k     int  // values placed so far
}

// view makes the Entry e of r.raw. With a nil c it is the Entry Next returns: every
// attribute, all of it the caller's own, in three allocations (one string holding the DN, the
// Source and every value; one slice of values; one of attributes). With c it is a view
// for making one record: only the attributes c keeps, and e.Attrs and the values slices
// of attributes whose slice the record does not keep are reused by the next call.
//
// Attributes are merged as Entry.Add merges them: lines whose names are equal ignoring case
// become one attribute, named as first written, at the place of its first line.
func (r *Reader) view(e *Entry, c *classifier) {
	raw := &r.raw
	gs := r.groups[:0]
	idx := r.gidx[:0]
	var digits [20]byte
	line := strconv.AppendInt(digits[:0], int64(raw.line), 10)
	head := raw.dnEnd + len(r.name) + 1 + len(line) // the DN and the Source
	textLen, convLen, nShared, nOwn := head, 0, 0, 0
	for i, a := range raw.attrs {
		u, own := useText, true
		if c != nil {
			if u, own = c.use(i, a.name); u == useNone {
				idx = append(idx, -1)
				continue
			}
		}
		g := -1
		for j := range gs {
			// Names are ASCII (Reader checks them), so names of different lengths differ.
			if n := raw.attrs[gs[j].first].name; len(n) == len(a.name) && (n == a.name || strings.EqualFold(n, a.name)) {
				g = j
				break
			}
		}
		if g < 0 {
			g = len(gs)
			gs = append(gs, group{first: i, use: u, own: own})
		}
		gs[g].n++
		idx = append(idx, g)
		switch gs[g].use {
		case useText:
			textLen += a.end - a.start
		case useConvert:
			convLen += a.end - a.start
		}
	}
	for j := range gs {
		if gs[j].own {
			gs[j].off = nOwn
			nOwn += gs[j].n
		} else {
			gs[j].off = nShared
			nShared += gs[j].n
		}
	}

	var tb, cb strings.Builder
	tb.Grow(textLen)
	tb.Write(raw.dn())
	tb.WriteString(r.name)
	tb.WriteByte(':')
	tb.Write(line)
	if convLen > 0 {
		cb.Grow(convLen)
	}
	for i, a := range raw.attrs {
		if g := idx[i]; g >= 0 {
			switch gs[g].use {
			case useText:
				tb.Write(raw.vals[a.start:a.end])
			case useConvert:
				cb.Write(raw.vals[a.start:a.end])
			}
		}
	}
	text, conv := tb.String(), cb.String()
	e.DN = text[:raw.dnEnd]
	e.Source = text[raw.dnEnd:head]
	tpos, cpos := head, 0

	var owned []string
	if nOwn > 0 {
		owned = make([]string, nOwn)
	}
	shared := r.shared[:0]
	if cap(shared) < nShared {
		shared = make([]string, nShared)
	}
	clear(shared[nShared:cap(shared)]) // no hold on the last entry's strings
	shared = shared[:nShared]
	for i, a := range raw.attrs {
		g := idx[i]
		if g < 0 {
			continue
		}
		var v string
		switch n := a.end - a.start; gs[g].use {
		case useText:
			v = text[tpos : tpos+n]
			tpos += n
		case useConvert:
			v = conv[cpos : cpos+n]
			cpos += n
		}
		if gs[g].own {
			owned[gs[g].off+gs[g].k] = v
		} else {
			shared[gs[g].off+gs[g].k] = v
		}
		gs[g].k++
	}

	var attrs []Attr
	switch {
	case c == nil && len(gs) > 0:
		attrs = make([]Attr, 0, len(gs))
	case c != nil:
		attrs = r.attrs[:0]
	}
	for _, g := range gs {
		vs := shared
		if g.own {
			vs = owned
		}
		// The full slice expression caps each attribute's values, so that Entry.Add appending
		// to one attribute copies them rather than overwrite the next attribute's.
		attrs = append(attrs, Attr{Name: raw.attrs[g.first].name, Values: vs[g.off : g.off+g.n : g.off+g.n]})
	}
	e.Attrs = attrs
	if c != nil {
		clear(attrs[len(attrs):cap(attrs)])
		r.attrs = attrs
		r.shared = shared
	}
	r.groups, r.gidx = gs[:0], idx[:0]
}
