package conversion_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// TestResultAgrees: OK, Err and Summary give one meaning of success for every status, alone and
// next to an applied change.
func TestResultAgrees(t *testing.T) {
	t.Parallel()
	ok := map[conversion.Status]bool{conversion.StatusApplied: true, conversion.StatusAlready: true, conversion.StatusDone: true, conversion.StatusPlanned: true}
	for _, s := range []conversion.Status{conversion.StatusApplied, conversion.StatusAlready, conversion.StatusDone, conversion.StatusStale,
		conversion.StatusFailed, conversion.StatusSkipped, conversion.StatusPending, conversion.StatusNotApplied, conversion.StatusUnknown,
		conversion.StatusPlanned, ""} {
		for _, withApplied := range []bool{false, true} {
			t.Run(fmt.Sprintf("%q/%v", s, withApplied), func(t *testing.T) {
				t.Parallel()
				r := &conversion.Result{Changes: []conversion.ChangeResult{{ID: "c0001", Action: conversion.SetMail, Target: "x", Status: s}}}
				if withApplied {
					r.Changes = append(r.Changes, conversion.ChangeResult{ID: "c0002", Status: conversion.StatusApplied})
				}
				assert.Equal(t, ok[s], s.OK())
				assert.Equal(t, ok[s], r.OK())
				assert.Equal(t, ok[s], r.Err() == nil, "Err agrees with OK: %v", r.Err())
				assert.NotEqual(t, "nothing to do", r.Summary(), "a run with a change has something to report")
				switch {
				case s == conversion.StatusApplied && withApplied:
					assert.Contains(t, r.Summary(), "2 applied")
				case s != "":
					assert.Contains(t, r.Summary(), "1 "+string(s))
				default:
					assert.Contains(t, r.Summary(), "1 with no status")
				}
				if !ok[s] {
					var ce *conversion.ChangeError
					require.ErrorAs(t, r.Err(), &ce)
					assert.Equal(t, "c0001", ce.ChangeID)
				}
			})
		}
	}
	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		r := &conversion.Result{}
		assert.True(t, r.OK())
		assert.NoError(t, r.Err())
		assert.Equal(t, "nothing to do", r.Summary())
	})
}

// gate counts the sends of each write and lets a test decide each one's fate.
type gate struct {
	mu    sync.Mutex
	sends map[string]int
}

func (g *gate) count(op, target string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sends == nil {
		g.sends = map[string]int{}
	}
	g.sends[op+" "+target]++
	return g.sends[op+" "+target]
}

// TestNoBlindResend: a write answered 503 or 504 (or timed out) after it committed is re-read and
// recorded as applied, never sent again; one answered 503 before it committed is re-read, found
// not made, and only then sent again.
func TestNoBlindResend(t *testing.T) {
	t.Parallel()
	unavailable := func(status int) error {
		return fmt.Errorf("HTTP %d: %w", status, conversion.ErrUnavailable)
	}
	for _, tc := range []struct {
		name      string
		after     bool // the fault comes after the write committed
		err       error
		wantSends int
	}{
		{"503 after commit", true, unavailable(503), 1},
		{"504 after commit", true, unavailable(504), 1},
		{"timeout after commit", true, context.DeadlineExceeded, 1},
		{"throttled after commit", true, &conversiontest.ThrottleError{After: time.Second}, 1},
		{"503 before commit", false, unavailable(503), 2},
		{"timeout before commit", false, context.DeadlineExceeded, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				w := newWorld(t, 3, true) // every write kind the SOA plan has: set-cloud-managed, clear-immutable-id
				g := &gate{}
				hook := func(_ context.Context, op, target string) error {
					if n := g.count(op, target); n == 1 {
						return tc.err
					}
					return nil
				}
				if tc.after {
					w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.After(hook)))
				} else {
					w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(hook)))
				}
				j := &conversion.MemJournal{}
				res, err := w.applier(j).Apply(t.Context(), w.plan)
				require.NoError(t, err)
				require.True(t, res.OK(), res.Err())
				for k, n := range g.sends {
					assert.Equal(t, tc.wantSends, n, "sends of %s", k)
				}
				assert.Len(t, g.sends, len(w.plan.Changes))
				assert.Len(t, w.ten.Writes(), len(w.plan.Changes), "each write made once")
			})
		})
	}
	t.Run("directory writes too", func(t *testing.T) {
		t.Parallel()
		ten, on, cl := cloudOnly(2)
		in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0})
		require.Empty(t, p.Refused)
		dir, tn := conversiontest.NewDirectory(on...), conversiontest.NewTenant(ten, cl...)
		g := &gate{}
		dir.SetFuncs(dir.EveryWrite(conversiontest.After(func(_ context.Context, op, target string) error {
			if g.count(op, target) == 1 {
				return unavailable(504)
			}
			return nil
		})))
		res, err := (&conversion.Applier{Directory: dir, Tenant: tn, Journal: &conversion.MemJournal{}}).Apply(t.Context(), p)
		require.NoError(t, err)
		require.True(t, res.OK(), res.Err())
		for k, n := range g.sends {
			assert.Equal(t, 1, n, k)
		}
	})
}

