package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridid/hybridid/anchor"
)

// Sentinel errors; every error Read returns wraps one of them. Test with errors.Is.
var (
	// ErrSyntax reports input that is not JSON, or not the snapshot's shape (an array where an
	// object is expected).
	ErrSyntax = errors.New("snapshot: syntax error")
	// ErrType reports a member with the wrong JSON type (a string where a boolean is expected).
	ErrType = errors.New("snapshot: wrong type")
	// ErrDuplicate reports a second object with an id already seen.
	ErrDuplicate = errors.New("snapshot: duplicate id")
	// ErrInvalid reports a value Graph itself would refuse (an onPremisesImmutableId with '$' or
	// '_', docs/entra-rules.md §1.7), a missing id, or a missing takenAt.
	ErrInvalid = errors.New("snapshot: invalid value")
)

// Error is a failure at one JSON path of a snapshot file. Its message reads
// "tenant.json: users[12].onPremisesImmutableId: …".
type Error struct {
	Name string // the input's name as given to Read
	Path string // JSON path, such as "users[12].accountEnabled"; "" for the whole document
	Msg  string
	Err  error // ErrSyntax, ErrType, ErrDuplicate or ErrInvalid
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Name + ": " + e.Msg
	}
	return e.Name + ": " + e.Path + ": " + e.Msg
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads the snapshot file at path (see Read).
func ReadFile(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a snapshot (docs/snapshot.md) from r; name identifies the input in error
// messages. It walks the top-level object token by token and decodes one array element at a
// time, so a file of a million users is never held in memory as JSON text. Unknown members are
// kept in the Extra maps. It fails, naming the JSON path, on a member of the wrong type, an
// object without an id, an id seen before (users, groups, contacts and deleted users share one
// id space, as directory objects do), an onPremisesImmutableId Graph would refuse
// (anchor.ParseSourceAnchor; docs/entra-rules.md §1.7; "" is read as not set), and a missing takenAt (the
// moment the prediction is for).
func Read(r io.Reader, name string) (*Snapshot, error) {
	return read(r, name, false)
}

// read is Read; slow reads with encoding/json alone (no element scanner, no fast path), as
// Read did before they were written, for the differential tests.
func read(r io.Reader, name string, slow bool) (*Snapshot, error) {
	d := &decoder{name: name, src: newSource(r), slow: slow, ids: map[string]ref{}}
	d.dec = json.NewDecoder(d.src)
	s := &Snapshot{}
	if err := d.document(s); err != nil {
		return nil, err
	}
	return s, nil
}

// ref is the place of an array element: key[i].
type ref struct {
	key string
	i   int
}

func (r ref) String() string { return r.key + "[" + strconv.Itoa(r.i) + "]" }

type decoder struct {
	name string
	src  *source
	dec  *json.Decoder // reads src, from the input offset -base
	base int64
	slow bool
	raw  json.RawMessage
	free chan *batch    // batches array's consumer has finished with, for slice to fill again
	ids  map[string]ref // object id -> where it was first seen
}

func (d *decoder) errorf(path string, sentinel error, format string, args ...any) error {
	return &Error{Name: d.name, Path: path, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// jsonErr turns an encoding/json error met at path into an *Error.
func (d *decoder) jsonErr(path string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		p := path
		if te.Field != "" {
			p = joinPath(path, te.Field)
		}
		return d.errorf(p, ErrType, "JSON %s where %s is expected", te.Value, typeWord(te.Type.String()))
	case errors.As(err, &se):
		return d.errorf(path, ErrSyntax, "%v (at byte %d)", se, d.offset())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return d.errorf(path, ErrSyntax, "unexpected end of input")
	default:
		var pe *Error
		if errors.As(err, &pe) {
			return err
		}
		return d.errorf(path, ErrType, "%v", err)
	}
}

// offset is the input offset json.Decoder has reached.
func (d *decoder) offset() int64 { return d.base + d.dec.InputOffset() }

// resume starts a new json.Decoder at the source's next byte, inside an array of the top-level
// object, after an element when after is set: the prefix it reads first puts it in the state
// the previous decoder had there.
func (d *decoder) resume(after bool) {
	prefix := `{"":[`
	if after {
		prefix += `{}`
	}
	d.base = d.src.offset() - int64(len(prefix))
	d.dec = json.NewDecoder(io.MultiReader(strings.NewReader(prefix), d.src))
	for range 3 {
		d.dec.Token() // '{', "", '[': the prefix is valid JSON so far
	}
	if after {
		var v json.RawMessage
		d.dec.Decode(&v)
	}
}

func joinPath(base, field string) string {
	if base == "" {
		return field
	}
	return base + "." + field
}

func typeWord(t string) string {
	switch {
	case strings.Contains(t, "bool"):
		return "a boolean"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasSuffix(t, "string"):
		return "a string"
	case strings.Contains(t, "Time"):
		return "a date-time string"
	case strings.Contains(t, "int") || strings.Contains(t, "float"):
		return "a number"
	}
	return "an object"
}

func (d *decoder) token(path string) (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, d.jsonErr(path, err)
	}
	return t, nil
}

func (d *decoder) document(s *Snapshot) error {
	t, err := d.token("")
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return d.errorf("", ErrSyntax, "the document is %s, not an object", tokenWord(t))
	}
	seen := map[string]bool{}
	for d.dec.More() {
		t, err := d.token("")
		if err != nil {
			return err
		}
		key := t.(string)
		if seen[key] {
			return d.errorf(key, ErrSyntax, "member appears twice")
		}
		seen[key] = true
		switch key {
		case "takenAt":
			err = d.value(key, &s.TakenAt)
		case "organization":
			if err = d.value(key, &s.Organization); err == nil {
				err = d.organization(&s.Organization)
			}
		case "onPremisesSynchronization":
			err = d.value(key, &s.OnPremisesSynchronization)
		case "users":
			err = array(d, key, &s.Users, func(p ref, u *User) error { return d.object(p, u.ID, u.OnPremisesImmutableID) })
		case "groups":
			err = array(d, key, &s.Groups, func(p ref, g *Group) error {
				return d.object(p, g.ID, g.OnPremisesImmutableID)
			})
		case "contacts":
			err = array(d, key, &s.Contacts, func(p ref, c *Contact) error { return d.object(p, c.ID, "") })
		case "deletedUsers":
			err = array(d, key, &s.DeletedUsers, func(p ref, u *User) error {
				return d.object(p, u.ID, u.OnPremisesImmutableID)
			})
		case "roleAssignments":
			err = array(d, key, &s.RoleAssignments, uniqueIDs(d, key, func(r *RoleAssignment) string { return r.ID }))
		// The three arrays below were added on 2026-11-30: present and empty ([]) means the
		// tenant has none, absent or null that the file does not say.
		case "roleEligibilities":
			s.RoleEligibilities = []RoleEligibility{}
			err = array(d, key, &s.RoleEligibilities, uniqueIDs(d, key, func(r *RoleEligibility) string { return r.ID }))
		case "roleDefinitions":
			s.RoleDefinitions = []RoleDefinition{}
			err = array(d, key, &s.RoleDefinitions, uniqueIDs(d, key, func(r *RoleDefinition) string { return r.ID }))
		case "groupMembers":
			s.GroupMembers = []GroupMember{}
			err = array(d, key, &s.GroupMembers, func(p ref, m *GroupMember) error {
				if m.GroupID == "" {
					return d.errorf(p.String()+".groupId", ErrInvalid, "missing")
				}
				if m.MemberID == "" {
					return d.errorf(p.String()+".memberId", ErrInvalid, "missing")
				}
				return nil
			})
		default:
			var raw json.RawMessage
			if err = d.value(key, &raw); err == nil {
				if s.Extra == nil {
					s.Extra = map[string]json.RawMessage{}
				}
				s.Extra[key] = compact(raw)
			}
		}
		if err != nil {
			return err
		}
	}
	if _, err := d.token(""); err != nil {
		return err
	}
	if t, err := d.dec.Token(); err != io.EOF {
		if err != nil {
			return d.jsonErr("", err)
		}
		return d.errorf("", ErrSyntax, "%s after the end of the document", tokenWord(t))
	}
	if !seen["takenAt"] || s.TakenAt.IsZero() {
		return d.errorf("takenAt", ErrInvalid, "missing (the moment the snapshot was taken decides the restore window and which service changes are in force)")
	}
	return nil
}

