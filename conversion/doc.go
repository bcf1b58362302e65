// Package conversion plans and carries out the conversion of users, groups and contacts between
// synced and cloud-only, with a journal that makes every run resumable and reversible.
//
// A Plan is data a person can review: sorted Change values, each one write (or one wait) on one
// target with the value it expects (Before), the value it leaves (After) and a Reason. Planners
// (PlanSOA, PlanHardMatch, PlanReAnchor, PlanOUMove, PlanTenantWide, PlanSoftMatch,
// PlanClearOnPrem; Methods is the registry) read records and list what they refuse in
// Plan.Refused with a RefusalCode, a reason and a fix; they have no clock and do no I/O.
//
// An Applier carries a plan out through small ports (Directory, implemented by ldapx; Tenant,
// implemented by graphx; SyncCycle) and a Journal written before and after every write. It
// refuses a plan for another tenant, a stale plan (ErrStalePlan) and a dirty journal (ErrDirty,
// settled by Resolve); it resumes without losing or repeating a write, re-reads a write whose
// outcome is unknown instead of resending it, re-checks roles and PIM eligibilities before each
// user's first write (refusing whatever Entra itself will block, whatever AllowRoles says), and
// finishes the writes in flight when cancelled. DryRun goes through the same code and writes
// nothing. Undo reverses, newest first, what a journal records. Readiness reports what in a
// tenant changes matching or blocks a hard match.
//
// It never deletes anything, does not run the sync engine, and changes a tenant sync feature
// only for the time-boxed hardening bypass a plan asks for. conversiontest holds in-memory fakes
// of the ports and the conformance suites the real adapters pass.
//
// The workflows in detail (clearing on-premises attributes, the hardening bypass, groups and
// contacts, readiness), the Entra rules they encode and every choice made where Microsoft is
// silent: docs/conversion.md.
package conversion
