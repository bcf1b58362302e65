package conversion_test

import (
	"cmp"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// world is a fake directory and tenant seeded with a synced population, and an SOA plan for it.
type world struct {
	dir    *conversiontest.Directory
	ten    *conversiontest.Tenant
	in     *conversion.Input
	plan   *conversion.Plan
	onprem []matching.OnPrem
	cloud  []matching.Cloud
}

func newWorld(t testing.TB, n int, clear bool) *world {
	t.Helper()
	ten, onprem, cloud := conversiontest.Population(n, t0)
	in := &conversion.Input{Tenant: ten, Cloud: cloud, OnPrem: onprem}
	plan := conversion.PlanSOA(in, &conversion.Options{CreatedAt: t0, ClearImmutableID: clear})
	require.Empty(t, plan.Refused)
	require.NoError(t, plan.Validate())
	dir := conversiontest.NewDirectory(onprem...)
	dir.AddContainer("OU=Cloud,DC=corp,DC=example,DC=test") // where onpremPlan moves users
	return &world{
		dir: dir, ten: conversiontest.NewTenant(ten, cloud...),
		in: in, plan: plan, onprem: onprem, cloud: cloud,
	}
}

func (w *world) applier(j conversion.Journal) *conversion.Applier {
	return &conversion.Applier{Directory: w.dir, Tenant: w.ten, Journal: j, Concurrency: 4}
}

func sortedWrites(ws []conversion.Write) []conversion.Write {
	ws = slices.Clone(ws)
	slices.SortStableFunc(ws, func(a, b conversion.Write) int {
		return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.Op, b.Op), cmp.Compare(a.New.String(), b.New.String()))
	})
	return ws
}

func TestApplySOA(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		n     int
		clear bool
	}{
		{"one user keep id", 1, false},
		{"ten users clear id", 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, tc.n, tc.clear)
			res, err := w.applier(&conversion.MemJournal{}).Apply(t.Context(), w.plan)
			require.NoError(t, err)
			assert.True(t, res.OK(), res.Summary())
			assert.NoError(t, res.Err())
			assert.Equal(t, len(w.plan.Changes), res.Count(conversion.StatusApplied))
			for _, c := range w.cloud {
				got, ok := w.ten.Get(c.ID)
				require.True(t, ok)
				assert.True(t, got.CloudManaged, c.UserPrincipalName)
				assert.Equal(t, tc.clear, got.ImmutableID.IsZero(), c.UserPrincipalName)
			}
			assert.Equal(t, sortedWrites(res.Writes), sortedWrites(w.ten.Writes()))
		})
	}
}

func TestDryRunMatchesApply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		plan func(w *world) *conversion.Plan
	}{
		{"soa with clear", func(w *world) *conversion.Plan { return w.plan }},
		{"directory writes", func(w *world) *conversion.Plan { return onpremPlan(w) }},
		{"same attribute twice", func(w *world) *conversion.Plan {
			p := onpremPlan(w)
			c := p.Changes[0] // move, then move back
			back := c
			back.ID = "c9999"
			back.Before, back.After = c.After, c.Before
			p.Changes = append(p.Changes, back)
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 5, true)
			plan := tc.plan(w)
			jpath := filepath.Join(t.TempDir(), "journal.jsonl")
			j, err := conversion.OpenJournal(jpath)
			require.NoError(t, err)
			defer j.Close()

			a := w.applier(j)
			a.DryRun = true
			dry, err := a.Apply(t.Context(), plan)
			require.NoError(t, err)
			assert.True(t, dry.DryRun)
			assert.Empty(t, w.ten.Writes(), "dry run wrote to the tenant")
			assert.Empty(t, w.dir.Writes(), "dry run wrote to the directory")
			entries, err := j.Entries()
			require.NoError(t, err)
			assert.Empty(t, entries, "dry run wrote to the journal")
			assert.Equal(t, len(plan.Changes), dry.Count(conversion.StatusPlanned))

			a.DryRun = false
			real, err := a.Apply(t.Context(), plan)
			require.NoError(t, err)
			require.True(t, real.OK(), real.Summary())
			made := append(w.ten.Writes(), w.dir.Writes()...)
			assert.Equal(t, sortedWrites(dry.Writes), sortedWrites(real.Writes))
			assert.Equal(t, sortedWrites(dry.Writes), sortedWrites(made))
		})
	}
}

