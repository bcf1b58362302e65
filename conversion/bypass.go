package conversion

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hybridid/hybridid/matching"
)

// The hardening bypass. Since July 2026 Entra refuses to hard-match a cloud user that still
// carries onPremisesObjectIdentifier onto another AD object; the tenant sync feature
// allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled lifts that block for the whole tenant and
// is meant to be on only while such users are remediated (docs/entra-rules.md §2.4, §6.3).
//
// With Options.AllowHardeningBypass (and Options.Confirm equal to the tenant id) a hard-match
// plan carries the bypass, time-boxed:
//
//	set-hardening-bypass false -> true   (first change)
//	… the users' changes …
//	wait-hard-match                      (a sync cycle matches them, within Applier.BypassWindow)
//	set-hardening-bypass true -> false   (last change)
//
// The revert is made in every exit path: when Apply ends (done, failed, or cancelled: it is
// made after the run with FinishTimeout), by Resolve, and by Undo (which never turns the bypass
// back on). BypassLeftOn tells any later reader of a journal that the bypass is still on. The
// bypass never lifts the block on users assigned or eligible for a privileged role: those stay
// refused, with the role to remove; this package never removes a role itself.

// DefaultBypassWindow is how long wait-hard-match waits with the bypass on when
// Applier.BypassWindow is zero.
const DefaultBypassWindow = time.Hour

// withBypass runs a hard-match planner; with AllowHardeningBypass it plans as if the bypass were
// on and wraps the changes between its enable and its revert.
func withBypass(in *Input, o *Options, plan PlannerFunc) *Plan {
	if !o.AllowHardeningBypass {
		return plan(in, o)
	}
	if o.Confirm == "" || !strings.EqualFold(o.Confirm, in.Tenant.ID) {
		b := newPlan(in, plan(&Input{Tenant: matching.TenantState{ID: in.Tenant.ID}}, &Options{}).Method, o)
		b.refuse("", "", RefuseConfirm, "turning allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on lifts the July 2026 hard-match protection for the whole tenant while the plan runs", "confirm with the tenant id "+in.Tenant.ID)
		return b.p
	}
	if bypassOn(&in.Tenant) {
		p := plan(in, o)
		p.Notes = append(p.Notes, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled is already on for the tenant: the plan does not change it; turn it off once the users are matched")
		return p
	}
	in2 := *in
	in2.Tenant.Features.AllowObjectIdentifierUpdate = true
	in2.Tenant.Known |= matching.KnownBypassFlag
	p := plan(&in2, o)
	if len(p.Changes) == 0 {
		return p
	}
	tt := Target{Side: SideTenant, ID: in.Tenant.ID}
	changes := []Change{{Action: SetHardeningBypass, Target: tt, Before: Bool(false), After: Bool(true),
		Reason: "turn allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on for the time of this plan, so that sync may hard-match users that still carry onPremisesObjectIdentifier (PATCH /directory/onPremisesSynchronization/{id}; OnPremDirectorySynchronization.ReadWrite.All, Global Administrator)"}}
	changes = append(changes, p.Changes...)
	changes = append(changes,
		Change{Action: WaitHardMatch, Target: tt, Before: Text(StatePending), After: Text(StateMatched),
			Reason: "wait, within the bypass window, for a sync cycle to hard-match the users of this plan (with Entra Connect Sync: run Start-ADSyncSyncCycle -PolicyType Delta)"},
		Change{Action: SetHardeningBypass, Target: tt, Before: Bool(true), After: Bool(false),
			Reason: "turn allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled off again: the July 2026 hard-match protection is back (also made when the run fails, by resolve and by undo)"})
	for i := range changes {
		changes[i].ID = ChangeID(i + 1)
	}
	p.Changes = changes
	p.Notes = append(p.Notes, "the plan turns allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on for the whole tenant while it runs, and off as its last change")
	return p
}

// bypassPair returns the indexes of the plan's enable and revert of the bypass (-1 when absent).
func bypassPair(changes []Change) (enable, revert int) {
	enable, revert = -1, -1
	for i, c := range changes {
		if c.Action != SetHardeningBypass {
			continue
		}
		if on, _ := c.After.Bool(); on {
			enable = i
		} else {
			revert = i
		}
	}
	return enable, revert
}

// matchState reads whether every user this run prepares a hard match for is synced now.
func (r *runner) matchState(ctx context.Context) (Value, error) {
	for _, id := range r.matchUsers {
		u, err := r.a.Tenant.User(ctx, id)
		if err != nil {
			return Value{}, err
		}
		if !u.Synced() {
			return Text(StatePending), nil
		}
	}
	return Text(StateMatched), nil
}

// waitHardMatch asks for a delta cycle and polls until the plan's users are synced, for at most
// BypassWindow; then it fails, and the revert that follows turns the bypass off.
func (r *runner) waitHardMatch(ctx context.Context, c Change, cr ChangeResult) ChangeResult {
	cur, err := r.read(ctx, c)
	if err != nil {
		return r.outcome(c, cr, StatusFailed, err)
	}
	if cur.Equal(c.After) {
		return r.outcome(c, cr, StatusAlready, nil)
	}
	if r.g != nil && !r.g.bypass {
		// An earlier run of this plan stopped and turned the bypass off: it is not turned on
		// again behind the reviewer's back.
		return r.outcome(c, cr, StatusFailed, fmt.Errorf("%w: the hardening bypass is off (an earlier run of this plan stopped and turned it off); plan the remaining users again", ErrWaitTimeout))
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
	window := cmp.Or(r.a.BypassWindow, DefaultBypassWindow)
	return r.pollUntilAfter(ctx, c, cr, window, "waiting for a sync cycle to hard-match the users while the bypass is on", func() ChangeResult {
		return r.outcome(c, cr, StatusFailed, fmt.Errorf("%w: not every user was hard-matched within the bypass window of %s; the bypass is turned off now: plan the remaining users again", ErrWaitTimeout, window))
	})
}

// ensureBypassOff makes revert (the change turning the bypass off) when enable was attempted, by
// this run or an earlier one, and revert is not done: the exit path of Apply, Resolve and Undo.
// It runs even when the run was cancelled or halted, within FinishTimeout.
func (r *runner) ensureBypassOff(ctx context.Context, enable, revert Change, thisRun map[string]Status) (ChangeResult, bool) {
	attempted := r.st.status(enable.ID) != "" || (thisRun[enable.ID] != "" && thisRun[enable.ID] != StatusSkipped)
	if !attempted || r.st.status(revert.ID).done() || thisRun[revert.ID].OK() {
		return ChangeResult{}, false
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cmp.Or(r.a.FinishTimeout, time.Minute))
	defer cancel()
	r.wctx = fctx
	r.stop.Store(false)
	return r.one(fctx, revert), true
}

// revertFor returns the change that turns the bypass of enable off (for Resolve and Undo, which
// have no plan: the plan's own revert when the journal has it).
func revertFor(st journalState, enable Change) Change {
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range st.changes {
			if !yield(id) {
				return
			}
		}
	}) {
		if c := st.changes[id]; c.Action == SetHardeningBypass {
			if on, _ := c.After.Bool(); !on {
				return c
			}
		}
	}
	return Change{ID: enable.ID + "-off", Action: SetHardeningBypass, Target: enable.Target, Before: Bool(true), After: Bool(false),
		Reason: "turn allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled off: the plan that turned it on did not finish"}
}

