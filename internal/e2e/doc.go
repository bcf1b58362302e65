// Package e2e holds the end-to-end tests of conversion: plans made from live reads, carried out
// by conversion.Applier through the graphx Tenant adapter (msgraph-sdk-go against the graphxtest
// fake tenant) and a directory port, with internal/syncsim playing the sync client to show that
// the outcome the matching engine predicts is what happens (docs/outcomes.md). Every
// plan is made with Options.Predict = matching.Evaluate and must come out verified.
//
// Two directories:
//   - in memory (conversiontest's fake Directory, under testing/synctest): every method (SOA
//     §4c, OU move §4a, tenant-wide §4b, hard match with an existing AD user and proxy copy or
//     with the AD user created §5 B, re-anchor §5 C, soft match §5 A), undo (TestUndo: before
//     and after the sync cycle acted, see below), a crash (the apply re-executed in a child
//     process SIGKILLed after k journal entries, then resumed: every Graph write exactly once,
//     from the fake's write log), Graph faults (429 storms, 503, 500 and dropped connections on
//     writes and reads) and stale plans;
//   - a real Samba AD DC (TestWorkflowsSamba; ldapxtest.StartSamba, one DC per test binary,
//     serialised between binaries by ldapxtest's file lock; each test works in an OU of its
//     own): hard match with an existing AD user (proxy copy), hard match with the AD user
//     created, re-anchor, and OU move followed by undo, applied through ldapx's
//     conversion.Directory port, with the simulator reading the directory through
//     ldapx.Client.Objects. It is skipped when Samba is not installed, and fails instead when
//     CI=true. These tests use real time (the network cannot run in a synctest bubble): wait
//     steps poll every 10 ms.
//
// What undo does, as the tests assert it: before a sync cycle has acted, undoing a hard match or
// a soft match puts both sides back and the next cycle does what the engine predicted for the
// unconverted world. After the cycle took the cloud user over, undo cannot make it cloud-only
// again: Graph refuses to clear the ImmutableID of a synced user (conversion.ErrReadOnly), the
// AD values are still put back, and the join stays (use SOA or an OU move). create-user and
// restore-user are irreversible (conversion.ErrIrreversible): the created AD user stays, and
// the next cycle matches it again unless it is removed; an undone OU move moves the AD user back
// and restores the ImmutableID, so the next cycle takes the restored user back. A tenant-wide
// disable is undone, once it has completed, by enabling sync again.
//
// TestBenchConvert (scripts/bench-convert) measures 10,000 SOA conversions at 200 writes/s.
package e2e
