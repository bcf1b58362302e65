package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
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
	s, _, err := read(r, name, false, false)
	return s, err
}

// ReadRecords reads a snapshot like Read and returns what its Tenant and Cloud methods would
// return, with the same errors, without keeping the snapshot's objects: each user, group,
// contact and deleted user becomes its matching record as it is read, so that a large
// snapshot's objects and records are never in memory together (for a million users, about two
// thirds of the peak memory and of the bytes allocated of Read then Cloud). The records are in
// the order of Cloud (users, groups, contacts, deleted users) whatever the order of the file.
// Members the records do not carry (Extra, the objects' other fields) are read, checked and
// dropped; a caller that needs them, or that writes the snapshot back, uses Read.
func ReadRecords(r io.Reader, name string) (matching.TenantState, []matching.Cloud, error) {
	s, d, err := read(r, name, false, true)
	if err != nil {
		return matching.TenantState{}, nil, err
	}
	var cloud []matching.Cloud
	d.records.join(&cloud)
	cloud = inOrder(cloud, d.segments)
	t := s.Tenant()
	if d.objectIdentifier {
		t.Known |= matching.KnownObjectIdentifier
	}
	return t, cloud, nil
}

// ReadFileRecords reads the snapshot file at path (see ReadRecords).
func ReadFileRecords(path string) (matching.TenantState, []matching.Cloud, error) {
	f, err := os.Open(path)
	if err != nil {
		return matching.TenantState{}, nil, err
	}
	defer f.Close()
	return ReadRecords(f, path)
}

// inOrder puts the segments of cloud in the order of Snapshot.Cloud; it returns cloud itself
// when they are (the order Writer writes), and a non-nil slice.
func inOrder(cloud []matching.Cloud, segs []segment) []matching.Cloud {
	if slices.IsSortedFunc(segs, func(a, b segment) int { return a.rank - b.rank }) {
		if cloud == nil {
			cloud = []matching.Cloud{}
		}
		return cloud
	}
	out := make([]matching.Cloud, 0, len(cloud))
	for rank := range 4 {
		for _, g := range segs {
			if g.rank == rank {
				out = append(out, cloud[g.start:g.end]...)
			}
		}
	}
	return out
}

// read is Read, and ReadRecords when records is set; slow reads with encoding/json alone (no
// element scanner, no fast path), as Read did before they were written, for the differential
// tests.
func read(r io.Reader, name string, slow, records bool) (*Snapshot, *decoder, error) {
	d := &decoder{name: name, src: newSource(r), slow: slow, ids: map[string]uint64{}}
	if records {
		d.records = &chunks[matching.Cloud]{}
	}
	d.dec = json.NewDecoder(d.src)
	s := &Snapshot{}
	if err := d.document(s); err != nil {
		return nil, nil, err
	}
	return s, d, nil
}

// ref is the place of an array element: key[i].
type ref struct {
	key string
	i   int
}

func (r ref) String() string { return r.key + "[" + strconv.Itoa(r.i) + "]" }

type decoder struct {
	name  string
	src   *source
	dec   *json.Decoder // reads src, from the input offset -base
	base  int64
	slow  bool
	arena arena
	// records, when set, is where ReadRecords wants the directory objects, as records, in
	// segments in the order of the input; objectIdentifier says whether a user has the member.
	records          *chunks[matching.Cloud]
	segments         []segment
	objectIdentifier bool
	raw              json.RawMessage
	free             chan *batch       // batches array's consumer has finished with, for slice to fill again
	ids              map[string]uint64 // object id -> where it was first seen (see objectArrays)
	idsRoom          int               // the size ids was made for
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
			err = objects(d, key, &s.Users, func(u *User) (string, string) { return u.ID, u.OnPremisesImmutableID }, userRecord)
		case "groups":
			err = objects(d, key, &s.Groups, func(g *Group) (string, string) { return g.ID, g.OnPremisesImmutableID }, groupRecord)
		case "contacts":
			err = objects(d, key, &s.Contacts, func(c *Contact) (string, string) { return c.ID, "" }, contactRecord)
		case "deletedUsers":
			err = objects(d, key, &s.DeletedUsers, func(u *User) (string, string) { return u.ID, u.OnPremisesImmutableID }, deletedRecord)
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
	var c chunks[T]
	null, err := elements(d, key, &c, check)
	if err != nil {
		return err
	}
	if null {
		*out = nil // null: no objects (for the optional arrays: not said)
		return nil
	}
	c.join(out)
	return nil
}

