package conversion

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
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

// allStatuses lists the outcome words in the order Result.Summary uses.
var allStatuses = []Status{StatusPlanned, StatusApplied, StatusAlready, StatusDone, StatusStale, StatusFailed,
	StatusSkipped, StatusPending, StatusNotApplied, StatusUnknown}

// OK reports whether s is a success: applied, already, done-before, or planned (dry run).
// Every other status means the change's After does not (or may not) hold.
func (s Status) OK() bool {
	switch s {
	case StatusApplied, StatusAlready, StatusDone, StatusPlanned:
		return true
	}
	return false
}

// meaning says, for a status that is not OK, what happened; used when a change has no error.
func (s Status) meaning() string {
	switch s {
	case StatusStale:
		return "stale: the target no longer holds the value the plan expects"
	case StatusFailed:
		return "failed"
	case StatusSkipped:
		return "skipped: not attempted (an earlier change of the same user did not succeed, or the run stopped)"
	case StatusPending:
		return "pending: a later run continues it"
	case StatusNotApplied:
		return "not applied: the write did not happen; run apply again to make it"
	case StatusUnknown:
		return "unknown: the write may or may not have happened; resolve the journal"
	case "":
		return "no status"
	}
	return string(s)
}

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

// ErrNotJournal: a file given as a journal holds something else (a note, a plan, a torn first
// line). OpenJournal refuses it before writing or truncating a byte.
var ErrNotJournal = errors.New("not a journal file")

// OpenJournal opens the journal file at name and reads its entries, or creates it when it does not
// exist. A new file is created exclusively (O_EXCL: a file that appears meanwhile is not
// overwritten) and its directory is fsynced so that the new entry survives a crash. An existing file
// must be a journal: empty, or complete journal lines; anything else (a note, the plan itself, a
// first line torn or not JSON) is refused with ErrNotJournal, naming the file, and nothing is
// written to it. A last line without its newline that starts like an entry is a write torn by a
// crash: it is dropped and the file truncated to the last complete line, which is safe because an
// intent is complete on disk before its write starts, and a lost outcome leaves the intent dirty
// for Resolve. Any other bad line is an error naming file:line.
func OpenJournal(name string) (*FileJournal, error) {
	created := true
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		created = false
		f, err = os.OpenFile(name, os.O_RDWR, 0)
	}
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*FileJournal, error) {
		f.Close()
		return nil, err
	}
	if fi, err := f.Stat(); err != nil {
		return fail(err)
	} else if !fi.Mode().IsRegular() {
		return fail(fmt.Errorf("journal %s: %w: not a regular file", name, ErrNotJournal))
	}
	if err := lockJournal(f); err != nil {
		return fail(fmt.Errorf("journal %s: %w", name, err))
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return fail(err)
	}
	entries, good, err := parseJournal(name, data)
	if err != nil {
		return fail(err)
	}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			return fail(err)
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		return fail(err)
	}
	if created {
		if err := syncDir(filepath.Dir(name)); err != nil {
			return fail(fmt.Errorf("journal %s: %w", name, err))
		}
	}
	return &FileJournal{f: f, name: name, entries: entries, synced: int64(len(entries))}, nil
}

// OpenPlanJournal is OpenJournal for applying p: an existing journal must be p's (its first entry
// names p's Hash), else it is refused with ErrJournalMismatch, naming the file, before anything is
// written.
func OpenPlanJournal(name string, p *Plan) (*FileJournal, error) {
	j, err := OpenJournal(name)
	if err != nil {
		return nil, err
	}
	if len(j.entries) > 0 && j.entries[0].Plan != p.Hash() {
		j.Close()
		return nil, fmt.Errorf("journal %s: %w: it records plan %s, this plan is %s", name, ErrJournalMismatch, j.entries[0].Plan, p.Hash())
	}
	return j, nil
}

// DryRunJournal returns a copy in memory of the journal at name (empty when the file does not
// exist), for a dry run: the file is neither created, locked nor written, and is checked as
// OpenJournal checks it.
func DryRunJournal(name string) (*MemJournal, error) {
	mj := &MemJournal{}
	if name == "" {
		return mj, nil
	}
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return mj, nil
	}
	if err != nil {
		return nil, err
	}
	entries, _, err := parseJournal(name, data)
	if err != nil {
		return nil, err
	}
	mj.entries = entries
	return mj, nil
}

// syncDir fsyncs a directory, so that a file just created or renamed in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// ReadJournal parses journal data (as written by FileJournal); name is used in errors. It applies
// the torn-last-line and not-a-journal rules of OpenJournal.
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
			// A torn last line: a crash in the middle of an append. It is dropped when it starts
			// like an entry ({"seq":, as every line FileJournal writes) or follows journal lines;
			// otherwise the file is something else, and it is left alone.
			if !bytes.HasPrefix(data[off:], []byte(`{"seq":`)) && (len(entries) == 0 || data[off] != '{') {
				return nil, 0, fmt.Errorf("%s:%d: %w: the last line has no newline and is not a torn journal entry", name, line, ErrNotJournal)
			}
			return entries, off, nil
		}
		raw := data[off : off+nl]
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		bad := func(format string, args ...any) ([]Entry, int, error) {
			err := fmt.Errorf("%s:%d: "+format, append([]any{name, line}, args...)...)
			if len(entries) == 0 {
				err = fmt.Errorf("%w (%w)", err, ErrNotJournal)
			}
			return nil, 0, err
		}
		if err := dec.Decode(&e); err != nil {
			return bad("%v", err)
		}
		if rest := bytes.TrimSpace(raw[dec.InputOffset():]); len(rest) > 0 {
			return bad("trailing data after the entry: %.20q", rest)
		}
		if e.Kind != KindIntent && e.Kind != KindOutcome {
			return bad("unknown kind %q", e.Kind)
		}
		if e.ChangeID == "" {
			return bad("entry has no change id")
		}
		if e.Kind == KindIntent && e.Change == nil {
			return bad("intent of %s has no detail", e.ChangeID)
		}
		if len(entries) > 0 && e.Plan != entries[0].Plan {
			return bad("entry of plan %s in the journal of plan %s", e.Plan, entries[0].Plan)
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