// TestCancelLeavesCleanJournal: a cancel lets the write in flight finish and records its outcome;
// changes not started are skipped; the journal is not dirty, and a second run finishes the plan.
func TestCancelLeavesCleanJournal(t *testing.T) {
	t.Parallel()
	t.Run("during a write", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, 4, false)
		ctx, cancel := context.WithCancel(t.Context())
		var n atomic.Int32
		w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(func(wctx context.Context, op, target string) error {
			if n.Add(1) == 2 {
				cancel() // Ctrl-C while this write is on its way
				if wctx.Err() != nil {
					return errors.New("the write in flight saw the cancel")
				}
			}
			return nil
		})))
		j := &conversion.MemJournal{}
		a := w.applier(j)
		a.Concurrency = 1
		res, err := a.Apply(ctx, w.plan)
		require.ErrorIs(t, err, context.Canceled)
		require.NotNil(t, res)
		assert.Equal(t, 2, res.Count(conversion.StatusApplied), res.Summary())
		assert.Equal(t, 2, res.Count(conversion.StatusSkipped), res.Summary())
		assert.Len(t, w.ten.Writes(), 2)
		resumed, err := w.applier(j).Apply(t.Context(), w.plan)
		require.NoError(t, err, "the journal is clean")
		assert.True(t, resumed.OK(), resumed.Summary())
		assert.Equal(t, 2, resumed.Count(conversion.StatusDone))
	})
	t.Run("while waiting out a 429", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			w := newWorld(t, 1, false)
			ctx, cancel := context.WithCancel(t.Context())
			w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(func(context.Context, string, string) error {
				time.AfterFunc(10*time.Second, cancel)
				return &conversiontest.ThrottleError{After: time.Minute}
			})))
			j := &conversion.MemJournal{}
			res, err := w.applier(j).Apply(ctx, w.plan)
			require.ErrorIs(t, err, context.Canceled)
			require.Len(t, res.Changes, 1)
			assert.Equal(t, conversion.StatusNotApplied, res.Changes[0].Status)
			assert.Empty(t, w.ten.Writes())
			w.ten.SetFuncs(conversiontest.TenantFuncs{})
			resumed, err := w.applier(j).Apply(t.Context(), w.plan)
			require.NoError(t, err, "the journal is clean")
			assert.Equal(t, 1, resumed.Count(conversion.StatusApplied))
		})
	})
}

