package snapshot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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
	d := &decoder{name: name, dec: json.NewDecoder(bufio.NewReaderSize(r, 256<<10)), ids: map[string]ref{}}
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
	dec  *json.Decoder
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
		return d.errorf(path, ErrSyntax, "%v (at byte %d)", se, d.dec.InputOffset())
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
// Elements are gathered in fixed-size chunks and copied into *out once at the end, so that a
// million-element array is not copied again at every doubling of a growing slice.
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
	const chunkLen = 1 << 14
	var chunks [][]T
	cur := make([]T, 0, 64)
	n := 0
	// One goroutine slices the elements out of the stream (json.Decoder checks and copies them,
	// half the work) while this one decodes and checks them in order, so the two halves run on
	// two cores. The slicer stops after the first element it cannot read and reports that error
	// in its place; this goroutine stops the slicer before it returns early, so only one of them
	// uses d.dec at any moment.
	batches, done := d.slice(key)
	stop := func() {
		close(done)
		for range batches {
		}
	}
	for b := range batches {
		for j := range b.ends {
			at := ref{key, b.first + j}
			if len(cur) == cap(cur) {
				if cap(cur) < chunkLen {
					cur = append(cur, *new(T))[:len(cur)] // grow the first chunk normally
				} else {
					chunks = append(chunks, cur)
					cur = make([]T, 0, chunkLen)
				}
			}
			cur = append(cur, *new(T))
			v := &cur[len(cur)-1]
			n++
			raw := b.element(j)
			if len(raw) == 0 || raw[0] != '{' {
				stop()
				return d.errorf(at.String(), ErrType, "JSON %s where an object is expected", rawWord(raw))
			}
			// The bytes are valid JSON (Decode checked them): try the reflection-free decoder
			// first (fast.go); when it declines, start again from zero with the element's own
			// decoder, called directly since json.Unmarshal would scan the bytes once more.
			if fd, ok := any(v).(fastDecoder); !ok || !fd.decodeFast(raw) {
				*v = *new(T)
				if err := any(v).(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
					stop()
					return d.jsonErr(at.String(), err)
				}
			}
			if err := check(at, v); err != nil {
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
	if len(chunks) == 0 {
		*out = append(*out, cur...)
	} else {
		all := make([]T, 0, len(*out)+n)
		all = append(all, *out...)
		for _, c := range chunks {
			all = append(all, c...)
		}
		*out = append(all, cur...)
	}
	_, err = d.token(key)
	return err
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

// slice reads the elements of the array at key (its '[' already read) in a new goroutine, sending
// them in batches, and closes the channel after the last one (the ']' not read) or after an
// error, or when done is closed.
func (d *decoder) slice(key string) (<-chan *batch, chan struct{}) {
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
		i := 0
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
