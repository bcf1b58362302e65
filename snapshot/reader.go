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
	// '_', reference §1.7), a missing id, or a missing takenAt.
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

// Read reads a snapshot (../shared/spec/snapshot.md) from r; name identifies the input in error
// messages. It walks the top-level object token by token and decodes one array element at a
// time, so a file of a million users is never held in memory as JSON text. Unknown members are
// kept in the Extra maps. It fails, naming the JSON path, on a member of the wrong type, an
// object without an id, an id seen before (users, groups, contacts and deleted users share one
// id space, as directory objects do), an onPremisesImmutableId Graph would refuse
// (anchor.ParseSourceAnchor; reference §1.7; "" is read as not set), and a missing takenAt (the
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
			ids := map[string]int{}
			err = array(d, key, &s.RoleAssignments, func(p ref, r *RoleAssignment) error {
				if r.ID == "" {
					return d.errorf(p.String()+".id", ErrInvalid, "missing")
				}
				if first, dup := ids[r.ID]; dup {
					return d.errorf(p.String()+".id", ErrDuplicate, "id %q already used by roleAssignments[%d]", r.ID, first)
				}
				ids[r.ID] = len(ids)
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

// array decodes the array at key one element at a time into *out, checking each with check.
// Elements are gathered in fixed-size chunks and copied into *out once at the end, so that a
// million-element array is not copied again at every doubling of a growing slice.
func array[T any](d *decoder, key string, out *[]T, check func(at ref, v *T) error) error {
	t, err := d.token(key)
	if err != nil {
		return err
	}
	if t == nil {
		return nil // null: no objects
	}
	if t != json.Delim('[') {
		return d.errorf(key, ErrType, "JSON %s where an array is expected", tokenWord(t))
	}
	const chunkLen = 1 << 14
	var chunks [][]T
	cur := make([]T, 0, 64)
	n := 0
	for i := 0; d.dec.More(); i++ {
		at := ref{key, i}
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
		d.raw = d.raw[:0]
		if err := d.dec.Decode(&d.raw); err != nil {
			return d.jsonErr(at.String(), err)
		}
		if b := bytes.TrimSpace(d.raw); len(b) == 0 || b[0] != '{' {
			return d.errorf(at.String(), ErrType, "JSON %s where an object is expected", rawWord(b))
		}
		// Call the element's own decoder directly: json.Unmarshal would scan the bytes once more
		// before calling it.
		if err := any(v).(json.Unmarshaler).UnmarshalJSON(d.raw); err != nil {
			return d.jsonErr(at.String(), err)
		}
		if err := check(at, v); err != nil {
			return err
		}
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
