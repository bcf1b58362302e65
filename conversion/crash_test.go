package conversion_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
)

// TestCrashResume kills the run at the k-th tenant write, either just before the write reaches
// the tenant or just after it (before apply hears back), reopens the journal as a new process
// would, resolves, resumes, and checks that every change was written exactly once.
func TestCrashResume(t *testing.T) {
	t.Parallel()
	const users = 6 // 12 writes: set-cloud-managed + clear-immutable-id each
	for _, after := range []bool{false, true} {
		for _, k := range []int{1, 5, 12} {
			name := fmt.Sprintf("before write %d", k)
			if after {
				name = fmt.Sprintf("after write %d", k)
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, users, true)
				path := filepath.Join(t.TempDir(), "journal.jsonl")

				// Run 1: crashes.
				fj, err := conversion.OpenJournal(path)
				require.NoError(t, err)
				// A killed process writes nothing more: the journal refuses appends from the kill on
				// (a cancelled context alone is not a crash: the run would finish its writes).
				j := &crashJournal{Journal: fj}
				ctx, cancel := context.WithCancel(t.Context())
				kill := func() { j.dead.Store(true); cancel() }
				var mu sync.Mutex
				n := 0
				hit := func(ctx context.Context, op, target string) error {
					mu.Lock()
					defer mu.Unlock()
					n++
					if n == k {
						kill()
						return errors.New("process killed")
					}
					return nil
				}
				if after {
					w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.After(hit)))
				} else {
					w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(hit)))
				}
				a := w.applier(j)
				a.Concurrency = 3
				_, err = a.Apply(ctx, w.plan)
				require.Error(t, err)
				require.NoError(t, fj.Close())
				w.ten.SetFuncs(conversiontest.TenantFuncs{})

				// Run 2: a new process refuses to go on with a dirty journal.
				fj, err = conversion.OpenJournal(path)
				require.NoError(t, err)
				defer fj.Close()
				a = w.applier(fj)
				_, err = a.Apply(t.Context(), w.plan)
				var de *conversion.DirtyError
				require.ErrorAs(t, err, &de)
				require.NotEmpty(t, de.ChangeIDs)

				res, err := a.Resolve(t.Context())
				require.NoError(t, err)
				require.Len(t, res.Changes, len(de.ChangeIDs))
				for _, c := range res.Changes {
					assert.Contains(t, []conversion.Status{conversion.StatusApplied, conversion.StatusNotApplied}, c.Status)
				}

				// Run 3: resumes and finishes.
				res, err = a.Apply(t.Context(), w.plan)
				require.NoError(t, err)
				require.True(t, res.OK(), res.Summary())

				counts := map[string]int{}
				for _, wr := range w.ten.Writes() {
					counts[wr.Op+" "+wr.Target]++
				}
				assert.Len(t, counts, len(w.plan.Changes))
				for wr, c := range counts {
					assert.Equal(t, 1, c, "%s written %d times", wr, c)
				}
				for _, c := range w.cloud {
					got, _ := w.ten.Get(c.ID)
					assert.True(t, got.CloudManaged)
					assert.True(t, got.ImmutableID.IsZero())
				}
			})
		}
	}
}

// crashJournal is a journal whose process has died: from the moment dead is set, nothing more
// reaches the file.
type crashJournal struct {
	conversion.Journal
	dead atomic.Bool
}

func (j *crashJournal) Append(e conversion.Entry) error {
	if j.dead.Load() {
		return errors.New("process killed")
	}
	return j.Journal.Append(e)
}

// TestTornJournalLine: a crash in the middle of writing a journal line leaves a partial last
// line; reopening drops it and the run resumes.
func TestTornJournalLine(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 2, false)
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := conversion.OpenJournal(path)
	require.NoError(t, err)
	c := w.plan.Changes[0]
	require.NoError(t, j.Append(conversion.Entry{Plan: w.plan.Hash(), Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
	require.NoError(t, j.Close())
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"seq":2,"time":"2026-11-24T10:00:00Z","plan":"` + w.plan.Hash() + `","kind":"outc`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	j, err = conversion.OpenJournal(path)
	require.NoError(t, err)
	defer j.Close()
	entries, err := j.Entries()
	require.NoError(t, err)
	assert.Len(t, entries, 1)
	a := w.applier(j)
	_, err = a.Apply(t.Context(), w.plan)
	require.ErrorIs(t, err, conversion.ErrDirty)
	res, err := a.Resolve(t.Context())
	require.NoError(t, err)
	assert.Equal(t, conversion.StatusNotApplied, res.Changes[0].Status)
	res, err = a.Apply(t.Context(), w.plan)
	require.NoError(t, err)
	assert.True(t, res.OK())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = conversion.ReadJournal(path, data)
	assert.NoError(t, err, "the file holds only whole lines again")
}