// value decodes the next value at path into v.
func (d *decoder) value(path string, v any) error {
	d.raw = d.raw[:0]
	if err := d.dec.Decode(&d.raw); err != nil {
		return d.jsonErr(path, err)
	}
	if err := json.Unmarshal(d.raw, v); err != nil {
		return d.jsonErr(path, err)
	}
	return nil
}

func (d *decoder) organization(o *Organization) error {
	seen := map[string]int{}
	for i, v := range o.VerifiedDomains {
		if v.Name == "" {
			return d.errorf("organization.verifiedDomains["+strconv.Itoa(i)+"].name", ErrInvalid, "missing")
		}
		k := strings.ToLower(v.Name)
		if j, dup := seen[k]; dup {
			return d.errorf("organization.verifiedDomains["+strconv.Itoa(i)+"].name", ErrDuplicate,
				"domain %q already listed at organization.verifiedDomains[%d]", v.Name, j)
		}
		seen[k] = i
	}
	return nil
}

// uniqueIDs returns an array check that each element of the array at key has an id not seen
// before in that array.
func uniqueIDs[T any](d *decoder, key string, id func(*T) string) func(ref, *T) error {
	ids := map[string]int{}
	return func(p ref, v *T) error {
		x := id(v)
		if x == "" {
			return d.errorf(p.String()+".id", ErrInvalid, "missing")
		}
		if first, dup := ids[x]; dup {
			return d.errorf(p.String()+".id", ErrDuplicate, "id %q already used by %s[%d]", x, key, first)
		}
		ids[x] = p.i
		return nil
	}
}

