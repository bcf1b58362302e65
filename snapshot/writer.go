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

// sections are the top-level arrays in the order the Writer writes them. The first five are
// always written; the others (added on 2026-11-30) only when something was written to them or
// Include named them, so that "absent" (unknown) survives a round trip.
var sections = [...]string{"users", "groups", "contacts", "deletedUsers", "roleAssignments",
	"roleEligibilities", "roleDefinitions", "groupMembers"}

const alwaysWritten = 5

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
	include uint // bit s: optional section s is written even when empty
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

// advance closes the open array and opens the following ones up to section s (optional ones
// only when included or s itself).
func (w *Writer) advance(s int) {
	for w.section < s {
		w.closeOpen()
		w.section++
		w.n = 0
		if w.section >= alwaysWritten && w.section != s && w.include&(1<<w.section) == 0 {
			w.n = -1 // skipped: not opened
			continue
		}
		w.bw.WriteString(",\n  \"")
		w.bw.WriteString(sections[w.section])
		w.bw.WriteString("\": [")
	}
}

// closeOpen ends the open array, if any.
func (w *Writer) closeOpen() {
	if w.section < 0 || w.n < 0 {
		return
	}
	if w.n > 0 {
		w.bw.WriteString("\n  ")
	}
	w.bw.WriteByte(']')
}

// Include makes the Writer write the optional array named section ("roleEligibilities",
// "roleDefinitions" or "groupMembers") even when no element is written to it: the file then says
// the tenant has none, not that it was not read. It must be called before that array is reached.
func (w *Writer) Include(section string) error {
	for s := alwaysWritten; s < len(sections); s++ {
		if sections[s] == section {
			if w.closed || w.section >= s {
				return ErrOrder
			}
			w.include |= 1 << s
			return nil
		}
	}
	return errors.New("snapshot: Include(" + section + "): not an optional array (want roleEligibilities, roleDefinitions or groupMembers)")
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

// WriteRoleEligibility writes one PIM role eligibility.
func (w *Writer) WriteRoleEligibility(r *RoleEligibility) error { return w.object(5, r) }

// WriteRoleDefinition writes one role definition.
func (w *Writer) WriteRoleDefinition(r *RoleDefinition) error { return w.object(6, r) }

// WriteGroupMember writes one member of a role-assignable group.
func (w *Writer) WriteGroupMember(m *GroupMember) error { return w.object(7, m) }

// Close writes the arrays not written yet (empty), ends the document and flushes. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if !w.header || w.closed {
		return ErrOrder
	}
	last := len(sections) - 1
	for last >= alwaysWritten && last > w.section && w.include&(1<<last) == 0 {
		last--
	}
	if last > w.section {
		w.include |= 1 << last
		w.advance(last)
	}
	w.closeOpen()
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
	if s.RoleEligibilities != nil {
		sw.include |= 1 << 5
	}
	if s.RoleDefinitions != nil {
		sw.include |= 1 << 6
	}
	if s.GroupMembers != nil {
		sw.include |= 1 << 7
	}
	for i := range s.RoleEligibilities {
		if err := sw.WriteRoleEligibility(&s.RoleEligibilities[i]); err != nil {
			return err
		}
	}
	for i := range s.RoleDefinitions {
		if err := sw.WriteRoleDefinition(&s.RoleDefinitions[i]); err != nil {
			return err
		}
	}
	for i := range s.GroupMembers {
		if err := sw.WriteGroupMember(&s.GroupMembers[i]); err != nil {
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
