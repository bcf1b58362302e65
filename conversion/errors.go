package conversion

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Adapters (ldapx, graphx, the fakes) return errors for which errors.Is with one
// of the first five is true; the apply loop decides what to do from them:
//
//   - ErrNotFound: the object does not exist (LDAP noSuchObject, Graph 404). The write did not happen.
//   - ErrConflict: the write's precondition (the old value it replaces) did not hold (LDAP
//     noSuchAttribute/attributeOrValueExists on a delete-old/add-new modify, or a value re-read by the
//     adapter that differs). The write did not happen; apply reports the change as stale.
//   - ErrThrottled: the service refused for load (Graph 429, LDAP busy). When the error's
//     RetryAfter method (see RetryAfterError) reports a wait the server named, apply waits that
//     long, otherwise its own backoff; it re-reads the target before it sends a write again (some
//     gateways answer 429 or 503 after the write committed).
//   - ErrUnavailable: the service failed (Graph 5xx, a gateway timeout, a dropped connection):
//     the write may or may not have happened. Apply re-reads the target; when it still holds the
//     old value it retries, like a throttled write.
//   - ErrForbidden: missing permission or role (Graph 403, LDAP insufficientAccessRights).
//   - ErrReadOnly: the property cannot be written in the object's current state (a synced user's
//     onPremisesImmutableId, LDAP unwillingToPerform).
//
// Any other error from a write is treated as "the write may or may not have happened": apply re-reads
// the target to find out, and when it cannot tell it leaves the journal dirty (ErrDirty). Apply
// never sends a write a second time without having re-read its target.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("precondition failed")
	ErrThrottled = errors.New("throttled")
	ErrForbidden = errors.New("forbidden")
	ErrReadOnly  = errors.New("read-only")
	// ErrUnavailable: a service failure or timeout after which a write may or may not have happened.
	ErrUnavailable = errors.New("service unavailable")

	// ErrStalePlan: a change's Before no longer holds for its target; the plan must be made again.
	ErrStalePlan = errors.New("stale plan")
	// ErrDirty: the journal holds a write with an intent and no outcome; run Resolve first.
	ErrDirty = errors.New("journal is dirty")
	// ErrWrongTenant: the plan was made for another tenant.
	ErrWrongTenant = errors.New("plan is for another tenant")
	// ErrJournalMismatch: the journal belongs to another plan.
	ErrJournalMismatch = errors.New("journal belongs to another plan")
	// ErrJournalLocked: another process has the journal open (OpenJournal takes an exclusive
	// lock on Unix systems; it is released when the journal is closed or the process ends).
	ErrJournalLocked = errors.New("journal is in use by another process")
	// ErrInvalidPlan: the plan does not validate (unknown action, duplicate id, bad value).
	ErrInvalidPlan = errors.New("invalid plan")
	// ErrIrreversible: undo met a change that cannot be reversed (restore-user, create-user: this
	// package never deletes anything).
	ErrIrreversible = errors.New("change cannot be undone")
	// ErrManualSync: the sync client cannot be triggered from here (Entra Connect Sync runs on a
	// Windows server); the operator must start a delta cycle. See ManualSyncError.
	ErrManualSync = errors.New("sync cycle must be started by the operator")
	// ErrWaitTimeout: a wait step ran out of time; the change is left pending and a later run
	// continues it.
	ErrWaitTimeout = errors.New("wait timed out")
	// ErrRestoreWindow: a soft-deleted user is too close to (or past) the end of its 30-day restore
	// window (docs/entra-rules.md §4a, §6.2).
	ErrRestoreWindow = errors.New("restore window at risk")
	// ErrRefused: a planner guard rail refused a user (see Refusal).
	ErrRefused = errors.New("refused")
)

// RetryAfterError is implemented by adapter errors that can carry the wait the service asked for
// (Graph's Retry-After header). RetryAfter reports that wait and true when the server named one,
// and false when it did not (then the caller chooses its own backoff). Having the method says
// nothing about the error's kind: only errors.Is(err, ErrThrottled) means "refused for load, not
// done"; graphx's and ldapx's *OpError have the method on every error.
type RetryAfterError interface {
	error
	RetryAfter() (time.Duration, bool)
}

// ManualSyncError is returned by a SyncCycle that cannot start a cycle itself. Command is what
// the operator runs, for example "Start-ADSyncSyncCycle -PolicyType Delta" on the Entra Connect
// server.
type ManualSyncError struct {
	Command string
}

func (e *ManualSyncError) Error() string {
	return "start a delta sync cycle on the sync server: " + e.Command
}

// Unwrap returns ErrManualSync.
func (e *ManualSyncError) Unwrap() error { return ErrManualSync }

// ChangeError is the error of one change: which change, what it did, and why it failed.
type ChangeError struct {
	ChangeID string
	Action   Action
	Target   string // Target.String()
	Err      error
}

func (e *ChangeError) Error() string {
	return fmt.Sprintf("change %s (%s %s): %v", e.ChangeID, e.Action, e.Target, e.Err)
}

// Unwrap returns the cause.
func (e *ChangeError) Unwrap() error { return e.Err }

// StaleError says what a change expected and what the target holds now. It unwraps to ErrStalePlan.
type StaleError struct {
	Want, Got Value
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("stale plan: expected %s, found %s", e.Want, e.Got)
}

// Unwrap returns ErrStalePlan.
func (e *StaleError) Unwrap() error { return ErrStalePlan }

// DirtyError names the changes whose intent has no outcome in the journal. It unwraps to ErrDirty.
type DirtyError struct {
	ChangeIDs []string
}

func (e *DirtyError) Error() string {
	return fmt.Sprintf("journal is dirty: change(s) %v were started and have no outcome; run Resolve to re-read them", e.ChangeIDs)
}

// Unwrap returns ErrDirty.
func (e *DirtyError) Unwrap() error { return ErrDirty }

// retryAfter reports the wait the server named in err (through a RetryAfterError in its chain),
// and whether it named one.
func retryAfter(err error) (time.Duration, bool) {
	var ra RetryAfterError
	if !errors.As(err, &ra) {
		return 0, false
	}
	d, ok := ra.RetryAfter()
	if !ok || d <= 0 {
		return 0, false
	}
	return d, true
}