// array decodes the array at key one element at a time into *out, checking each with check.
// The element scanner (scan.go) reads the elements as long as they are plain objects; from the
// first one it does not take, encoding/json reads the rest (slice). Elements are gathered in
// chunks and joined once at the end (see chunks), so that a million-element array is not
// copied again at every doubling of a growing slice.
func array[T any](d *decoder, key string, out *[]T, check func(at ref, v *T) error) error {
	t, err := d.token(key)
	if err != nil {
		return err
	}
	if t == nil {
		*out = nil // null: no objects (for the optional arrays: not said)
		return nil
	}
	if t != json.Delim('[') {
		return d.errorf(key, ErrType, "JSON %s where an array is expected", tokenWord(t))
	}
	var c chunks[T]
	if !d.slow {
		if err := scanArray(d, key, &c, check); err != nil {
			return err
		}
	}
	if err := sliceArray(d, key, &c, check); err != nil {
		return err
	}
	c.join(out)
	_, err = d.token(key)
	return err
}

// decodeElement decodes the element raw (one valid JSON value) into v and checks it.
func decodeElement[T any](d *decoder, at ref, v *T, raw []byte, check func(at ref, v *T) error) error {
	if len(raw) == 0 || raw[0] != '{' {
		return d.errorf(at.String(), ErrType, "JSON %s where an object is expected", rawWord(raw))
	}
	// Try the reflection-free decoder first (fast.go); when it declines, start again from zero
	// with the element's own decoder, called directly since json.Unmarshal would scan the bytes
	// once more.
	if fd, ok := any(v).(fastDecoder); d.slow || !ok || !fd.decodeFast(raw) {
		*v = *new(T)
		if err := any(v).(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			return d.jsonErr(at.String(), err)
		}
	}
	return check(at, v)
}

// scanArray decodes the elements of the array at key (its '[' just read by d.dec) that the
// element scanner takes, straight from the source's buffer, and leaves d.dec at the byte after
// the last of them.
func scanArray[T any](d *decoder, key string, c *chunks[T], check func(at ref, v *T) error) error {
	ahead, _ := io.ReadAll(d.dec.Buffered())
	d.src.unread(ahead)
	start := d.src.offset()
	for {
		raw, ok := d.src.element(c.n == 0)
		if !ok {
			break
		}
		if c.n == guessAfter {
			c.guess(d.src, start)
		}
		at := ref{key, c.n}
		if err := decodeElement(d, at, c.add(), raw, check); err != nil {
			return err
		}
	}
	d.resume(c.n > 0)
	return nil
}

// sliceArray decodes the rest of the array at key with encoding/json: one goroutine slices the
// elements out of the stream (json.Decoder checks and copies them) while this one decodes and
// checks them in order. The slicer stops after the first element it cannot read and reports
// that error in its place; this goroutine stops the slicer before it returns early, so only one
// of them uses d.dec at any moment.
func sliceArray[T any](d *decoder, key string, c *chunks[T], check func(at ref, v *T) error) error {
	batches, done := d.slice(key, c.n)
	stop := func() {
		close(done)
		for range batches {
		}
	}
	for b := range batches {
		for j := range b.ends {
			if err := decodeElement(d, ref{key, b.first + j}, c.add(), b.element(j), check); err != nil {
				stop()
				return err
			}
		}
		if b.err != nil {
			stop()
			return b.err
		}
		d.free <- b
	}
	return nil
}

// chunks gathers the elements of an array: in one slice as long as it has room, then in slices
// of chunkLen, joined once at the end.
type chunks[T any] struct {
	full   [][]T
	cur    []T
	n      int
	capped bool // cur's capacity was set by guess
}

const (
	chunkLen   = 1 << 14
	guessAfter = 1 << 12 // elements read before guess
)

// add appends a zero element and returns it.
func (c *chunks[T]) add() *T {
	if len(c.cur) == cap(c.cur) {
		switch {
		case c.cur == nil:
			c.cur = make([]T, 0, 64)
		case cap(c.cur) < chunkLen && !c.capped:
			c.cur = append(c.cur, *new(T))[:len(c.cur)] // grow the first chunk normally
		default:
			c.full = append(c.full, c.cur)
			c.cur = make([]T, 0, chunkLen)
		}
	}
	c.cur = append(c.cur, *new(T))
	c.n++
	return &c.cur[len(c.cur)-1]
}

