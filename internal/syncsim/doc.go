// Package syncsim is test support that plays a sync client (Entra Connect) against the
// graphxtest fake tenant: a cycle reads the directory (any Source: a fixed list, the
// conversiontest fake directory, or ldapx against Samba), reads the fake tenant's state, runs
// matching.Evaluate, and applies the predicted outcomes to the fake, so that end-to-end tests
// can prove that what the engine predicts is what happens after a conversion.
//
// What a cycle does, per predicted outcome (docs/outcomes.md):
//   - joined, hard-match, soft-match-smtp, soft-match-upn: the cloud user is taken over or
//     updated: onPremisesSyncEnabled=true, onPremisesImmutableId = the anchor, and every
//     attribute with an on-premises value overwrites the cloud one (docs/entra-rules.md §2.1); a matched
//     soft-deleted user is restored first (docs/entra-rules.md §2.4);
//   - new: a synced cloud user is created (id derived from the anchor);
//   - deleted (cloud side): the cloud user is soft-deleted (docs/entra-rules.md §4a);
//   - blocked: nothing is written; the object is listed in Cycle.Errors with its code;
//   - out-of-scope, untouched: nothing.
//
// Groups and contacts are evaluated and recorded, not written: a cloud-managed group or contact
// (isCloudManaged, after a source-of-authority transfer) is skipped and listed in Cycle.Errors
// with the code CloudManaged, as Entra skips it; the others are listed in Cycle.Applied.
// The July 2026 bypass flag is read from the fake's sync features.
//
// A tenant whose organization onPremisesSyncEnabled is false exports nothing (docs/entra-rules.md §4b).
// Sim implements conversion.SyncCycle: TriggerDelta runs one cycle.
//
// What it does not do: the fake's writes log records Graph API writes only, and a cycle's
// changes are not in it (they go through graphxtest's state hooks); it models no export
// deletion threshold stop, no duplicate-attribute quarantine (quarantined values are exported
// as they are), no password hash sync, no group or contact writes (membership, attributes), no delta (every cycle is a full
// evaluation) and no timing.
package syncsim
