package conversion

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"
)

// wait runs a wait step. A wait writes nothing; its outcome is journaled so that a later run
// knows it is done, or, when this run ran out of time ("pending"), continues it.
func (r *runner) wait(ctx context.Context, c Change, cr ChangeResult) ChangeResult {
	if r.a.DryRun {
		r.w.mu.Lock()
		r.w.overlay[c.Target.Key()+"\x00"+actions[c.Action].attr] = c.After
		r.w.mu.Unlock()
		return r.outcome(c, cr, StatusPlanned, nil)
	}
	switch c.Action {
	case WaitSoftDelete:
		return r.waitSoftDelete(ctx, c, cr)
	case WaitOrgSyncDisabled:
		return r.waitOrgDisabled(ctx, c, cr)
	case WaitHardMatch:
		return r.waitHardMatch(ctx, c, cr)
	}
	return r.outcome(c, cr, StatusFailed, fmt.Errorf("%w: action %q", ErrInvalidPlan, c.Action))
}

func (r *runner) pollInterval() time.Duration { return cmp.Or(r.a.PollInterval, time.Minute) }
func (r *runner) waitTimeout() time.Duration  { return cmp.Or(r.a.WaitTimeout, 2*time.Hour) }

// waitSoftDelete asks for a delta cycle (or tells the operator to run one) and polls the deleted
// items until the user is there, up to WaitTimeout.
func (r *runner) waitSoftDelete(ctx context.Context, c Change, cr ChangeResult) ChangeResult {
	cur, err := r.read(ctx, c)
	if err != nil {
		return r.outcome(c, cr, StatusFailed, err)
	}
	if cur.Equal(c.After) {
		return r.outcome(c, cr, StatusAlready, nil)
	}
	if !cur.Equal(c.Before) {
		return r.outcome(c, cr, StatusStale, &StaleError{Want: c.Before, Got: cur})
	}
	syncer := r.a.Sync
	if syncer == nil {
		syncer = ManualSync{}
	}
	if err := syncer.TriggerDelta(ctx); err != nil {
		var m *ManualSyncError
		if !errors.As(err, &m) {
			return r.outcome(c, cr, StatusFailed, fmt.Errorf("starting a sync cycle: %w", err))
		}
		r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: cr.Target, Status: EventActionNeeded, Message: m.Error(), Err: err})
	}
	return r.pollUntilAfter(ctx, c, cr, r.waitTimeout(), "waiting for the sync cycle to soft-delete the cloud user", func() ChangeResult {
		return r.outcome(c, cr, StatusPending, fmt.Errorf("%w: the cloud user is not soft-deleted yet after %s; run apply again", ErrWaitTimeout, r.waitTimeout()))
	})
}

// pollUntilAfter re-reads c's target every poll interval until it holds c.After (applied), a
// read fails (failed), ctx ends (skipped, and the run halts) or window passes (timeout's result).
func (r *runner) pollUntilAfter(ctx context.Context, c Change, cr ChangeResult, window time.Duration, waiting string, timeout func() ChangeResult) ChangeResult {
	deadline := time.Now().Add(window)
	for {
		r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: cr.Target, Status: EventWaiting, Message: waiting})
		if !time.Now().Before(deadline) {
			return timeout()
		}
		if err := sleep(ctx, min(r.pollInterval(), time.Until(deadline))); err != nil {
			cr.Status, cr.Err = StatusSkipped, err
			r.halt(nil)
			return cr
		}
		cur, err := r.read(ctx, c)
		if err != nil {
			return r.outcome(c, cr, StatusFailed, err)
		}
		if cur.Equal(c.After) {
			return r.outcome(c, cr, StatusApplied, nil)
		}
	}
}

// waitOrgDisabled waits until OrgDisablePending has passed since the disable-org-sync change of
// this plan was journaled, and the organization reports sync off. The start time comes from the
// journal, so the wait carries over between runs.
func (r *runner) waitOrgDisabled(ctx context.Context, c Change, cr ChangeResult) ChangeResult {
	var since time.Time
	r.mu.Lock()
	for id, ch := range r.st.changes {
		if ch.Action == DisableOrgSync && r.st.status(id).done() {
			since = r.doneAt[id]
		}
	}
	for id, t := range r.doneAt {
		if ch, ok := r.st.changes[id]; ok && ch.Action == DisableOrgSync {
			since = t
		}
	}
	r.mu.Unlock()
	if since.IsZero() {
		since = r.a.now()
	}
	until := since.Add(cmp.Or(r.a.OrgDisablePending, 72*time.Hour))
	left := until.Sub(r.a.now())
	if left > r.waitTimeout() {
		return r.outcome(c, cr, StatusPending, fmt.Errorf("%w: directory sync disable is pending until %s; run apply again then",
			ErrWaitTimeout, until.UTC().Format(time.RFC3339)))
	}
	if left > 0 {
		r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: cr.Target, Status: EventWaiting, Message: "waiting for the tenant-wide sync disable to complete"})
		if err := sleep(ctx, left); err != nil {
			cr.Status, cr.Err = StatusSkipped, err
			r.halt(nil)
			return cr
		}
	}
	org, err := r.a.Tenant.Organization(ctx)
	if err != nil {
		return r.outcome(c, cr, StatusFailed, err)
	}
	if org.SyncEnabled != nil && *org.SyncEnabled {
		return r.outcome(c, cr, StatusStale, &StaleError{Want: Bool(false), Got: Bool(true)})
	}
	return r.outcome(c, cr, StatusApplied, nil)
}