// onpremPlan moves the first user and replaces its proxy addresses and mail, and stamps a
// consistency GUID on the second.
func onpremPlan(w *world) *conversion.Plan {
	u0, u1 := w.onprem[0], w.onprem[1]
	t0 := conversion.Target{Side: conversion.SideOnPrem, GUID: u0.ObjectGUID, DN: u0.DN}
	t1 := conversion.Target{Side: conversion.SideOnPrem, GUID: u1.ObjectGUID, DN: u1.DN}
	return &conversion.Plan{Version: conversion.PlanVersion, TenantID: conversiontest.TenantID, Method: "test", Changes: []conversion.Change{
		{ID: "c0001", Action: conversion.MoveUser, Target: t0, Subject: "a", Before: conversion.Text("OU=Synced,DC=corp,DC=example,DC=test"), After: conversion.Text("OU=Cloud,DC=corp,DC=example,DC=test")},
		{ID: "c0002", Action: conversion.SetProxyAddresses, Target: t0, Subject: "a", Before: conversion.List(u0.ProxyAddresses), After: conversion.List(append(slices.Clone(u0.ProxyAddresses), "smtp:alias@contoso.example"))},
		{ID: "c0003", Action: conversion.SetMail, Target: t0, Subject: "a", Before: conversion.Text(u0.Mail), After: conversion.Text("alias@contoso.example")},
		{ID: "c0004", Action: conversion.SetConsistencyGUID, Target: t1, Subject: "b", Before: conversion.Null(), After: conversion.Text(u1.ObjectGUID.String())},
	}}
}

func TestStalePlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 3, true)
	// Someone converts user 1 by hand after the plan was made.
	require.NoError(t, w.ten.SetCloudManaged(t.Context(), w.cloud[1].ID, false, true))
	require.NoError(t, w.ten.SetImmutableID(t.Context(), w.cloud[1].ID, w.cloud[1].ImmutableID, conversiontestAnchor(t)))
	before := len(w.ten.Writes())

	res, err := w.applier(&conversion.MemJournal{}).Apply(t.Context(), w.plan)
	require.NoError(t, err)
	assert.False(t, res.OK())
	assert.ErrorIs(t, res.Err(), conversion.ErrStalePlan)
	var se *conversion.StaleError
	require.ErrorAs(t, res.Err(), &se)
	byID := map[string]conversion.ChangeResult{}
	for _, c := range res.Changes {
		byID[c.ID] = c
	}
	// user 1's set-cloud-managed already holds (already), its clear-immutable-id is stale.
	assert.Equal(t, conversion.StatusAlready, byID["c0003"].Status)
	assert.Equal(t, conversion.StatusStale, byID["c0004"].Status)
	// the other users are converted: per-subject isolation.
	for _, id := range []string{"c0001", "c0002", "c0005", "c0006"} {
		assert.Equal(t, conversion.StatusApplied, byID[id].Status, id)
	}
	assert.Len(t, w.ten.Writes(), before+4)
}

func conversiontestAnchor(t *testing.T) (a anchorT) {
	t.Helper()
	require.NoError(t, a.UnmarshalText([]byte("aGFuZC1tYWRlLWFuY2hvcg==")))
	return a
}

func TestApplyRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(p *conversion.Plan, j conversion.Journal)
		want error
	}{
		{"other tenant", func(p *conversion.Plan, _ conversion.Journal) { p.TenantID = "11111111-2222-3333-4444-555555555555" }, conversion.ErrWrongTenant},
		{"no tenant", func(p *conversion.Plan, _ conversion.Journal) { p.TenantID = "" }, conversion.ErrInvalidPlan},
		{"bad version", func(p *conversion.Plan, _ conversion.Journal) { p.Version = 9 }, conversion.ErrInvalidPlan},
		{"journal of another plan", func(p *conversion.Plan, j conversion.Journal) {
			require.NoError(t, j.Append(conversion.Entry{Plan: "0123456789abcdef", Kind: conversion.KindOutcome, ChangeID: "c0001", Status: conversion.StatusApplied}))
		}, conversion.ErrJournalMismatch},
		{"dirty journal", func(p *conversion.Plan, j conversion.Journal) {
			c := p.Changes[0]
			require.NoError(t, j.Append(conversion.Entry{Plan: p.Hash(), Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
		}, conversion.ErrDirty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 2, false)
			j := &conversion.MemJournal{}
			tc.edit(w.plan, j)
			_, err := w.applier(j).Apply(t.Context(), w.plan)
			assert.ErrorIs(t, err, tc.want)
			assert.Empty(t, w.ten.Writes())
		})
	}
}

