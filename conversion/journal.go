package conversion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// Status is the outcome of one change in a run. The words are stable.
type Status string

// Outcome words.
const (
	StatusApplied    Status = "applied"     // the write was made
	StatusAlready    Status = "already"     // the target already held After: nothing written
	StatusDone       Status = "done-before" // an earlier run applied it (result only, never journaled)
	StatusStale      Status = "stale"       // Before no longer holds: refused (ErrStalePlan)
	StatusFailed     Status = "failed"      // the write was refused or failed; nothing changed
	StatusSkipped    Status = "skipped"     // an earlier change of the same subject did not succeed
	StatusPending    Status = "pending"     // a wait step ran out of time; a later run continues it
	StatusNotApplied Status = "not-applied" // Resolve found that a started write did not happen
	StatusUnknown    Status = "unknown"     // the write may or may not have happened: journal left dirty
	StatusPlanned    Status = "planned"     // dry run: apply would write this
)

// done reports whether s means the change's After holds because of this plan.
func (s Status) done() bool { return s == StatusApplied || s == StatusAlready }

// EntryKind is "intent" (written and synced before a write) or "outcome" (after it).
type EntryKind string

// Entry kinds.
const (
	KindIntent  EntryKind = "intent"
	KindOutcome EntryKind = "outcome"
)

// Entry is one line of a journal.
type Entry struct {
	Seq  int64     `json:"seq"`
	Time time.Time `json:"time"`
	// Plan is the Hash of the plan the entry belongs to.
	Plan     string    `json:"plan"`
	Kind     EntryKind `json:"kind"`
	ChangeID string    `json:"change"`
	// Change is the full change (so that Undo and Resolve need only the journal).
	Change *Change `json:"detail,omitempty"`
	Status Status  `json:"status,omitempty"`
	Error  string  `json:"error,omitempty"`
}

// Journal records intents and outcomes. Append must not return before the entry is durable.
// Implementations are safe for concurrent use.
type Journal interface {
	// Append assigns e.Seq and stores e durably.
	Append(e Entry) error
	// Entries returns every entry in order.
	Entries() ([]Entry, error)
}

// MemJournal is a Journal in memory (tests, dry runs, benchmarks).
type MemJournal struct {
	mu      sync.Mutex
	entries []Entry
}

// Append implements Journal.
func (j *MemJournal) Append(e Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Seq = int64(len(j.entries) + 1)
	j.entries = append(j.entries, e)
	return nil
}

// Entries implements Journal.
func (j *MemJournal) Entries() ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries), nil
}

// FileJournal is the default Journal: one JSON object per line, each Append written and fsynced
// before it returns.
type FileJournal struct {
	mu      sync.Mutex // guards f, entries and the file's write offset
	f       *os.File
	name    string
	entries []Entry

	syncMu sync.Mutex // one fsync at a time
	synced int64      // every entry up to this Seq is durable

	// broken is the first write or fsync error (guarded by mu). After it nothing is appended: a
	// short write leaves part of a line that a later line would follow, and after a failed fsync
	// Linux may drop the dirty pages and let the next fsync succeed without them, so a later
	// intent would be reported durable while an earlier one is lost.
	broken error
}

// OpenJournal opens (creating it if needed) the journal file at name and reads its entries. A
// last line without its newline is a write torn by a crash: it is dropped and the file truncated
// to the last complete line, which is safe because an intent is complete on disk before its write
// starts, and a lost outcome leaves the intent dirty for Resolve. Any other bad line is an error
// naming file:line.
func OpenJournal(name string) (*FileJournal, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockJournal(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", name, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	entries, good, err := parseJournal(name, data)
	if err != nil {
		f.Close()
		return nil, err
	}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &FileJournal{f: f, name: name, entries: entries, synced: int64(len(entries))}, nil
}

// ReadJournal parses journal data (as written by FileJournal); name is used in errors. It applies
// the torn-last-line rule of OpenJournal.
func ReadJournal(name string, data []byte) ([]Entry, error) {
	e, _, err := parseJournal(name, data)
	return e, err
}

func parseJournal(name string, data []byte) ([]Entry, int, error) {
	var entries []Entry
	off, line := 0, 0
	for off < len(data) {
		line++
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			return entries, off, nil // torn last line
		}
		raw := data[off : off+nl]
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, 0, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if e.Kind != KindIntent && e.Kind != KindOutcome {
			return nil, 0, fmt.Errorf("%s:%d: unknown kind %q", name, line, e.Kind)
		}
		if e.ChangeID == "" {
			return nil, 0, fmt.Errorf("%s:%d: entry has no change id", name, line)
		}
		if e.Kind == KindIntent && e.Change == nil {
			return nil, 0, fmt.Errorf("%s:%d: intent of %s has no detail", name, line, e.ChangeID)
		}
		entries = append(entries, e)
		off += nl + 1
	}
	return entries, off, nil
}