// objects reads the array of directory objects at key (users, groups, contacts, deleted users),
// checking that each has an id not seen before and an onPremisesImmutableId Graph accepts:
// into *out, or, for ReadRecords, straight into matching records (record) without keeping the
// objects.
func objects[T any](d *decoder, key string, out *[]T, id func(*T) (string, string), record func(*T, anchor.SourceAnchor) matching.Cloud) error {
	objectIdentifier := func(v *T) {
		if u, ok := any(v).(*User); ok && u.OnPremisesObjectIdentifier != nil {
			d.objectIdentifier = true
		}
	}
	if d.records == nil {
		return array(d, key, out, func(at ref, v *T) error {
			x, anchor := id(v)
			_, err := d.object(at, x, anchor)
			return err
		})
	}
	r := &recordSink[T]{out: d.records}
	start := d.records.n
	_, err := elements(d, key, r, func(at ref, v *T) error {
		x, immutableID := id(v)
		a, err := d.object(at, x, immutableID)
		if err != nil {
			return err
		}
		objectIdentifier(v)
		d.records.push(record(v, a))
		return nil
	})
	d.segments = append(d.segments, segment{rank: rankOf(key), start: start, end: d.records.n})
	return err
}

// elements reads the array at key into dst, checking each element with check; it reports
// whether the array is null. The element scanner (scan.go) reads the elements as long as they
// are plain objects; from the first one it does not take, encoding/json reads the rest (slice).
func elements[T any](d *decoder, key string, dst sink[T], check func(at ref, v *T) error) (bool, error) {
	t, err := d.token(key)
	if err != nil {
		return false, err
	}
	if t == nil {
		return true, nil
	}
	if t != json.Delim('[') {
		return false, d.errorf(key, ErrType, "JSON %s where an array is expected", tokenWord(t))
	}
	if !d.slow {
		if err := scanArray(d, key, dst, check); err != nil {
			return false, err
		}
	}
	if err := sliceArray(d, key, dst, check); err != nil {
		return false, err
	}
	_, err = d.token(key)
	return false, err
}

// sink is where elements puts the elements it decodes.
type sink[T any] interface {
	// add returns a zero T for the next element.
	add() *T
	// count is the number of elements added.
	count() int
	// guess is told, once, that the elements so far took the input from start to the source's
	// offset, so that it can make room for the rest (see chunks.guess); it returns its guess
	// of how many elements are left, or 0.
	guess(s *source, start int64) int
}

// recordSink decodes every element into the same T: its check turns it into a record.
type recordSink[T any] struct {
	v   T
	n   int
	out *chunks[matching.Cloud]
}

func (r *recordSink[T]) add() *T {
	r.v = *new(T)
	r.n++
	return &r.v
}

func (r *recordSink[T]) count() int { return r.n }

func (r *recordSink[T]) guess(s *source, start int64) int { return r.out.guessRest(s, start, r.n) }