func TestThrottleRetry(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, 2, false)
		var mu sync.Mutex
		throttles := 2
		w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(func(ctx context.Context, op, target string) error {
			mu.Lock()
			defer mu.Unlock()
			if throttles > 0 {
				throttles--
				return &conversiontest.ThrottleError{After: 30 * time.Second}
			}
			return nil
		})))
		var retries int
		a := w.applier(&conversion.MemJournal{})
		a.Concurrency = 1
		a.Progress = func(e conversion.Event) {
			if e.Status == conversion.EventRetrying {
				retries++
			}
		}
		start := time.Now()
		res, err := a.Apply(t.Context(), w.plan)
		require.NoError(t, err)
		assert.True(t, res.OK(), res.Summary())
		assert.Equal(t, 2, retries)
		assert.GreaterOrEqual(t, time.Since(start), 60*time.Second)
		assert.Len(t, w.ten.Writes(), 2)
	})
}

func TestThrottleGivesUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, 1, false)
		w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.Before(func(context.Context, string, string) error {
			return &conversiontest.ThrottleError{}
		})))
		a := w.applier(&conversion.MemJournal{})
		a.MaxRetries = 3
		start := time.Now()
		res, err := a.Apply(t.Context(), w.plan)
		require.NoError(t, err)
		assert.Equal(t, conversion.StatusFailed, res.Changes[0].Status)
		assert.ErrorIs(t, res.Err(), conversion.ErrThrottled)
		assert.Equal(t, 7*time.Second, time.Since(start)) // backoff 1s+2s+4s
	})
}

func TestWriteBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, 50, true) // 100 tenant writes
		a := w.applier(&conversion.MemJournal{})
		a.GraphWritesPerSecond = 10
		a.Concurrency = 8
		start := time.Now()
		res, err := a.Apply(t.Context(), w.plan)
		require.NoError(t, err)
		require.True(t, res.OK())
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 9900*time.Millisecond)
		assert.Less(t, elapsed, 11*time.Second)
	})
}

func TestProgressEvents(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 6, true)
	var events []conversion.Event
	a := w.applier(&conversion.MemJournal{})
	a.Progress = func(e conversion.Event) { events = append(events, e) } // never called concurrently
	res, err := a.Apply(t.Context(), w.plan)
	require.NoError(t, err)
	require.True(t, res.OK())
	var finished int
	for _, e := range events {
		if e.Status == conversion.StatusApplied {
			finished++
		}
		assert.Equal(t, len(w.plan.Changes), e.Total)
	}
	assert.Equal(t, len(w.plan.Changes), finished)
	assert.Equal(t, len(w.plan.Changes), events[len(events)-1].Done)
}

func TestUndo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		clear bool
	}{{"soa", false}, {"soa and clear", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 4, tc.clear)
			j, err := conversion.OpenJournal(filepath.Join(t.TempDir(), "j.jsonl"))
			require.NoError(t, err)
			defer j.Close()
			a := w.applier(j)
			res, err := a.Apply(t.Context(), w.plan)
			require.NoError(t, err)
			require.True(t, res.OK())

			undo, err := a.Undo(t.Context())
			require.NoError(t, err)
			assert.True(t, undo.OK(), undo.Summary())
			assert.Equal(t, len(w.plan.Changes), undo.Count(conversion.StatusApplied))
			for _, c := range w.cloud {
				got, ok := w.ten.Get(c.ID)
				require.True(t, ok)
				assert.False(t, got.CloudManaged)
				assert.Equal(t, c.ImmutableID, got.ImmutableID)
			}
			// undo order is the reverse of apply: a user's immutable id is restored before isCloudManaged.
			if tc.clear {
				pos := map[string]int{}
				for i, c := range undo.Changes {
					pos[c.ID] = i
				}
				for i := 0; i < len(w.plan.Changes); i += 2 {
					managed, clear := w.plan.Changes[i].ID, w.plan.Changes[i+1].ID
					assert.Less(t, pos["undo-"+clear], pos["undo-"+managed], "undo of %s before undo of %s", clear, managed)
				}
			}
			again, err := a.Undo(t.Context())
			require.NoError(t, err)
			assert.Empty(t, again.Changes, "second undo has nothing left")
		})
	}
}

