// Package e2e holds the end-to-end tests of conversion: plans made from live reads, carried out
// by conversion.Applier through the graphx Tenant adapter (msgraph-sdk-go against the graphxtest
// fake tenant) and a directory port, with internal/syncsim playing the sync client to show that
// the outcome the matching engine predicts is what happens (../shared/spec/outcomes.md).
//
// Covered: every method (SOA §4c, OU move §4a, tenant-wide §4b, hard match with an existing AD
// user and proxy copy or with the AD user created §5 B, re-anchor §5 C, soft match §5 A), undo
// of the reversible ones, a crash (the apply re-executed in a child process SIGKILLed after k
// journal entries, then resumed: every Graph write exactly once, from the fake's write log),
// Graph faults (429 storms, 503, 500 and dropped connections on writes and reads) and stale
// plans. TestBenchConvert (scripts/bench-convert) measures 10,000 SOA conversions at 200
// writes/s.
//
// What it does not cover yet: the directory is conversiontest's in-memory fake, not ldapx
// against a Samba AD DC (ldapx's Directory landed during this work; see the report).
package e2e
