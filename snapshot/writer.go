package snapshot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"
)

// sections are the top-level arrays in the order the Writer writes them.
var sections = [...]string{"users", "groups", "contacts", "deletedUsers", "roleAssignments"}

// Writer writes a snapshot file as a stream: the header (takenAt, organization,
// onPremisesSynchronization and top-level Extra members) first, then the objects of each array
// one at a time, in the order users, groups, contacts, deletedUsers, roleAssignments. Every
// array is present in the output, empty when nothing was written to it. One object per line, so
// that a diff of two snapshots reads well. Close finishes the document.
type Writer struct {
	bw      *bufio.Writer
	section int // index in sections of the open array; -1 before the first
	n       int // objects written to the open array
	err     error
	header  bool
	closed  bool
}

// ErrOrder reports a Writer method called out of order (an object before the header, a user
// after a group, anything after Close).
var ErrOrder = errors.New("snapshot: writer method called out of order")

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 256<<10), section: -1}
}

// WriteHeader writes the members of s that are not arrays: takenAt, organization,
// onPremisesSynchronization and s.Extra. It must be called first, once.
func (w *Writer) WriteHeader(s *Snapshot) error {
	if w.err != nil {
		return w.err
	}
	if w.header || w.closed {
		return ErrOrder
	}
	w.header = true
	w.bw.WriteString("{\n  \"takenAt\": ")
	w.json(s.TakenAt.UTC().Format(time.RFC3339Nano))
	w.bw.WriteString(",\n  \"organization\": ")
	w.json(s.Organization)
	w.bw.WriteString(",\n  \"onPremisesSynchronization\": ")
	w.json(s.OnPremisesSynchronization)
	keys := make([]string, 0, len(s.Extra))
	for k := range s.Extra {
		if !isReserved(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.bw.WriteString(",\n  ")
		w.json(k)
		w.bw.WriteString(": ")
		raw := s.Extra[k]
		if !json.Valid(raw) {
			raw = null
		}
		w.bw.Write(raw)
	}
	return w.err
}

func isReserved(k string) bool {
	switch k {
	case "takenAt", "organization", "onPremisesSynchronization":
		return true
	}
	return slices.Contains(sections[:], k)
}

func (w *Writer) json(v any) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return
	}
	if _, err := w.bw.Write(b); err != nil {
		w.err = err
	}
}

// advance closes the open array and opens the following ones up to section s.
func (w *Writer) advance(s int) {
	for w.section < s {
		if w.section >= 0 {
			if w.n > 0 {
				w.bw.WriteString("\n  ")
			}
			w.bw.WriteByte(']')
		}
		w.section++
		w.n = 0
		w.bw.WriteString(",\n  \"")
		w.bw.WriteString(sections[w.section])
		w.bw.WriteString("\": [")
	}
}

// open starts an element of array section s.
func (w *Writer) open(s int) error {
	if w.err != nil {
		return w.err
	}
	if !w.header || w.closed || s < w.section {
		return ErrOrder
	}
	w.advance(s)
	if w.n > 0 {
		w.bw.WriteByte(',')
	}
	w.bw.WriteString("\n    ")
	w.n++
	return nil
}

func (w *Writer) object(s int, v any) error {
	if err := w.open(s); err != nil {
		return err
	}
	w.json(v)
	return w.err
}

// WriteUser writes one user.
func (w *Writer) WriteUser(u *User) error { return w.object(0, u) }

// WriteGroup writes one group.
func (w *Writer) WriteGroup(g *Group) error { return w.object(1, g) }

// WriteContact writes one org contact.
func (w *Writer) WriteContact(c *Contact) error { return w.object(2, c) }

// WriteDeletedUser writes one deleted user.
func (w *Writer) WriteDeletedUser(u *User) error { return w.object(3, u) }

// WriteRoleAssignment writes one role assignment.
func (w *Writer) WriteRoleAssignment(r *RoleAssignment) error { return w.object(4, r) }

// Close writes the arrays not written yet (empty), ends the document and flushes. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if !w.header || w.closed {
		return ErrOrder
	}
	w.advance(len(sections) - 1)
	if w.n > 0 {
		w.bw.WriteString("\n  ")
	}
	w.bw.WriteByte(']')
	w.closed = true
	if w.err != nil {
		return w.err
	}
	w.bw.WriteString("\n}\n")
	return w.bw.Flush()
}

// Write writes the whole snapshot s to w.
func Write(w io.Writer, s *Snapshot) error {
	sw := NewWriter(w)
	if err := sw.WriteHeader(s); err != nil {
		return err
	}
	for i := range s.Users {
		if err := sw.WriteUser(&s.Users[i]); err != nil {
			return err
		}
	}
	for i := range s.Groups {
		if err := sw.WriteGroup(&s.Groups[i]); err != nil {
			return err
		}
	}
	for i := range s.Contacts {
		if err := sw.WriteContact(&s.Contacts[i]); err != nil {
			return err
		}
	}
	for i := range s.DeletedUsers {
		if err := sw.WriteDeletedUser(&s.DeletedUsers[i]); err != nil {
			return err
		}
	}
	for i := range s.RoleAssignments {
		if err := sw.WriteRoleAssignment(&s.RoleAssignments[i]); err != nil {
			return err
		}
	}
	return sw.Close()
}

// MarshalJSON implements json.Marshaler with Write.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, &s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
