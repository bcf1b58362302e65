// Package conversion plans and carries out the conversion of users between synced and
// cloud-only, with a journal that makes every run resumable and reversible.
//
// # What it does
//
// A Plan is data: a sorted list of Change values, each one write (or one wait) on one target,
// with the value it expects to find (Before), the value it leaves (After) and a Reason. Plans are
// JSON a person can review (Plan.WriteJSON, ReadPlan); the action words (set-cloud-managed,
// clear-immutable-id, set-consistency-guid, move-user, restore-user, wait-soft-delete, …) are
// stable. Planners (PlanSOA, PlanHardMatch, PlanReAnchor, PlanOUMove, PlanTenantWide,
// PlanSoftMatch) read records (Input) and produce a plan, listing the users they refuse in
// Plan.Refused with a reason and a fix. They have no clock and do no I/O.
//
// An Applier carries a plan out through the ports — Directory (the on-premises AD, implemented
// by ldapx), Tenant (Entra, implemented by graphx) and SyncCycle — and a Journal:
//
//   - it refuses a plan made for another tenant (ErrWrongTenant) and a journal of another plan;
//   - it refuses to start while the journal holds a write with an intent and no outcome
//     (ErrDirty, golang-migrate's dirty flag); Resolve re-reads those targets and records
//     whether the write happened;
//   - it skips changes the journal records as done, so an interrupted run resumes without
//     losing or repeating a write;
//   - it re-reads each target and refuses a change whose Before no longer holds
//     (ErrStalePlan), and passes the old value to the port so the adapter can refuse it too;
//   - it writes and fsyncs the intent before each write and the outcome after it;
//   - it runs subjects (users) concurrently, Concurrency at a time, each subject's changes in
//     order, stopping a subject at its first failure and carrying on with the others;
//   - it spaces tenant writes to GraphWritesPerSecond and retries throttled calls after their
//     Retry-After, waiting through the context;
//   - it reports progress events and returns a Result with one status per change.
//
// DryRun runs the same code with a recording writer: nothing is written and the Result lists
// exactly the writes a real run would make. Undo reverses, newest first, what the journal
// records as applied; each reversal is itself a precondition-checked, journaled change.
//
// # What it does not do
//
// It never deletes anything, in AD or in Entra: restore-user and create-user cannot be undone,
// and undo reports them. It does not run the sync engine: wait steps ask a SyncCycle for a
// delta cycle (Entra Connect Sync cannot be started remotely: ManualSync tells the operator to
// run Start-ADSyncSyncCycle -PolicyType Delta) and poll the tenant. It does not change tenant
// sync features (blockCloudObjectTakeoverThroughHardMatchEnabled, blockSoftMatchEnabled):
// planners refuse when a feature is in the way and say which to turn off. Graph offers no
// conditional update of a user, so a tenant adapter re-reads before it writes; another writer
// between that read and the write is not detected.
//
// # Rules it encodes (docs/entra-rules.md)
//
//   - §4c: source-of-authority transfer sets onPremisesSyncBehavior.isCloudManaged=true; the user
//     must be synced; rollback sets it back to false and needs
//     blockCloudObjectTakeoverThroughHardMatchEnabled off and a sync run, and an ImmutableID to
//     hard-match on (so clearing the ImmutableID ends the way back).
//   - §1.7, §4d: onPremisesImmutableId is read-only while a user is synced and can be cleared
//     (JSON null) once it is cloud-managed; clearing it is verified by re-reading.
//   - §4a, §6.2: an out-of-scope user is soft-deleted by the next cycle and restorable for 30
//     days; restore keeps the ImmutableID; restore-user is refused when less than RestoreMargin
//     is left of the window.
//   - §4b: a tenant-wide disable stays pending for up to 72 hours and cannot be reverted
//     meanwhile; the wait is resumable across runs because its start is in the journal.
//   - §5, §2.4: hard match from the cloud side stamps Base64(mS-DS-ConsistencyGuid, else
//     objectGUID) as onPremisesImmutableId; from the AD side, the cloud ImmutableID goes into
//     mS-DS-ConsistencyGuid; AD values overwrite cloud values on takeover, so cloud proxy
//     addresses and mail the AD user lacks are copied to AD first; users holding Entra roles
//     and tenants with blockCloudObjectTakeoverThroughHardMatchEnabled are refused.
//   - §6.5: Graph allows 3,000 writes per 2.5 minutes per app and tenant; Retry-After on 429.
//
// # Adapters
//
// Adapters return errors that wrap ErrNotFound, ErrConflict, ErrThrottled (with a
// RetryAfterError for the wait), ErrForbidden or ErrReadOnly; any other error from a write means
// "unknown" and makes Apply re-read the target. See errors.go.
package conversion