// TestApplyRechecksRoles: roles and eligibilities are read again through the tenant port when a
// plan is applied and undone; role holders need AllowRoles; what Entra blocks is refused whatever
// AllowRoles says.
func TestApplyRechecksRoles(t *testing.T) {
	t.Parallel()
	ga := matching.RoleDefinition{ID: globalAdmin, DisplayName: "Global Administrator", IsPrivileged: true}
	rd := matching.RoleDefinition{ID: reader, DisplayName: "Directory Readers"}
	hardMatch := func(t *testing.T) (*conversion.Plan, *conversiontest.Directory, *conversiontest.Tenant, []matching.Cloud) {
		ten, on, cl := cloudOnly(2)
		ten.RoleDefinitions = []matching.RoleDefinition{ga, rd}
		in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}}
		p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0})
		require.Empty(t, p.Refused)
		return p, conversiontest.NewDirectory(on...), conversiontest.NewTenant(ten, cl...), cl
	}
	for _, tc := range []struct {
		name       string
		change     func(tn *conversiontest.Tenant, user string)
		allowRoles bool
		want       error // user0's error (nil: applied)
	}{
		{"nothing changed", func(*conversiontest.Tenant, string) {}, false, nil},
		{"role assigned since the plan", func(tn *conversiontest.Tenant, u string) {
			tn.AssignRole(matching.RoleAssignment{ID: "a1", PrincipalID: u, RoleDefinitionID: reader})
		}, false, conversion.ErrRoleHolder},
		{"unprivileged role allowed", func(tn *conversiontest.Tenant, u string) {
			tn.AssignRole(matching.RoleAssignment{ID: "a1", PrincipalID: u, RoleDefinitionID: reader})
		}, true, nil},
		{"privileged eligibility, allowed or not", func(tn *conversiontest.Tenant, u string) {
			tn.MakeEligible(matching.RoleAssignment{ID: "e1", PrincipalID: u, RoleDefinitionID: globalAdmin})
		}, true, conversion.ErrHardMatchBlocked},
		{"onPremisesObjectIdentifier stamped since the plan", func(tn *conversiontest.Tenant, u string) {
			require.NoError(t, tn.SetObjectIdentifier(u, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
		}, true, conversion.ErrHardMatchBlocked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, dir, tn, cl := hardMatch(t)
			tc.change(tn, cl[0].ID)
			a := &conversion.Applier{Directory: dir, Tenant: tn, Journal: &conversion.MemJournal{}, AllowRoles: tc.allowRoles}
			res, err := a.Apply(t.Context(), p)
			require.NoError(t, err)
			for _, c := range res.Changes {
				subject := ""
				for _, pc := range p.Changes {
					if pc.ID == c.ID {
						subject = pc.Subject
					}
				}
				if subject != cl[0].ID || tc.want == nil {
					assert.Equal(t, conversion.StatusApplied, c.Status, "%s: %v", c.ID, c.Err)
					continue
				}
				if c.Status == conversion.StatusSkipped {
					continue // after the refused first change of the user
				}
				assert.Equal(t, conversion.StatusFailed, c.Status)
				assert.ErrorIs(t, c.Err, tc.want)
			}
			u, _ := tn.Get(cl[0].ID)
			assert.Equal(t, tc.want == nil, !u.ImmutableID.IsZero())
		})
	}
	t.Run("undo re-checks the subject of an AD-only change", func(t *testing.T) {
		t.Parallel()
		ten, on, cl := cloudOnly(1)
		cl[0].ImmutableID = anchor.AnchorOf(anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"))
		ten.RoleDefinitions = []matching.RoleDefinition{rd}
		p := conversion.PlanReAnchor(&conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{syncedOU}}},
			&conversion.Options{CreatedAt: t0})
		require.Len(t, p.Changes, 1)
		dir, tn := conversiontest.NewDirectory(on...), conversiontest.NewTenant(ten, cl...)
		j := &conversion.MemJournal{}
		res, err := (&conversion.Applier{Directory: dir, Tenant: tn, Journal: j}).Apply(t.Context(), p)
		require.NoError(t, err)
		require.True(t, res.OK())
		tn.AssignRole(matching.RoleAssignment{ID: "a1", PrincipalID: cl[0].ID, RoleDefinitionID: reader})
		res, err = (&conversion.Applier{Directory: dir, Tenant: tn, Journal: j}).Undo(t.Context())
		require.NoError(t, err)
		require.ErrorIs(t, res.Err(), conversion.ErrRoleHolder)
		var re *conversion.RoleError
		require.ErrorAs(t, res.Err(), &re)
		assert.Equal(t, cl[0].ID, re.UserID)
		res, err = (&conversion.Applier{Directory: dir, Tenant: tn, Journal: j, AllowRoles: true}).Undo(t.Context())
		require.NoError(t, err)
		assert.True(t, res.OK(), res.Err())
	})
}