// journalEnable returns the journal's enable of the bypass, if it has one.
func journalEnable(st journalState) (Change, bool) {
	for _, c := range st.changes {
		if on, _ := c.After.Bool(); c.Action == SetHardeningBypass && on && !strings.HasPrefix(c.ID, UndoPrefix) {
			return c, true
		}
	}
	return Change{}, false
}

// BypassState says whether a journal left the hardening bypass on.
type BypassState struct {
	On bool
	// Tenant is the tenant id of the change that turned it on.
	Tenant string
	// Since is when the enable was journaled (its intent).
	Since time.Time
	// ChangeID is the change that turned it on.
	ChangeID string
}

// BypassLeftOn reports whether the journal's entries record allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled
// turned on (or possibly on: an intent with no outcome) and not turned off since. Every command
// that opens a journal should say so loudly when On.
func BypassLeftOn(entries []Entry) BypassState {
	st := replay(entries)
	enable, ok := journalEnable(st)
	if !ok {
		return BypassState{}
	}
	if s := st.status(enable.ID); !s.done() && s != StatusUnknown {
		return BypassState{}
	}
	for id, c := range st.changes {
		if off, _ := c.After.Bool(); c.Action == SetHardeningBypass && !off && st.status(id).done() {
			return BypassState{}
		}
	}
	bs := BypassState{On: true, Tenant: enable.Target.ID, ChangeID: enable.ID}
	for _, e := range entries {
		if e.ChangeID == enable.ID {
			bs.Since = e.Time
			break
		}
	}
	return bs
}

// Warning returns the loud message a command prints when the bypass was left on ("" when off).
func (s BypassState) Warning() string {
	if !s.On {
		return ""
	}
	return fmt.Sprintf("WARNING: this journal turned allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled ON for tenant %s at %s (change %s) and has not turned it off: the July 2026 hard-match protection is lifted for the whole tenant. Finish or resolve the run, or undo it, to turn it off.",
		s.Tenant, s.Since.UTC().Format(time.RFC3339), s.ChangeID)
}