func TestUndoIrreversible(t *testing.T) {
	t.Parallel()
	ten, _, cloud := conversiontest.Population(1, t0)
	cloud[0].Deleted, cloud[0].DeletedAt = true, t0
	ft := conversiontest.NewTenant(ten, cloud...)
	plan := &conversion.Plan{Version: 1, TenantID: ten.ID, Changes: []conversion.Change{{
		ID: "c0001", Action: conversion.RestoreUser, Target: conversion.Target{Side: conversion.SideCloud, ID: cloud[0].ID},
		Before: conversion.Text(conversion.StateDeleted), After: conversion.Text(conversion.StateActive),
	}}}
	a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ft, Journal: &conversion.MemJournal{}, Now: func() time.Time { return t0.Add(24 * time.Hour) }}
	res, err := a.Apply(t.Context(), plan)
	require.NoError(t, err)
	require.True(t, res.OK(), res.Summary())
	undo, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.Len(t, undo.Changes, 1)
	assert.Equal(t, conversion.StatusSkipped, undo.Changes[0].Status)
	assert.ErrorIs(t, undo.Err(), conversion.ErrIrreversible)
	_, ok := ft.Get(cloud[0].ID)
	assert.True(t, ok, "undo never deletes")
}

func TestRestoreWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		deleted time.Duration // before now
		ok      bool
	}{
		{"fresh", 24 * time.Hour, true},
		{"27 days old", 27*24*time.Hour + time.Hour, false},
		{"past 30 days", 31 * 24 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := t0.Add(60 * 24 * time.Hour)
			ten, _, cloud := conversiontest.Population(1, t0)
			cloud[0].Deleted, cloud[0].DeletedAt = true, now.Add(-tc.deleted)
			ft := conversiontest.NewTenant(ten, cloud...)
			plan := &conversion.Plan{Version: 1, TenantID: ten.ID, Changes: []conversion.Change{{
				ID: "c0001", Action: conversion.RestoreUser, Target: conversion.Target{Side: conversion.SideCloud, ID: cloud[0].ID},
				Before: conversion.Text(conversion.StateDeleted), After: conversion.Text(conversion.StateActive),
			}}}
			a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ft, Journal: &conversion.MemJournal{}, Now: func() time.Time { return now }}
			res, err := a.Apply(t.Context(), plan)
			require.NoError(t, err)
			assert.Equal(t, tc.ok, res.OK(), res.Summary())
			if !tc.ok {
				assert.ErrorIs(t, res.Err(), conversion.ErrRestoreWindow)
				assert.Empty(t, ft.Writes())
			}
		})
	}
}