// Append implements Journal: it writes one line and returns once an fsync that covers it has
// completed. Concurrent appends share fsyncs (group commit): while one fsync runs, the lines
// written meanwhile wait for the next one, which covers them all.
func (j *FileJournal) Append(e Entry) error {
	j.mu.Lock()
	if j.f == nil {
		j.mu.Unlock()
		return fmt.Errorf("journal %s is closed", j.name)
	}
	if j.broken != nil {
		err := j.broken
		j.mu.Unlock()
		return fmt.Errorf("journal %s is unusable after an earlier failure (reopen it): %w", j.name, err)
	}
	e.Seq = int64(len(j.entries) + 1)
	b, err := json.Marshal(e)
	if err != nil {
		j.mu.Unlock()
		return err
	}
	b = append(b, '\n')
	if _, err := j.f.Write(b); err != nil {
		j.broken = err
		j.mu.Unlock()
		return fmt.Errorf("journal %s: %w", j.name, err)
	}
	j.entries = append(j.entries, e)
	mine := e.Seq
	f := j.f
	j.mu.Unlock()

	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	upto, broken := int64(len(j.entries)), j.broken
	j.mu.Unlock()
	if j.synced >= mine {
		return nil
	}
	if broken != nil {
		return fmt.Errorf("journal %s: not synced after an earlier failure: %w", j.name, broken)
	}
	if err := f.Sync(); err != nil {
		j.mu.Lock()
		if j.broken == nil {
			j.broken = err
		}
		j.mu.Unlock()
		return fmt.Errorf("journal %s: %w", j.name, err)
	}
	j.synced = upto
	return nil
}

// Entries implements Journal.
func (j *FileJournal) Entries() ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries), nil
}

// Close closes the file.
func (j *FileJournal) Close() error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// journalState is a journal replayed.
type journalState struct {
	plan    string            // hash of the plan the journal belongs to ("" when empty)
	last    map[string]Entry  // change id -> its latest outcome
	open    map[string]Entry  // change id -> intent with no outcome after it
	changes map[string]Change // change id -> detail
	order   []string          // change ids in order of their first done outcome
}

func replay(entries []Entry) journalState {
	st := journalState{last: map[string]Entry{}, open: map[string]Entry{}, changes: map[string]Change{}}
	for _, e := range entries {
		if st.plan == "" {
			st.plan = e.Plan
		}
		if e.Change != nil {
			st.changes[e.ChangeID] = *e.Change
		}
		switch e.Kind {
		case KindIntent:
			st.open[e.ChangeID] = e
		case KindOutcome:
			delete(st.open, e.ChangeID)
			prev, had := st.last[e.ChangeID]
			st.last[e.ChangeID] = e
			if e.Status.done() && !(had && prev.Status.done()) {
				st.order = append(st.order, e.ChangeID)
			}
		}
	}
	return st
}

func (st journalState) dirty() []string {
	ids := make([]string, 0, len(st.open))
	for id := range st.open {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareIDs)
	return ids
}

// undone returns the id of a change the journal records an undo of ("" when none).
func (st journalState) undone() string {
	for _, id := range slices.Sorted(maps.Keys(st.changes)) {
		if strings.HasPrefix(id, "undo-") {
			return id
		}
	}
	return ""
}

// Progress of a journal for people: the status of each change it names.
func (st journalState) status(id string) Status {
	if _, ok := st.open[id]; ok {
		return StatusUnknown
	}
	if e, ok := st.last[id]; ok {
		return e.Status
	}
	return ""
}