// TestJournalFiles: a journal is created new or recognised before a byte is written; anything
// else is refused with its name and left as it was.
func TestJournalFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, false)
	var planJSON strings.Builder
	require.NoError(t, w.plan.WriteJSON(&planJSON))
	other := newWorld(t, 2, false).plan
	otherJournal := func(t *testing.T, path string) {
		j, err := conversion.OpenJournal(path)
		require.NoError(t, err)
		c := other.Changes[0]
		require.NoError(t, j.Append(conversion.Entry{Plan: other.Hash(), Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
		require.NoError(t, j.Append(conversion.Entry{Plan: other.Hash(), Kind: conversion.KindOutcome, ChangeID: c.ID, Status: conversion.StatusApplied}))
		require.NoError(t, j.Close())
	}
	for _, tc := range []struct {
		name    string
		content string // "" with other: another plan's journal
		other   bool
		want    error
	}{
		{"note without a final newline", "remember to call Ann", false, conversion.ErrNotJournal},
		{"note with lines", "line one\nline two\n", false, conversion.ErrNotJournal},
		{"the plan itself", planJSON.String(), false, conversion.ErrNotJournal},
		{"another plan's journal", "", true, conversion.ErrJournalMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "j")
			if tc.other {
				otherJournal(t, path)
			} else {
				require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			}
			before, err := os.ReadFile(path)
			require.NoError(t, err)
			_, err = conversion.OpenPlanJournal(path, w.plan)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), path)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing written")
		})
	}
	t.Run("new, then this plan's journal again", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "j")
		j, err := conversion.OpenPlanJournal(path, w.plan)
		require.NoError(t, err)
		res, err := w.applier(j).Apply(t.Context(), w.plan)
		require.NoError(t, err)
		require.True(t, res.OK())
		require.NoError(t, j.Close())
		j, err = conversion.OpenPlanJournal(path, w.plan)
		require.NoError(t, err)
		require.NoError(t, j.Close())
	})
	t.Run("a first entry torn by a crash is dropped", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "j")
		require.NoError(t, os.WriteFile(path, []byte(`{"seq":1,"time":"2026-11-`), 0o600))
		j, err := conversion.OpenPlanJournal(path, w.plan)
		require.NoError(t, err)
		require.NoError(t, j.Close())
		b, _ := os.ReadFile(path)
		assert.Empty(t, b)
	})
	t.Run("an empty file is a new journal", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "j")
		require.NoError(t, os.WriteFile(path, nil, 0o600))
		j, err := conversion.OpenPlanJournal(path, w.plan)
		require.NoError(t, err)
		require.NoError(t, j.Close())
	})
	t.Run("a directory", func(t *testing.T) {
		t.Parallel()
		_, err := conversion.OpenJournal(t.TempDir())
		require.Error(t, err)
	})
	t.Run("dry run reads without creating", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "j")
		mj, err := conversion.DryRunJournal(path)
		require.NoError(t, err)
		e, _ := mj.Entries()
		assert.Empty(t, e)
		assert.NoFileExists(t, path)
		require.NoError(t, os.WriteFile(path, []byte("a note"), 0o600))
		_, err = conversion.DryRunJournal(path)
		assert.ErrorIs(t, err, conversion.ErrNotJournal)
	})
}