func TestWaitSoftDelete(t *testing.T) {
	t.Parallel()
	plan := func(id string) *conversion.Plan {
		return &conversion.Plan{Version: 1, TenantID: conversiontest.TenantID, Changes: []conversion.Change{{
			ID: "c0001", Action: conversion.WaitSoftDelete, Target: conversion.Target{Side: conversion.SideCloud, ID: id},
			Before: conversion.Text(conversion.StateActive), After: conversion.Text(conversion.StateDeleted),
		}}}
	}
	t.Run("sync deletes after 4.5 minutes", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ten, _, cloud := conversiontest.Population(1, t0)
			ft := conversiontest.NewTenant(ten, cloud...)
			s := &conversiontest.Sync{OnDelta: func(context.Context) error {
				time.AfterFunc(4*time.Minute+30*time.Second, func() { _ = ft.SoftDelete(cloud[0].ID, time.Now()) })
				return nil
			}}
			a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ft, Sync: s, Journal: &conversion.MemJournal{}}
			start := time.Now()
			res, err := a.Apply(t.Context(), plan(cloud[0].ID))
			require.NoError(t, err)
			assert.True(t, res.OK(), res.Summary())
			assert.Equal(t, 1, s.Calls)
			assert.Equal(t, 5*time.Minute, time.Since(start)) // first poll after the delete
		})
	})
	t.Run("manual sync then timeout leaves it pending", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ten, _, cloud := conversiontest.Population(1, t0)
			ft := conversiontest.NewTenant(ten, cloud...)
			j := &conversion.MemJournal{}
			var told string
			a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ft, Journal: j, WaitTimeout: 10 * time.Minute,
				Progress: func(e conversion.Event) {
					if e.Status == conversion.EventActionNeeded {
						told = e.Message
					}
				}}
			res, err := a.Apply(t.Context(), plan(cloud[0].ID))
			require.NoError(t, err)
			assert.Equal(t, conversion.StatusPending, res.Changes[0].Status)
			assert.ErrorIs(t, res.Err(), conversion.ErrWaitTimeout)
			assert.Contains(t, told, "Start-ADSyncSyncCycle -PolicyType Delta")
			// the operator ran the cycle; the next run finds the user deleted.
			require.NoError(t, ft.SoftDelete(cloud[0].ID, time.Now()))
			res, err = a.Apply(t.Context(), plan(cloud[0].ID))
			require.NoError(t, err)
			assert.Equal(t, conversion.StatusAlready, res.Changes[0].Status)
		})
	})
}

func TestOrgDisableWaitResumes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ten, _, cloud := conversiontest.Population(1, t0)
		ft := conversiontest.NewTenant(ten, cloud...)
		tt := conversion.Target{Side: conversion.SideTenant, ID: ten.ID}
		plan := &conversion.Plan{Version: 1, TenantID: ten.ID, Method: conversion.MethodTenant, Changes: []conversion.Change{
			{ID: "c0001", Action: conversion.DisableOrgSync, Target: tt, Before: conversion.Bool(true), After: conversion.Bool(false)},
			{ID: "c0002", Action: conversion.WaitOrgSyncDisabled, Target: tt, Before: conversion.Text(conversion.StatePending), After: conversion.Text(conversion.StateDisabled)},
		}}
		j := &conversion.MemJournal{}
		a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ft, Journal: j, WaitTimeout: time.Hour}
		res, err := a.Apply(t.Context(), plan)
		require.NoError(t, err)
		assert.Equal(t, conversion.StatusApplied, res.Changes[0].Status)
		assert.Equal(t, conversion.StatusPending, res.Changes[1].Status)

		time.Sleep(71*time.Hour + 30*time.Minute) // the next run, within an hour of the end
		start := time.Now()
		res, err = a.Apply(t.Context(), plan)
		require.NoError(t, err)
		assert.Equal(t, conversion.StatusDone, res.Changes[0].Status)
		assert.Equal(t, conversion.StatusApplied, res.Changes[1].Status)
		assert.Equal(t, 30*time.Minute, time.Since(start))
		assert.Len(t, ft.Writes(), 1)
	})
}

func TestIndefiniteErrorVerified(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, false)
	// The write happens but the response is lost: apply re-reads and records it as applied.
	w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.After(func(context.Context, string, string) error {
		return errors.New("connection reset by peer")
	})))
	j := &conversion.MemJournal{}
	res, err := w.applier(j).Apply(t.Context(), w.plan)
	require.NoError(t, err)
	assert.True(t, res.OK(), res.Summary())
	assert.Equal(t, conversion.StatusApplied, res.Changes[0].Status)
}

// lostResponse is an error a port may return after its write was made (a dropped connection, a
// gateway timeout). Like graphx's *OpError it has a RetryAfter method, but it is not
// ErrThrottled: the write may have happened.
type lostResponse struct{}

func (lostResponse) Error() string                     { return "gateway timeout" }
func (lostResponse) RetryAfter() (time.Duration, bool) { return 0, false }