// guess sets the capacity of the first chunk to the number of elements the input has room
// for, when its size is known: the elements so far took the bytes from start to here, and the
// rest of the input is at most as many elements again of that size. The guess is high by the
// arrays that follow; the pages of the capacity never written are never touched, and join
// trims a guess far too high.
func (c *chunks[T]) guess(s *source, start int64) {
	if s.size <= 0 || len(c.full) > 0 || c.capped {
		return
	}
	used := s.offset() - start
	if used <= 0 {
		return
	}
	rest := (s.size - s.offset()) * int64(c.n) / used
	if rest < int64(cap(c.cur)-len(c.cur)) || rest > 1<<28 {
		return
	}
	cur := make([]T, len(c.cur), c.n+int(rest)+int(rest)/32+64)
	copy(cur, c.cur)
	c.cur, c.capped = cur, true
}

// join puts the elements in *out (left as it is when there are none: an empty optional array
// stays empty, not nil).
func (c *chunks[T]) join(out *[]T) {
	if c.n == 0 {
		return
	}
	if len(c.full) == 0 && len(*out) == 0 {
		if cap(c.cur)-len(c.cur) > len(c.cur)/8+1024 {
			c.cur = slices.Clip(slices.Clone(c.cur))
		}
		*out = c.cur
		return
	}
	all := make([]T, 0, len(*out)+c.n)
	all = append(all, *out...)
	for _, f := range c.full {
		all = append(all, f...)
	}
	*out = append(all, c.cur...)
}

// batch is a run of consecutive array elements as JSON text: element j is
// buf[ends[j-1]:ends[j]], trimmed of white space, and its index in the array is first+j. err, when
// set, is the error met reading the element after the last one.
type batch struct {
	buf   []byte
	ends  []int
	first int
	err   error
}

func (b *batch) element(j int) []byte {
	start := 0
	if j > 0 {
		start = b.ends[j-1]
	}
	return b.buf[start:b.ends[j]]
}

// batchBytes is about how much JSON text a batch holds before it is handed over.
const batchBytes = 64 << 10

// slice reads the elements of the array at key from index first (its '[' and the elements
// before first already read) in a new goroutine, sending
// them in batches, and closes the channel after the last one (the ']' not read) or after an
// error, or when done is closed.
func (d *decoder) slice(key string, first int) (<-chan *batch, chan struct{}) {
	if d.free == nil {
		d.free = make(chan *batch, 4)
		for range cap(d.free) {
			d.free <- &batch{}
		}
	}
	out := make(chan *batch, cap(d.free)-1)
	done := make(chan struct{})
	go func() {
		defer close(out)
		i := first
		for {
			var b *batch
			select {
			case b = <-d.free:
			case <-done:
				return
			}
			b.buf, b.ends, b.first, b.err = b.buf[:0], b.ends[:0], i, nil
			for len(b.buf) < batchBytes && d.dec.More() {
				d.raw = d.raw[:0]
				if err := d.dec.Decode(&d.raw); err != nil {
					b.err = d.jsonErr(ref{key, i}.String(), err)
					break
				}
				b.buf = append(b.buf, bytes.TrimSpace(d.raw)...)
				b.ends = append(b.ends, len(b.buf))
				i++
			}
			last := b.err != nil || len(b.buf) < batchBytes
			select {
			case out <- b:
			case <-done:
				return
			}
			if last {
				return
			}
		}
	}()
	return out, done
}

// object checks what every directory object needs: an id not seen before and, when set, an
// onPremisesImmutableId that Graph accepts.
func (d *decoder) object(at ref, id, immutableID string) error {
	if id == "" {
		return d.errorf(at.String()+".id", ErrInvalid, "missing")
	}
	if first, dup := d.ids[id]; dup {
		return d.errorf(at.String()+".id", ErrDuplicate, "id %q already used by %s", id, first)
	}
	d.ids[id] = at
	if immutableID != "" {
		if _, err := anchor.ParseSourceAnchor(immutableID); err != nil {
			return d.errorf(at.String()+".onPremisesImmutableId", ErrInvalid, "%v", err)
		}
	}
	return nil
}

func tokenWord(t json.Token) string {
	switch t.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case json.Delim:
		if t == json.Delim('[') {
			return "array"
		}
		return "object"
	}
	return "value"
}

func rawWord(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "string"
	case '[':
		return "array"
	case 'n':
		return "null"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

// UnmarshalJSON implements json.Unmarshaler with the checks of Read.
func (s *Snapshot) UnmarshalJSON(b []byte) error {
	v, err := Read(bytes.NewReader(b), "snapshot")
	if err != nil {
		return err
	}
	*s = *v
	return nil
}