// TestJournalTrailingBytes: bytes after a line's JSON are an error naming file and line.
func TestJournalTrailingBytes(t *testing.T) {
	t.Parallel()
	good := `{"seq":1,"time":"2026-11-24T10:00:00Z","plan":"p","kind":"outcome","change":"c0001","status":"applied"}`
	_, err := conversion.ReadJournal("j.jsonl", []byte(good+"\n"+good+` {"x":1}`+"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "j.jsonl:2: trailing data after the entry")
	_, err = conversion.ReadJournal("j.jsonl", []byte(good+"  \n"))
	assert.NoError(t, err, "trailing blanks are not data")
}

// TestReservedChangeIDs: plan change ids may not take the forms undo uses, or odd characters.
func TestReservedChangeIDs(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, false)
	for _, id := range []string{"undo-c0001", "UNDO-c0001", "Undo-x", "", "c 1", "c\n1", strings.Repeat("c", 65)} {
		t.Run(fmt.Sprintf("%q", id), func(t *testing.T) {
			t.Parallel()
			p := *w.plan
			p.Changes = append([]conversion.Change(nil), w.plan.Changes...)
			p.Changes[0].ID = id
			var b strings.Builder
			require.NoError(t, p.WriteJSON(&b))
			_, err := conversion.ReadPlan(strings.NewReader(b.String()))
			require.ErrorIs(t, err, conversion.ErrInvalidPlan)
			assert.Contains(t, err.Error(), "changes[0]")
		})
	}
}

// TestWritePlanFile: plans are written whole into place, a directory gets plan.json inside it,
// an existing plan is replaced, anything else is refused and left alone.
func TestWritePlanFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, false)
	dir := t.TempDir()
	got, err := conversion.WritePlanFile(dir, w.plan)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, conversion.DefaultPlanName), got)
	_, err = conversion.WritePlanFile(got, w.plan)
	require.NoError(t, err, "an existing plan is replaced")
	note := filepath.Join(dir, "note.txt")
	require.NoError(t, os.WriteFile(note, []byte("keep me"), 0o600))
	_, err = conversion.WritePlanFile(note, w.plan)
	require.ErrorIs(t, err, conversion.ErrNotPlanFile)
	assert.Contains(t, err.Error(), note)
	b, _ := os.ReadFile(note)
	assert.Equal(t, "keep me", string(b))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 2, "no temporary file left behind")
	f, err := os.Open(got)
	require.NoError(t, err)
	defer f.Close()
	p, err := conversion.ReadPlan(f)
	require.NoError(t, err)
	assert.Equal(t, w.plan.Hash(), p.Hash())
}

// TestMethods: the registry hybridctl and SDK users share.
func TestMethods(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"soa", "ou-move", "tenant-wide", "clear-onprem"}, conversion.Methods(conversion.ToCloudOnly))
	assert.Equal(t, []string{"hard-match", "re-anchor", "soft-match"}, conversion.Methods(conversion.ToSynced))
	assert.Nil(t, conversion.Methods("sideways"))
	f, err := conversion.Planner(conversion.ToSynced, "re-anchor")
	require.NoError(t, err)
	assert.Equal(t, conversion.MethodReAnchor, f(&conversion.Input{}, &conversion.Options{}).Method)
	_, err = conversion.Planner(conversion.ToCloudOnly, "hard-match")
	var me *conversion.MethodError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"soa", "ou-move", "tenant-wide", "clear-onprem"}, me.Want)
	assert.False(t, conversion.NeedsDirectory(conversion.MethodSOA))
	assert.True(t, conversion.NeedsDirectory(conversion.MethodOUMove))
}

// TestJournalRedactsServerText: an adapter error that echoes a credential reaches neither the
// journal nor the result text.
func TestJournalRedactsServerText(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, false)
	w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(func(context.Context, string, string) error {
		return fmt.Errorf("gateway says: Authorization: Bearer eyJsecret.token.value \x1b[31m: %w", conversion.ErrForbidden)
	})))
	j := &conversion.MemJournal{}
	res, err := w.applier(j).Apply(t.Context(), w.plan)
	require.NoError(t, err)
	require.Equal(t, conversion.StatusFailed, res.Changes[0].Status)
	assert.NotContains(t, res.Changes[0].Error, "eyJsecret")
	assert.NotContains(t, res.Changes[0].Error, "\x1b")
	entries, _ := j.Entries()
	for _, e := range entries {
		assert.NotContains(t, e.Error, "eyJsecret")
		assert.NotContains(t, e.Error, "\x1b")
	}
}