// TestAmbiguousErrorNotResent: a write whose error is not ErrThrottled is re-read, never sent
// again, even when the error carries a RetryAfter method.
func TestAmbiguousErrorNotResent(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 2, true)
	w.ten.SetFuncs(w.ten.EveryWrite(conversiontest.After(func(context.Context, string, string) error {
		return lostResponse{}
	})))
	j := &conversion.MemJournal{}
	res, err := w.applier(j).Apply(t.Context(), w.plan)
	require.NoError(t, err)
	assert.True(t, res.OK(), res.Summary())
	assert.Equal(t, len(w.plan.Changes), res.Count(conversion.StatusApplied), "the journal says applied, so undo reverses them")
	assert.Len(t, w.ten.Writes(), len(w.plan.Changes), "each write sent once")
}

// TestApplyAfterUndoRefused: after an undo the journal would report every change done-before
// although the targets hold Before again; apply refuses it and asks for a new journal.
func TestApplyAfterUndoRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 2, false)
	j := &conversion.MemJournal{}
	a := w.applier(j)
	res, err := a.Apply(t.Context(), w.plan)
	require.NoError(t, err)
	require.True(t, res.OK())
	undo, err := a.Undo(t.Context())
	require.NoError(t, err)
	require.True(t, undo.OK(), undo.Summary())

	res, err = a.Apply(t.Context(), w.plan)
	require.ErrorIs(t, err, conversion.ErrJournalMismatch, "result: %+v", res)
	for _, c := range w.cloud {
		got, _ := w.ten.Get(c.ID)
		assert.False(t, got.CloudManaged, "still undone")
	}

	res, err = w.applier(&conversion.MemJournal{}).Apply(t.Context(), w.plan)
	require.NoError(t, err, "a new journal applies it again")
	assert.Equal(t, len(w.plan.Changes), res.Count(conversion.StatusApplied))
}

// TestUndoResolveCheckTenant: undo and resolve of a tenant-wide change are refused against
// another tenant (which they would otherwise change), and a tenant that cannot be read stops them.
func TestUndoResolveCheckTenant(t *testing.T) {
	t.Parallel()
	on, off := true, false
	tenantA := matching.TenantState{ID: "aaaaaaaa-0000-4000-8000-000000000001", SyncEnabled: &on}
	tenantB := matching.TenantState{ID: "bbbbbbbb-0000-4000-8000-000000000002", SyncEnabled: &off}
	plan := &conversion.Plan{Version: 1, TenantID: tenantA.ID, Changes: []conversion.Change{{
		ID: "c0001", Action: conversion.DisableOrgSync, Target: conversion.Target{Side: conversion.SideTenant, ID: tenantA.ID},
		Before: conversion.Bool(true), After: conversion.Bool(false),
	}}}
	t.Run("undo", func(t *testing.T) {
		t.Parallel()
		j := &conversion.MemJournal{}
		a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: conversiontest.NewTenant(tenantA), Journal: j}
		res, err := a.Apply(t.Context(), plan)
		require.NoError(t, err)
		require.True(t, res.OK(), res.Summary())

		other := conversiontest.NewTenant(tenantB)
		a.Tenant = other
		_, err = a.Undo(t.Context())
		require.ErrorIs(t, err, conversion.ErrWrongTenant)
		assert.Empty(t, other.Writes(), "the other tenant is not touched")
		org, _ := other.Organization(t.Context())
		assert.False(t, *org.SyncEnabled)

		a.Tenant = unreadableOrg{other}
		_, err = a.Undo(t.Context())
		require.ErrorIs(t, err, conversion.ErrForbidden)
	})
	t.Run("resolve", func(t *testing.T) {
		t.Parallel()
		j := &conversion.MemJournal{}
		c := plan.Changes[0]
		require.NoError(t, j.Append(conversion.Entry{Plan: plan.Hash(), Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
		a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: conversiontest.NewTenant(tenantB), Journal: j}
		_, err := a.Resolve(t.Context())
		require.ErrorIs(t, err, conversion.ErrWrongTenant, "tenant B's sync is off: resolve would record the disable as applied")
		e, _ := j.Entries()
		assert.Len(t, e, 1, "nothing recorded")
	})
}

type unreadableOrg struct{ *conversiontest.Tenant }

func (unreadableOrg) Organization(context.Context) (matching.TenantState, error) {
	return matching.TenantState{}, conversion.ErrForbidden
}
