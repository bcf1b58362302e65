package conversion

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFileJournalFailureIsSticky: once a line could not be written or synced, the journal takes
// no more lines, even when the file would accept them again (after a failed fsync Linux may
// drop the dirty pages and let the next fsync succeed without them).
func TestFileJournalFailureIsSticky(t *testing.T) {
	t.Parallel()
	c := Change{ID: "c0001", Action: SetCloudManaged, Target: Target{Side: SideCloud, ID: "u"}, Before: Bool(false), After: Bool(true)}
	intent := Entry{Plan: "p", Kind: KindIntent, ChangeID: c.ID, Change: &c}
	for _, tc := range []struct {
		name string
		bad  func(t *testing.T) *os.File
	}{
		// Write fails: the read end of a pipe.
		{"write fails", func(t *testing.T) *os.File {
			r, w, err := os.Pipe()
			require.NoError(t, err)
			t.Cleanup(func() { r.Close(); w.Close() })
			return r
		}},
		// Write succeeds, fsync fails: the write end of a pipe.
		{"fsync fails", func(t *testing.T) *os.File {
			r, w, err := os.Pipe()
			require.NoError(t, err)
			t.Cleanup(func() { r.Close(); w.Close() })
			return w
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "j.jsonl")
			j, err := OpenJournal(path)
			require.NoError(t, err)
			defer j.Close()
			require.NoError(t, j.Append(intent))

			good := j.f
			j.mu.Lock()
			j.f = tc.bad(t)
			j.mu.Unlock()
			require.Error(t, j.Append(intent))

			j.mu.Lock()
			j.f = good
			j.mu.Unlock()
			err = j.Append(intent)
			require.Error(t, err, "a journal that failed once takes no more lines")
			assert.Contains(t, err.Error(), "earlier failure")
		})
	}
}
