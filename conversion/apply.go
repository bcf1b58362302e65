package conversion

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/internal/redact"
)

// Event statuses that only progress events use (the others are outcome Status words).
const (
	EventStarted      Status = "started"
	EventRetrying     Status = "retrying"
	EventWaiting      Status = "waiting"
	EventActionNeeded Status = "action-needed"
)

// Event is a progress report. Events are delivered one at a time (never concurrently).
type Event struct {
	ChangeID string
	Action   Action
	Target   string
	Status   Status
	Message  string
	Err      error
	// Done counts changes finished so far in this run, of Total.
	Done, Total int
}

// Write is one port write, as made by Apply or, in a dry run, as Apply would make it. Fakes in
// conversiontest log their writes in the same form so that the two can be compared.
type Write struct {
	Op     string `json:"op"`     // the port method: "SetImmutableID", "Move"…
	Target string `json:"target"` // Target.Key() of the object written
	Old    Value  `json:"old"`
	New    Value  `json:"new"`
}

// ChangeResult is what happened to one change in a run.
type ChangeResult struct {
	ID     string `json:"id"`
	Action Action `json:"action"`
	Target string `json:"target"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	Err    error  `json:"-"`
}

// Result is the summary of a run.
type Result struct {
	Plan    string         `json:"plan"` // plan hash
	DryRun  bool           `json:"dryRun"`
	Changes []ChangeResult `json:"changes"` // in plan order
	Writes  []Write        `json:"writes"`  // in the order made
}

// Count returns how many changes ended with status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, c := range r.Changes {
		if c.Status == s {
			n++
		}
	}
	return n
}

// OK reports whether the run succeeded: every change has a status for which Status.OK is true
// (applied, already, done-before, or planned in a dry run). A run with no change is OK.
// OK, Err and Summary agree: OK is true exactly when Err is nil, and Summary names every status.
func (r *Result) OK() bool {
	for _, c := range r.Changes {
		if !c.Status.OK() {
			return false
		}
	}
	return true
}

// Err joins a *ChangeError for every change whose status is not OK (with the change's own error,
// or one saying what the status means); nil exactly when OK.
func (r *Result) Err() error {
	var errs []error
	for _, c := range r.Changes {
		if c.Status.OK() {
			continue
		}
		err := c.Err
		if err == nil {
			err = errors.New(c.Status.meaning())
		}
		errs = append(errs, &ChangeError{ChangeID: c.ID, Action: c.Action, Target: c.Target, Err: err})
	}
	return errors.Join(errs...)
}

// Summary returns one line: "3 applied, 1 stale, …", every status present in a fixed order;
// "nothing to do" only when the run had no change.
func (r *Result) Summary() string {
	var parts []string
	for _, s := range allStatuses {
		if n := r.Count(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if n := len(r.Changes) - r.countKnown(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d with no status", n))
	}
	if len(parts) == 0 {
		return "nothing to do"
	}
	return strings.Join(parts, ", ")
}

func (r *Result) countKnown() int {
	n := 0
	for _, s := range allStatuses {
		n += r.Count(s)
	}
	return n
}

// Applier carries out plans against the ports, journaling every write. The zero value of each
// option is a sensible default.
type Applier struct {
	// Directory is the on-premises directory; nil for plans that do not change it (Apply
	// refuses a plan that does; an undo or resolve that reaches it fails with ErrNoDirectory).
	Directory Directory
	Tenant    Tenant
	// Sync starts delta cycles for wait steps; nil means ManualSync (tell the operator).
	Sync SyncCycle
	// Journal records the run; required.
	Journal Journal

	// Concurrency bounds the subjects worked on at once (default 4).
	Concurrency int
	// GraphWritesPerSecond spaces tenant writes (0: no limit). Graph allows 3,000 writes per
	// 2.5 minutes per app and tenant, i.e. 20/s (docs/entra-rules.md §6.5).
	GraphWritesPerSecond float64
	// MaxRetries is how often a throttled call is retried (default 5).
	MaxRetries int
	// PollInterval is the wait steps' polling period (default 1 minute).
	PollInterval time.Duration
	// WaitTimeout is how long one run waits in one wait step (default 2 hours); then the step is
	// left pending for the next run.
	WaitTimeout time.Duration
	// OrgDisablePending is how long a tenant-wide sync disable stays pending (default 72 hours,
	// docs/entra-rules.md §4b).
	OrgDisablePending time.Duration
	// RestoreMargin refuses to restore a user with less than this left of its 30-day window
	// (default 72 hours, docs/entra-rules.md §6.2).
	RestoreMargin time.Duration
	// DryRun runs the same path with a recording writer: nothing is written, the journal file is
	// not touched, and the Result lists the writes apply would make.
	DryRun bool
	// AllowRoles lets changes concerning users who hold an Entra role (active or eligible) go
	// through. Off by default: Apply and Undo re-read every concerned user's roles through
	// Tenant.UserRoles and refuse such changes (RoleError, ErrRoleHolder). It never lifts what
	// Entra itself blocks (ErrHardMatchBlocked): a hard match onto a user assigned or eligible for a
	// privileged role, or onto a user that still carries onPremisesObjectIdentifier, and a soft
	// match onto a user holding a role.
	AllowRoles bool
	// FinishTimeout bounds how long a write already sent may take to finish, and its outcome to be
	// verified, after ctx is cancelled (default 1 minute). A cancelled run starts nothing new, lets
	// the writes in flight finish and journals their outcomes, so that the journal stays clean.
	FinishTimeout time.Duration
	// BypassWindow bounds how long wait-hard-match waits with the hardening bypass on (default
	// DefaultBypassWindow); then the bypass is turned off whatever the users' state.
	BypassWindow time.Duration
	// Progress receives events; nil discards them.
	Progress func(Event)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

const restoreRetention = 30 * 24 * time.Hour

func (a *Applier) directory() Directory {
	if a.Directory == nil {
		return NoDirectory{}
	}
	return a.Directory
}

func (a *Applier) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Apply carries out plan: it refuses a plan for another tenant or a dirty journal, skips changes
// the journal records as done, re-reads each target and refuses a change whose Before no longer
// holds, journals intent and outcome around each write, isolates failures per subject, and
// returns the summary. The error is non-nil only when the run could not start or had to stop
// (dirty journal, wrong tenant, journal write failure, cancelled context); per-change failures are
// in Result.Err.
func (a *Applier) Apply(ctx context.Context, plan *Plan) (*Result, error) {
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	if plan.TenantID == "" {
		return nil, fmt.Errorf("%w: plan has no tenantID", ErrInvalidPlan)
	}
	if a.Directory == nil && plan.TouchesDirectory() {
		return nil, fmt.Errorf("%w: the plan changes Active Directory and Applier.Directory is nil", ErrNoDirectory)
	}
	r, err := a.start(plan.Hash())
	if err != nil {
		return nil, err
	}
	if id := r.st.undone(); id != "" {
		// The journal would report the undone changes as done-before although their targets
		// hold Before again.
		return nil, fmt.Errorf("%w: the journal records an undo of this plan (%s); applying it again needs a new journal", ErrJournalMismatch, id)
	}
	r.tenantID = plan.TenantID
	r.w.tenantKey = Target{Side: SideTenant, ID: plan.TenantID}.Key()
	org, err := a.Tenant.Organization(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tenant: %w", err)
	}
	if !strings.EqualFold(org.ID, plan.TenantID) {
		return nil, fmt.Errorf("%w: plan %s, tenant %s", ErrWrongTenant, plan.TenantID, org.ID)
	}
	r.g = &guard{allowRoles: a.AllowRoles, method: plan.Method, bypass: org.Features.AllowObjectIdentifierUpdate}
	r.g.prepare(plan.Changes, r.subjectOf)
	for _, c := range plan.Changes {
		if c.Subject != "" && preparesHardMatch(c) && !slices.Contains(r.matchUsers, c.Subject) {
			r.matchUsers = append(r.matchUsers, c.Subject)
		}
	}
	res, err := r.run(ctx, plan.Changes)
	if en, rv := bypassPair(plan.Changes); en >= 0 && rv >= 0 && res != nil {
		this := map[string]Status{}
		for _, c := range res.Changes {
			this[c.ID] = c.Status
		}
		if cr, ok := r.ensureBypassOff(ctx, plan.Changes[en], plan.Changes[rv], this); ok {
			res.Changes[rv] = cr
			res.Writes = r.w.writes
		}
	}
	return res, err
}

// Undo reverses, newest first, every change the journal records as applied and not yet undone.
// Each reversal is itself a change ("undo-c0007") that is precondition-checked and journaled, so
// an interrupted undo resumes like an apply. Irreversible changes (restore-user, create-user) are
// reported as skipped with ErrIrreversible. Undoing set-cloud-managed (the SOA rollback of
// docs/entra-rules.md §4c) hands the user back to AD only once blockCloudObjectTakeoverThroughHardMatch
// is off and a sync cycle has run; Undo reports an action-needed event when the flag is on.
// After an undo the journal is finished: applying the plan again needs a new journal (Apply
// refuses it with ErrJournalMismatch). Undo refuses (ErrWrongTenant) a journal holding a
// tenant-wide change of another tenant than the one reached.
func (a *Applier) Undo(ctx context.Context) (*Result, error) {
	if a.Journal == nil {
		return nil, errors.New("conversion: Applier.Journal is nil")
	}
	entries, err := a.Journal.Entries()
	if err != nil {
		return nil, err
	}
	st := replay(entries)
	r, err := a.start(st.plan)
	if err != nil {
		return nil, err
	}
	org, err := a.Tenant.Organization(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tenant: %w", err)
	}
	// The journal does not name the tenant of its cloud changes (their object ids are not found
	// elsewhere), but a tenant change would be made on whatever tenant the port reaches.
	if err := checkTenant(st, slices.Collect(maps.Keys(st.last)), org.ID); err != nil {
		return nil, err
	}
	r.tenantID = org.ID
	r.w.tenantKey = Target{Side: SideTenant, ID: org.ID}.Key()
	r.g = &guard{allowRoles: a.AllowRoles, bypass: org.Features.AllowObjectIdentifierUpdate}
	r.subjects = map[string]string{}
	var inv []Change
	var refused []ChangeResult
	for i := len(st.order) - 1; i >= 0; i-- {
		id := st.order[i]
		c := st.changes[id]
		if strings.HasPrefix(id, "undo-") || st.last[id].Status != StatusApplied || !actions[c.Action].write || st.status("undo-"+id).done() {
			continue
		}
		if c.Action == SetHardeningBypass {
			continue // undo never turns the bypass on; it is turned off below if still on
		}
		u, err := c.Inverse()
		if err != nil {
			refused = append(refused, ChangeResult{ID: "undo-" + id, Action: c.Action, Target: c.Target.String(), Status: StatusSkipped, Err: err, Error: err.Error()})
			continue
		}
		r.subjects[u.ID] = c.Subject
		u.Subject = ""
		inv = append(inv, u)
	}
	if org.Features.BlockCloudObjectTakeoverHardMatch {
		for _, u := range inv {
			if b, _ := u.After.Bool(); u.Action == SetCloudManaged && !b {
				r.emit(Event{ChangeID: u.ID, Action: u.Action, Target: u.Target.String(), Status: EventActionNeeded,
					Message: "blockCloudObjectTakeoverThroughHardMatchEnabled is on: AD will not take the users back until it is turned off and a sync cycle runs"})
				break
			}
		}
	}
	r.g.prepare(inv, r.subjectOf)
	res, err := r.run(ctx, inv)
	if res != nil {
		res.Changes = append(res.Changes, refused...)
		if en, ok := journalEnable(st); ok {
			if cr, ok := r.ensureBypassOff(ctx, en, revertFor(st, en), nil); ok {
				res.Changes = append(res.Changes, cr)
				res.Writes = r.w.writes
			}
		}
	}
	return res, err
}

// Resolve settles every dirty entry of the journal: it re-reads the target and records
// "applied" when it holds the change's After, "not-applied" when it still holds Before. A target
// holding neither is left dirty and reported: a person must look at it. Like Undo it refuses a
// dirty tenant-wide change of another tenant than the one reached (ErrWrongTenant).
func (a *Applier) Resolve(ctx context.Context) (*Result, error) {
	if a.Journal == nil || a.Tenant == nil {
		return nil, errors.New("conversion: Applier.Journal and Tenant are required")
	}
	entries, err := a.Journal.Entries()
	if err != nil {
		return nil, err
	}
	st := replay(entries)
	r := &runner{a: a, plan: st.plan, st: st, j: a.Journal, dir: a.directory(), w: &recorder{dir: a.directory(), ten: a.Tenant}}
	org, err := a.Tenant.Organization(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tenant: %w", err)
	}
	if err := checkTenant(st, st.dirty(), org.ID); err != nil {
		return nil, err
	}
	r.tenantID = org.ID
	res := &Result{Plan: st.plan}
	for _, id := range st.dirty() {
		c := st.changes[id]
		cr := ChangeResult{ID: id, Action: c.Action, Target: c.Target.String()}
		cur, err := r.read(ctx, c)
		switch {
		case err != nil:
			cr.Status, cr.Err = StatusUnknown, err
		case cur.Equal(c.After):
			cr.Status = StatusApplied
		case cur.Equal(c.Before):
			cr.Status = StatusNotApplied
		default:
			cr.Status, cr.Err = StatusUnknown, fmt.Errorf("target holds %s, neither before %s nor after %s", cur, c.Before, c.After)
		}
		if cr.Status != StatusUnknown {
			if err := r.journal(KindOutcome, c, cr.Status, "resolved by re-reading the target"); err != nil {
				return res, err
			}
		} else {
			cr.Error = redact.Text(cr.Err.Error())
		}
		res.Changes = append(res.Changes, cr)
	}
	// The exit path of a run that turned the hardening bypass on: once nothing is dirty, turn it
	// off (an enable whose outcome is still unknown counts as on).
	{
		entries, err := a.Journal.Entries()
		if err != nil {
			return res, err
		}
		st2 := replay(entries)
		if en, ok := journalEnable(st2); ok && len(st2.dirty()) == 0 {
			r.st = st2
			r.w.tenantKey = Target{Side: SideTenant, ID: org.ID}.Key()
			if cr, ok := r.ensureBypassOff(ctx, en, revertFor(st2, en), nil); ok {
				res.Changes = append(res.Changes, cr)
			}
		}
	}
	return res, nil
}

// checkTenant refuses when one of the journaled changes ids targets a tenant other than id.
func checkTenant(st journalState, ids []string, id string) error {
	slices.SortFunc(ids, compareIDs)
	for _, cid := range ids {
		if c, ok := st.changes[cid]; ok && c.Target.Side == SideTenant && !strings.EqualFold(c.Target.ID, id) {
			return fmt.Errorf("%w: journal change %s is for tenant %s, the tenant reached is %s", ErrWrongTenant, cid, c.Target.ID, id)
		}
	}
	return nil
}

func (a *Applier) start(planHash string) (*runner, error) {
	if a.Journal == nil {
		return nil, errors.New("conversion: Applier.Journal is nil")
	}
	if a.Tenant == nil {
		return nil, errors.New("conversion: Applier.Tenant is required")
	}
	entries, err := a.Journal.Entries()
	if err != nil {
		return nil, err
	}
	st := replay(entries)
	if st.plan != "" && st.plan != planHash {
		return nil, fmt.Errorf("%w: journal has plan %s, this plan is %s", ErrJournalMismatch, st.plan, planHash)
	}
	if d := st.dirty(); len(d) > 0 {
		return nil, &DirtyError{ChangeIDs: d}
	}
	r := &runner{a: a, plan: planHash, st: st, doneAt: map[string]time.Time{}}
	for id, e := range st.last {
		r.doneAt[id] = e.Time
	}
	j := a.Journal
	if a.DryRun {
		mj := &MemJournal{}
		mj.entries = entries
		j = mj
	}
	r.j = j
	r.dir = a.directory()
	r.w = &recorder{dir: r.dir, ten: a.Tenant, dry: a.DryRun, overlay: map[string]Value{}}
	if rate := a.GraphWritesPerSecond; rate > 0 {
		r.limit = &limiter{interval: time.Duration(float64(time.Second) / rate)}
	}
	return r, nil
}

// runner is one run of Apply or Undo.
type runner struct {
	a        *Applier
	plan     string
	tenantID string
	st       journalState
	j        Journal
	w        *recorder
	wctx     context.Context // lets writes in flight finish after a cancel (see finishing)
	dir      Directory
	limit    *limiter
	g        *guard
	// subjects holds the subject of the original change of each undo change (undo runs its
	// changes one at a time, without subjects), for the role re-check.
	subjects map[string]string
	// matchUsers are the cloud users whose hard match the plan prepares (for wait-hard-match).
	matchUsers []string

	stop atomic.Bool // set when the run must not start more changes

	mu     sync.Mutex // guards the fields below and serialises Progress
	done   int
	total  int
	doneAt map[string]time.Time
	fatal  error
}

func (r *runner) emit(e Event) {
	if r.a.Progress == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Done, e.Total = r.done, r.total
	r.a.Progress(e)
}

func (r *runner) journal(kind EntryKind, c Change, s Status, msg string) error {
	// Error texts may carry server-supplied text: credentials and control characters never
	// reach the journal.
	e := Entry{Time: r.a.now().UTC(), Plan: r.plan, Kind: kind, ChangeID: c.ID, Change: &c, Status: s, Error: redact.Text(msg)}
	if kind == KindOutcome {
		e.Change = nil
		if _, ok := r.st.changes[c.ID]; !ok || s == StatusAlready || s == StatusStale {
			e.Change = &c
		}
	}
	if err := r.j.Append(e); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if kind == KindOutcome {
		r.mu.Lock()
		if r.doneAt != nil {
			r.doneAt[c.ID] = e.Time
		}
		r.mu.Unlock()
	}
	return nil
}

func (r *runner) run(ctx context.Context, changes []Change) (*Result, error) {
	wctx, done := r.finishing(ctx)
	defer done()
	r.wctx = wctx
	res := &Result{Plan: r.plan, DryRun: r.a.DryRun, Changes: make([]ChangeResult, len(changes))}
	r.total = len(changes)
	for i := 0; i < len(changes); {
		if changes[i].Subject == "" {
			res.Changes[i] = r.one(ctx, changes[i])
			if c := changes[i]; c.Action == SetHardeningBypass && r.g != nil {
				switch res.Changes[i].Status {
				case StatusApplied, StatusAlready, StatusPlanned:
					r.g.bypass, _ = c.After.Bool()
				}
			}
			i++
			continue
		}
		j := i
		for j < len(changes) && changes[j].Subject != "" {
			j++
		}
		r.parallel(ctx, changes[i:j], res.Changes[i:j])
		i = j
	}
	res.Writes = r.w.writes
	r.mu.Lock()
	fatal := r.fatal
	r.mu.Unlock()
	if fatal == nil && ctx.Err() != nil {
		fatal = ctx.Err()
	}
	return res, fatal
}

// parallel runs a segment of subject changes: subjects concurrently (bounded), each subject's
// changes in order, stopping a subject at its first change that does not succeed.
func (r *runner) parallel(ctx context.Context, changes []Change, out []ChangeResult) {
	var subjects []string
	idx := map[string][]int{}
	for i, c := range changes {
		if _, ok := idx[c.Subject]; !ok {
			subjects = append(subjects, c.Subject)
		}
		idx[c.Subject] = append(idx[c.Subject], i)
	}
	n := cmp.Or(r.a.Concurrency, 4)
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(n, len(subjects)) {
		wg.Go(func() {
			for s := range work {
				failed := false
				for _, i := range idx[s] {
					c := changes[i]
					if failed || r.stop.Load() {
						out[i] = ChangeResult{ID: c.ID, Action: c.Action, Target: c.Target.String(), Status: StatusSkipped}
						continue
					}
					out[i] = r.one(ctx, c)
					switch out[i].Status {
					case StatusApplied, StatusAlready, StatusDone, StatusPlanned:
					default:
						failed = true
					}
				}
			}
		})
	}
	for _, s := range subjects {
		work <- s
	}
	close(work)
	wg.Wait()
}

// one runs a single change and journals its outcome.
func (r *runner) one(ctx context.Context, c Change) (cr ChangeResult) {
	cr = ChangeResult{ID: c.ID, Action: c.Action, Target: c.Target.String()}
	defer func() {
		if cr.Err != nil {
			cr.Error = redact.Text(cr.Err.Error())
		}
		r.mu.Lock()
		r.done++
		r.mu.Unlock()
		r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: cr.Target, Status: cr.Status, Err: cr.Err})
	}()
	if r.stop.Load() {
		cr.Status = StatusSkipped
		return cr
	}
	if s := r.st.status(c.ID); s.done() {
		cr.Status = StatusDone
		return cr
	}
	if err := ctx.Err(); err != nil {
		cr.Status, cr.Err = StatusSkipped, err
		r.halt(nil)
		return cr
	}
	r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: cr.Target, Status: EventStarted})
	spec := actions[c.Action]
	if !spec.write {
		return r.wait(ctx, c, cr)
	}
	if r.g != nil {
		if err := r.check(ctx, c, r.subjectOf(c)); err != nil {
			if ctx.Err() != nil {
				return r.cancelled(cr, ctx.Err())
			}
			return r.outcome(c, cr, StatusFailed, err)
		}
	}
	cur, err := r.read(ctx, c)
	if err != nil {
		if ctx.Err() != nil {
			return r.cancelled(cr, ctx.Err())
		}
		return r.outcome(c, cr, StatusFailed, fmt.Errorf("reading %s: %w", c.Target.Key(), err))
	}
	if cur.Equal(c.After) {
		return r.outcome(c, cr, StatusAlready, nil)
	}
	if c.Action == ClearOnPremAttributes && !cur.Equal(c.Before) {
		// A clear needs no particular old values: earlier steps of the same conversion (a
		// tenant-wide disable) clear some of them, and the plan's input may not have had them
		// all. The journal records what is actually replaced, and undo writes that back.
		c.Before = cur
	}
	if !cur.Equal(c.Before) {
		return r.outcome(c, cr, StatusStale, &StaleError{Want: c.Before, Got: cur})
	}
	if c.Action == RestoreUser {
		if err := r.restoreWindow(ctx, c); err != nil {
			if ctx.Err() != nil {
				return r.cancelled(cr, ctx.Err())
			}
			return r.outcome(c, cr, StatusFailed, err)
		}
	}
	if r.a.DryRun {
		if err := r.write(ctx, c); err != nil {
			return r.outcome(c, cr, StatusFailed, err)
		}
		return r.outcome(c, cr, StatusPlanned, nil)
	}
	if err := ctx.Err(); err != nil {
		return r.cancelled(cr, err)
	}
	if err := r.journal(KindIntent, c, "", ""); err != nil {
		r.halt(err)
		cr.Status, cr.Err = StatusFailed, err
		return cr
	}
	// From here on the intent is durable: the change must end with an outcome, even when ctx is
	// cancelled, or the journal is left dirty. wctx lets the write in flight and its verification
	// finish (for at most FinishTimeout after a cancel).
	s, err := r.writeVerified(ctx, r.wctx, c)
	if s == StatusUnknown {
		r.halt(nil)
		cr.Status, cr.Err = StatusUnknown, fmt.Errorf("%w (journal left dirty: run Resolve)", err)
		return cr
	}
	if ctx.Err() != nil {
		r.halt(nil)
	}
	return r.outcome(c, cr, s, err)
}

// subjectOf returns the subject of c: its own, or for an undo change that of the change it undoes.
func (r *runner) subjectOf(c Change) string {
	if c.Subject != "" {
		return c.Subject
	}
	return r.subjects[c.ID]
}

// cancelled ends a change that the cancellation of the run stopped before anything was journaled
// for it: it is skipped, and the run starts nothing more.
func (r *runner) cancelled(cr ChangeResult, err error) ChangeResult {
	r.halt(nil)
	cr.Status, cr.Err = StatusSkipped, fmt.Errorf("not started: %w", err)
	return cr
}

// finishing returns a context that is cancelled FinishTimeout after ctx is, for the writes in
// flight when ctx is cancelled, and a function that releases it.
func (r *runner) finishing(ctx context.Context) (context.Context, func()) {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	grace := cmp.Or(r.a.FinishTimeout, time.Minute)
	var t *time.Timer
	var mu sync.Mutex
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		t = time.AfterFunc(grace, cancel)
		mu.Unlock()
	})
	return wctx, func() {
		stop()
		mu.Lock()
		if t != nil {
			t.Stop()
		}
		mu.Unlock()
		cancel()
	}
}

// transient reports whether err is a failure worth another attempt once the target has been
// re-read and still holds Before: throttling, a service failure (5xx), a timeout, or any error
// with which the server named a wait (RetryAfterError reporting true).
func transient(err error) bool {
	if errors.Is(err, ErrThrottled) || errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return true
	}
	_, named := retryAfter(err)
	return named
}

// writeVerified makes the write of c and returns its status. A write that fails with anything but
// a definite refusal (conflict, not found, forbidden, read-only) may have been made, even when the
// server said 429 or 503 (a gateway may answer after the write committed), so the target is
// re-read before anything else: After means applied; Before means the write did not happen, and
// a transient failure is then retried (after the wait the server asked for, up to MaxRetries);
// anything else, or a failed re-read, is unknown. A write is never sent again without that
// re-read. Writes and re-reads use wctx, so a cancelled run still learns their outcome; ctx
// cancels only the waits between attempts.
func (r *runner) writeVerified(ctx, wctx context.Context, c Change) (Status, error) {
	max := r.a.MaxRetries
	if max == 0 {
		max = 5
	}
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		if actions[c.Action].graph {
			if err := r.limit.wait(ctx); err != nil {
				// Nothing was sent in this attempt, and any earlier attempt was verified as not made.
				return StatusNotApplied, fmt.Errorf("interrupted before the write was sent: %w", err)
			}
		}
		err := r.write(wctx, c)
		switch {
		case err == nil:
			return StatusApplied, nil
		case errors.Is(err, ErrConflict):
			return StatusStale, fmt.Errorf("%w: %w", ErrStalePlan, err)
		case errors.Is(err, ErrNotFound), errors.Is(err, ErrForbidden), errors.Is(err, ErrReadOnly):
			return StatusFailed, err
		}
		again := transient(err) && attempt < max
		if again && ctx.Err() == nil {
			d, _ := retryAfter(err)
			if d <= 0 {
				d = backoff
				backoff *= 2
			}
			r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: c.Target.String(), Status: EventRetrying,
				Message: "the write failed (" + err.Error() + "); re-reading the target after " + d.String() + " before any retry", Err: err})
			_ = sleep(ctx, d) // a cancel ends the wait; the re-read below still settles the outcome
		}
		v, rerr := r.read(wctx, c)
		switch {
		case rerr != nil:
			return StatusUnknown, fmt.Errorf("%w; re-reading the target failed: %v", err, rerr)
		case v.Equal(c.After):
			return StatusApplied, nil
		case !v.Equal(c.Before):
			return StatusUnknown, fmt.Errorf("%w; the target now holds %s, neither before %s nor after %s", err, v, c.Before, c.After)
		case ctx.Err() != nil:
			return StatusNotApplied, fmt.Errorf("interrupted: the write did not happen (%v): %w", err, ctx.Err())
		case !again:
			return StatusFailed, err
		}
	}
}

func (r *runner) halt(err error) {
	r.stop.Store(true)
	if err != nil {
		r.mu.Lock()
		if r.fatal == nil {
			r.fatal = err
		}
		r.mu.Unlock()
	}
}

func (r *runner) outcome(c Change, cr ChangeResult, s Status, err error) ChangeResult {
	cr.Status, cr.Err = s, err
	if r.a.DryRun && s == StatusPlanned {
		return cr
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if jerr := r.journal(KindOutcome, c, s, msg); jerr != nil {
		r.halt(jerr)
		if cr.Err == nil {
			cr.Err = jerr
		}
	}
	return cr
}

// retry calls the read f until it succeeds, fails without throttling, or MaxRetries is used up,
// waiting the RetryAfter the error names (or an exponential backoff from 1 s) through ctx. Writes
// are never retried here: see writeVerified.
func (r *runner) retry(ctx context.Context, c Change, f func() error) error {
	max := r.a.MaxRetries
	if max == 0 {
		max = 5
	}
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		err := f()
		// Only ErrThrottled means "refused for load, not done": an error that merely carries a
		// RetryAfter method (graphx's and ldapx's *OpError have one on every error) may be a
		// write that happened, and must be re-read, not re-sent.
		if err == nil || !errors.Is(err, ErrThrottled) || attempt >= max {
			return err
		}
		d, _ := retryAfter(err)
		if d <= 0 {
			d = backoff
			backoff *= 2
		}
		r.emit(Event{ChangeID: c.ID, Action: c.Action, Target: c.Target.String(), Status: EventRetrying, Message: "throttled; retrying after " + d.String(), Err: err})
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// read returns the current value of the attribute c changes.
func (r *runner) read(ctx context.Context, c Change) (Value, error) {
	var v Value
	err := r.retry(ctx, c, func() error {
		var err error
		v, err = r.readOnce(ctx, c)
		return err
	})
	if err != nil {
		return Value{}, err
	}
	if o, ok := r.w.overlaid(c.Target.Key(), actions[c.Action].attr); ok {
		return o, nil
	}
	return v, nil
}

func (r *runner) readOnce(ctx context.Context, c Change) (Value, error) {
	t := c.Target
	switch c.Action {
	case SetImmutableID, ClearImmutableID:
		u, err := r.a.Tenant.User(ctx, t.ID)
		if err != nil {
			return Value{}, err
		}
		return TextOrNull(u.ImmutableID.String()), nil
	case SetCloudManaged:
		if t.Kind != "" {
			b, err := r.a.Tenant.CloudManaged(ctx, t.Kind, t.ID)
			if err != nil {
				return Value{}, err
			}
			return Bool(b), nil
		}
		u, err := r.a.Tenant.User(ctx, t.ID)
		if err != nil {
			return Value{}, err
		}
		return Bool(u.CloudManaged), nil
	case RestoreUser, WaitSoftDelete:
		_, err := r.a.Tenant.User(ctx, t.ID)
		if err == nil {
			return Text(StateActive), nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Value{}, err
		}
		if _, err := r.a.Tenant.DeletedUser(ctx, t.ID); err != nil {
			return Value{}, err
		}
		return Text(StateDeleted), nil
	case DisableOrgSync, EnableOrgSync:
		org, err := r.a.Tenant.Organization(ctx)
		if err != nil {
			return Value{}, err
		}
		return Bool(org.SyncEnabled != nil && *org.SyncEnabled), nil
	case SetHardeningBypass:
		org, err := r.a.Tenant.Organization(ctx)
		if err != nil {
			return Value{}, err
		}
		return Bool(org.Features.AllowObjectIdentifierUpdate), nil
	case WaitHardMatch:
		return r.matchState(ctx)
	case ClearOnPremAttributes, SetOnPremAttributes:
		a, err := r.a.Tenant.OnPremAttributes(ctx, t.ID)
		if err != nil {
			return Value{}, err
		}
		return a.Value(), nil
	case CreateUser:
		_, err := r.dir.UserByDN(ctx, t.DN)
		if errors.Is(err, ErrNotFound) {
			return Null(), nil
		}
		if err != nil {
			return Value{}, err
		}
		return Text(t.DN), nil
	}
	u, err := r.dir.User(ctx, t.GUID)
	if err != nil {
		return Value{}, err
	}
	switch c.Action {
	case SetConsistencyGUID:
		if u.ConsistencyGUID.IsZero() {
			return Null(), nil
		}
		return Text(u.ConsistencyGUID.String()), nil
	case SetProxyAddresses:
		return List(u.ProxyAddresses), nil
	case SetMail:
		return TextOrNull(u.Mail), nil
	case SetUPN:
		return TextOrNull(u.UserPrincipalName), nil
	case MoveUser:
		return Text(ParentDN(u.DN)), nil
	}
	return Value{}, fmt.Errorf("%w: action %q", ErrInvalidPlan, c.Action)
}

// write performs c through the recorder.
func (r *runner) write(ctx context.Context, c Change) error {
	t := c.Target
	w := r.w
	text := func(v Value) string { s, _ := v.Text(); return s }
	boolean := func(v Value) bool { b, _ := v.Bool(); return b }
	guid := func(v Value) (anchor.ObjectGUID, error) {
		s, ok := v.Text()
		if !ok {
			return anchor.ObjectGUID{}, nil
		}
		return anchor.ParseGUID(s)
	}
	sa := func(v Value) (anchor.SourceAnchor, error) {
		s, ok := v.Text()
		if !ok {
			return anchor.SourceAnchor{}, nil
		}
		return anchor.ParseSourceAnchor(s)
	}
	switch c.Action {
	case SetImmutableID, ClearImmutableID:
		old, err := sa(c.Before)
		if err != nil {
			return err
		}
		nw, err := sa(c.After)
		if err != nil {
			return err
		}
		return w.SetImmutableID(ctx, t.ID, old, nw)
	case SetCloudManaged:
		if t.Kind != "" {
			return w.SetObjectCloudManaged(ctx, t.Kind, t.ID, boolean(c.Before), boolean(c.After))
		}
		return w.SetCloudManaged(ctx, t.ID, boolean(c.Before), boolean(c.After))
	case RestoreUser:
		return w.RestoreDeleted(ctx, t.ID)
	case ClearOnPremAttributes, SetOnPremAttributes:
		old, err := ParseOnPremAttributes(c.Before)
		if err != nil {
			return err
		}
		nw, err := ParseOnPremAttributes(c.After)
		if err != nil {
			return err
		}
		err = w.SetOnPremAttributes(ctx, t.ID, old, nw)
		if errors.Is(err, ErrReadOnly) {
			return fmt.Errorf("%w (%v; onPremisesObjectIdentifier can only be cleared)", err, errSyncedUser)
		}
		return err
	case DisableOrgSync, EnableOrgSync:
		return w.SetOrgSyncEnabled(ctx, boolean(c.Before), boolean(c.After))
	case SetHardeningBypass:
		return w.SetHardeningBypass(ctx, boolean(c.Before), boolean(c.After))
	case SetConsistencyGUID:
		old, err := guid(c.Before)
		if err != nil {
			return err
		}
		nw, err := guid(c.After)
		if err != nil {
			return err
		}
		return w.SetConsistencyGUID(ctx, t.GUID, old, nw)
	case SetProxyAddresses:
		old, _ := c.Before.List()
		nw, _ := c.After.List()
		return w.ReplaceProxyAddresses(ctx, t.GUID, old, nw)
	case SetMail:
		return w.SetMail(ctx, t.GUID, text(c.Before), text(c.After))
	case SetUPN:
		return w.SetUPN(ctx, t.GUID, text(c.Before), text(c.After))
	case MoveUser:
		return w.Move(ctx, t.GUID, text(c.Before), text(c.After))
	case CreateUser:
		_, err := w.CreateUser(ctx, *c.Create)
		return err
	}
	return fmt.Errorf("%w: action %q", ErrInvalidPlan, c.Action)
}

func (r *runner) restoreWindow(ctx context.Context, c Change) error {
	u, err := r.a.Tenant.DeletedUser(ctx, c.Target.ID)
	if err != nil {
		return err
	}
	return checkRestoreWindow(u.DeletedAt, r.a.now(), cmp.Or(r.a.RestoreMargin, 72*time.Hour))
}

func checkRestoreWindow(deletedAt, now time.Time, margin time.Duration) error {
	if deletedAt.IsZero() {
		return nil
	}
	end := deletedAt.Add(restoreRetention)
	if left := end.Sub(now); left < margin {
		return fmt.Errorf("%w: deleted %s, permanently deleted after %s, %s left (need %s)", ErrRestoreWindow,
			deletedAt.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), left.Round(time.Minute), margin)
	}
	return nil
}

// ParentDN returns the DN of the container holding the object at text, or "" when text is not
// a DN or has no parent.
func ParentDN(text string) string {
	d, err := dn.Parse(text)
	if err != nil {
		return ""
	}
	return d.Parent().String()
}

// limiter spaces calls by a fixed interval (a token bucket of depth 1).
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	now := time.Now()
	t := l.next
	if t.Before(now) {
		t = now
	}
	l.next = t.Add(l.interval)
	l.mu.Unlock()
	if d := t.Sub(now); d > 0 {
		return sleep(ctx, d)
	}
	return nil
}