// decodeElement decodes the element raw (one valid JSON value) into v and checks it.
func decodeElement[T any](d *decoder, at ref, v *T, raw []byte, check func(at ref, v *T) error) error {
	if len(raw) == 0 || raw[0] != '{' {
		return d.errorf(at.String(), ErrType, "JSON %s where an object is expected", rawWord(raw))
	}
	// Try the reflection-free decoder first (fast.go); when it declines, start again from zero
	// with the element's own decoder, called directly since json.Unmarshal would scan the bytes
	// once more.
	d.arena.plain, d.arena.nested = bytes.IndexByte(raw, '\\') < 0, true
	d.arena.utf8 = d.arena.plain && utf8.Valid(raw)
	if fd, ok := any(v).(fastDecoder); d.slow || !ok || !fd.decodeFastIn(raw, &d.arena) {
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
func scanArray[T any](d *decoder, key string, c sink[T], check func(at ref, v *T) error) error {
	ahead, _ := io.ReadAll(d.dec.Buffered())
	d.src.unread(ahead)
	start := d.src.offset()
	for {
		n := c.count()
		raw, ok := d.src.element(n == 0)
		if !ok {
			break
		}
		if n == guessAfter {
			if rest := c.guess(d.src, start); rest > 0 && rankOf(key) >= 0 {
				d.growIDs(rest)
			}
		}
		if err := decodeElement(d, ref{key, n}, c.add(), raw, check); err != nil {
			return err
		}
	}
	d.resume(c.count() > 0)
	return nil
}

// sliceArray decodes the rest of the array at key with encoding/json: one goroutine slices the
// elements out of the stream (json.Decoder checks and copies them) while this one decodes and
// checks them in order. The slicer stops after the first element it cannot read and reports
// that error in its place; this goroutine stops the slicer before it returns early, so only one
// of them uses d.dec at any moment.
func sliceArray[T any](d *decoder, key string, c sink[T], check func(at ref, v *T) error) error {
	batches, done := d.slice(key, c.count())
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
	guessAfter = 1 << 9 // elements read before guess
)

// push appends v.
func (c *chunks[T]) push(v T) {
	c.room()
	c.cur = append(c.cur, v)
	c.n++
}

// add appends a zero element and returns it.
func (c *chunks[T]) add() *T {
	c.room()
	c.cur = append(c.cur, *new(T))
	c.n++
	return &c.cur[len(c.cur)-1]
}

// room makes room in cur for one more element.
func (c *chunks[T]) room() {
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
}

func (c *chunks[T]) count() int { return c.n }

func (c *chunks[T]) guess(s *source, start int64) int { return c.guessRest(s, start, c.n) }

// guessRest sets the capacity of the first chunk to what the input has room for, when its size
// is known: n elements took the bytes from start to here, and the rest of the input is at most
// as many elements again of that size. The guess is high by the arrays that follow; the pages
// of the capacity never written are never touched, and join trims a guess far too high. It
// returns the number of elements guessed to be left.
func (c *chunks[T]) guessRest(s *source, start int64, n int) int {
	if s.size <= 0 || len(c.full) > 0 || c.capped {
		return 0
	}
	used := s.offset() - start
	if used <= 0 {
		return 0
	}
	rest := (s.size - s.offset()) * int64(n) / used
	if rest < int64(cap(c.cur)-len(c.cur)) || rest > 1<<28 {
		return 0
	}
	cur := make([]T, len(c.cur), len(c.cur)+int(rest)+int(rest)/32+64)
	copy(cur, c.cur)
	c.cur, c.capped = cur, true
	return int(rest)
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
func (d *decoder) object(at ref, id, immutableID string) (anchor.SourceAnchor, error) {
	if id == "" {
		return anchor.SourceAnchor{}, d.errorf(at.String()+".id", ErrInvalid, "missing")
	}
	if first, dup := d.ids[id]; dup {
		first := ref{objectArrays[first&3], int(first >> 2)}
		return anchor.SourceAnchor{}, d.errorf(at.String()+".id", ErrDuplicate, "id %q already used by %s", id, first)
	}
	d.ids[id] = uint64(at.i)<<2 | uint64(rankOf(at.key))
	if immutableID == "" {
		return anchor.SourceAnchor{}, nil
	}
	a, err := anchor.ParseSourceAnchor(immutableID)
	if err != nil {
		return a, d.errorf(at.String()+".onPremisesImmutableId", ErrInvalid, "%v", err)
	}
	return a, nil
}

// growIDs makes room in d.ids for n more ids, so that a large array does not rehash the map
// at every doubling.
func (d *decoder) growIDs(n int) {
	if len(d.ids)+n <= d.idsRoom {
		return // an earlier array's guess made room already
	}
	d.idsRoom = len(d.ids) + n + n/8
	ids := make(map[string]uint64, d.idsRoom)
	maps.Copy(ids, d.ids)
	d.ids = ids
}

// segment is the run out[start:end] of the records ReadRecords makes from one array.
type segment struct{ rank, start, end int }

// objectArrays are the arrays of directory objects, in the order of Snapshot.Cloud. d.ids
// keeps the place key[i] of an id as i<<2 | the index of key here.
var objectArrays = [...]string{"users", "groups", "contacts", "deletedUsers"}

// rankOf is the place of the directory-object array key in the order of Snapshot.Cloud, or -1.
func rankOf(key string) int {
	switch key {
	case "users":
		return 0
	case "groups":
		return 1
	case "contacts":
		return 2
	case "deletedUsers":
		return 3
	}
	return -1
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
