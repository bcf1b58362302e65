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
// PlanSoftMatch, PlanClearOnPrem) read records (Input) and produce a plan, listing the users they refuse in
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
//   - it re-reads, through Tenant.UserRoles, the roles and PIM eligibilities of every user a
//     change concerns (the cloud user, or the subject of an AD change) and refuses role holders
//     unless AllowRoles (ErrRoleHolder), and, whatever AllowRoles says, a change that prepares a
//     match Entra itself will refuse (ErrHardMatchBlocked: see RoleError, ObjectIdentifierError);
//     Undo does the same for the users it hands back;
//   - it writes and fsyncs the intent before each write and the outcome after it; a write that
//     failed in a way that may hide a success (5xx, timeout, even 429) is re-read before it is
//     ever sent again;
//   - a cancelled context starts nothing new, lets the writes in flight finish (FinishTimeout)
//     and journals their outcomes, so an interrupted run leaves a clean journal and resumes;
//   - it runs subjects (users) concurrently, Concurrency at a time, each subject's changes in
//     order, stopping a subject at its first failure and carrying on with the others;
//   - it spaces tenant writes to GraphWritesPerSecond and retries throttled calls after their
//     Retry-After, waiting through the context;
//   - it reports progress events and returns a Result with one status per change.
//
// DryRun runs the same code with a recording writer: nothing is written and the Result lists
// exactly the writes a real run would make (DryRunJournal reads a journal file for it without
// touching the file). Result.OK, Result.Err and Result.Summary agree on success (Status.OK).
//
// Files: OpenPlanJournal creates a journal exclusively, or accepts only a journal of the same
// plan, refusing anything else (ErrNotJournal, ErrJournalMismatch) before a byte is written;
// WritePlanFile writes a plan whole (temporary file, fsync, rename, directory fsync) and never
// replaces a file that is not a plan. ReadPlan refuses change ids of the reserved form undo-….
// Methods, Planner and NeedsDirectory are the registry of conversion methods. Undo reverses, newest first, what the journal
// records as applied; each reversal is itself a precondition-checked, journaled change.
//
// # Leaving sync cleanly
//
// A user made cloud-only keeps its on-premises attributes (onPremisesDistinguishedName,
// onPremisesDomainName, onPremisesImmutableId, onPremisesObjectIdentifier,
// onPremisesSamAccountName, onPremisesSecurityIdentifier, onPremisesUserPrincipalName): stale
// values break hybrid join, Intune and Outlook, and a kept onPremisesObjectIdentifier blocks a
// later hard match to a different AD object. clear-onprem-attributes clears all seven in one
// Graph beta write (Tenant.SetOnPremAttributes). Every synced->cloud-only planner adds it as the
// last step of each user with Options.ClearOnPremAttributes (it replaces clear-immutable-id), and
// PlanClearOnPrem (method clear-onprem) plans it for users converted earlier. Its value is a list
// of "name=value" texts (OnPremAttributes.Value). Only a cloud-only user can be cleared: the
// planner refuses a synced one, and the adapter's ErrReadOnly stops the change at apply.
//
// A clear needs no particular old values, so Apply takes its Before from the user at apply
// time (the planner's input may lack onPremisesDomainName, and a tenant-wide disable clears some
// of the attributes itself) and journals what it actually replaces. Undo writes those values
// back with set-onprem-attributes, except onPremisesObjectIdentifier: Graph documents only
// clearing it (setting a value may fail), and the next sync stamps it again, so undo leaves it
// null and the old value stays in the journal. Permissions: User.ReadWrite.All with User
// Administrator or Hybrid Identity Administrator, plus User-OnPremisesSyncBehavior.ReadWrite.All
// for onPremisesObjectIdentifier.
//
// # The hardening bypass
//
// Since July 2026 Entra refuses to hard-match a cloud user that still carries
// onPremisesObjectIdentifier onto another AD object. Clearing the identifier (clear-onprem) is the
// lasting fix; the tenant feature allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled lifts the
// block for the whole tenant. With Options.AllowHardeningBypass and Options.Confirm equal to the
// tenant id, PlanHardMatch and PlanReAnchor carry it time-boxed: set-hardening-bypass false->true
// as the first change, the users' changes, wait-hard-match (a sync cycle matches them, within
// Applier.BypassWindow), and set-hardening-bypass true->false as the last change. The revert is
// also made when Apply stops for any reason (after the run, within FinishTimeout), by Resolve once
// nothing is dirty, and by Undo, which never turns the bypass on. A resumed run does not turn it
// on again: its users carrying the identifier are refused and the wait fails, asking for a new
// plan. BypassLeftOn reads a journal and says whether it left the bypass on, and since when;
// BypassState.Warning is the loud message for every command that opens such a journal. Users
// assigned or eligible for a privileged role stay refused whatever the bypass, with the
// assignment or eligibility to remove; this package never removes a role.
//
// # Groups and contacts
//
// With Options.Objects, PlanSOA transfers the source of authority of groups (security,
// mail-enabled security, distribution lists) and organizational contacts as well as users
// (set-cloud-managed with Target.Kind "group" or "contact"; Tenant.SetObjectCloudManaged, Graph
// PATCH /groups/{id}/onPremisesSyncBehavior and /contacts/{id}/onPremisesSyncBehavior with
// Group-OnPremisesSyncBehavior.ReadWrite.All or Contacts-OnPremisesSyncBehavior.ReadWrite.All).
// The preparation guide converts groups before users: every group change has no subject, so it
// runs alone, before any contact or user; undo, newest first, hands users back before their
// groups. A mail-enabled group is managed in Exchange Online afterwards. Refused: objects that are
// not synced or are cloud-managed already, and administrative objects (built-in accounts and
// groups, and the protected administrative groups, recognised by their security identifier or
// the Builtin container). The records carry no member, manager, certificate or mailbox data, so
// these preparation checks are left to the reviewer and the plan says so: reference-valued
// attributes other than manager and members, references across domains or to unsynced objects,
// attributes maintained by other on-premises systems (AD CS userCertificate), and Exchange hybrid
// (every mailbox in Exchange Online before users move). Rolling a group back needs its cloud-only
// members and access-package uses removed first, blockCloudObjectTakeoverThroughHardMatchEnabled
// off and a sync run, as for users.
//
// # Readiness
//
// Readiness reports the tenant sync features that change matching (including the bypass and,
// from journals, since when it is on), the users the July 2026 hardening will block at their next
// hard match with the reason and the fix (onPremisesObjectIdentifier on a user that is not
// synced; a privileged or eligible user with an ImmutableID, soft-deleted ones included), and
// the client versions Entra requires: Entra Connect Sync 2.5.79.0 or later since 2026-09-30 (older
// servers stop synchronizing); source-of-authority transfer needs Connect Sync 2.5.76.0 (2.5.79.0
// for contacts) or the Cloud Sync agent 1.1.1370.0. The client version itself is not in tenant data.
//
// # What it does not do
//
// It never deletes anything, in AD or in Entra: restore-user and create-user cannot be undone,
// and undo reports them. It does not run the sync engine: wait steps ask a SyncCycle for a
// delta cycle (Entra Connect Sync cannot be started remotely: ManualSync tells the operator to
// run Start-ADSyncSyncCycle -PolicyType Delta) and poll the tenant. It does not change tenant
// sync features (blockCloudObjectTakeoverThroughHardMatchEnabled, blockSoftMatchEnabled):
// planners refuse when a feature is in the way and say which to turn off; the one exception is
// the time-boxed hardening bypass above, and only when the plan asks for it. Graph offers no
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
//     addresses and mail the AD user lacks are copied to AD first; tenants with
//     blockCloudObjectTakeoverThroughHardMatchEnabled are refused, and, since 1 July 2026, users
//     assigned or eligible for a privileged role or carrying onPremisesObjectIdentifier (with the
//     fix: which assignment or eligibility to remove, how to clear the identifier).
//   - §6.5: Graph allows 3,000 writes per 2.5 minutes per app and tenant; Retry-After on 429.
//
// # Choices where Entra's behaviour is not documented
//
// This package takes the safe side and says so in its refusals:
//
//   - Which roles are "privileged" for the July 2026 hard-match block is not documented: it
//     uses Entra's own isPrivileged mark on the role definition, and counts a role whose mark
//     it could not read as privileged. Roles held through role-assignable groups count.
//   - Whether the July 2026 block exempts a user whose onPremisesObjectIdentifier names the same
//     AD object is not documented: any value set is refused (unless the tenant's bypass flag,
//     allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled, is on). "Cloud-managed accounts with
//     writeback" are exempt in Entra, but writeback is not visible here: no exemption is made.
//   - Handing a user back to AD (undoing a source-of-authority transfer, stamping an
//     ImmutableID again) is treated as a hard match: a privileged or eligible user is refused.
//   - Whether a PIM eligibility alone blocks soft match is not documented: an eligible user is
//     refused as a role holder (AllowRoles lifts it); an active role is Entra's own soft-match
//     block (ExistingAdminRoleConflict), which nothing lifts.
//   - An unknown moment (Tenant.AsOf zero) counts as after 1 July 2026.
//
// # Adapters
//
// Adapters return errors for which errors.Is matches ErrNotFound, ErrConflict, ErrThrottled,
// ErrForbidden, ErrReadOnly or ErrUnavailable (graphx's and ldapx's *OpError do, through an Is
// method); an error whose RetryAfter method (RetryAfterError) reports true names the wait the
// server asked for, and Apply waits that long before the next attempt. Any other error
// from a write means "unknown" and makes Apply re-read the target. Tenant.UserRoles reports how a
// user holds roles (RoleHold); an adapter documents what it cannot see. See errors.go.
package conversion
