// Package matching predicts what one Microsoft Entra sync cycle does with a population of
// on-premises Active Directory objects and a tenant's cloud objects: for every on-premises object
// whether it joins, hard-matches, soft-matches, is created, is blocked (with Entra's error name)
// or is out of scope, and for every cloud object whether it is matched, deleted or left alone,
// each with a reason a help-desk engineer can act on, a fix, the predicted cloud UPN, the values
// duplicate attribute resiliency will quarantine and a preview of the attributes a takeover
// overwrites. The outcome words are those of docs/outcomes.md; a Report marshals to the
// `hybridctl match --json` shape of docs/cli.md.
//
// The engine is pure: records in (OnPrem, Cloud, Tenant, Config), a Report out. It does no I/O,
// takes no context, has no clock (Tenant.AsOf is "now") and imports only anchor and the standard
// library. The same input always gives the same report; the outcome, code, target and predicted
// UPN of an object do not depend on input order nor on unrelated objects (tested by shuffling and
// by inserting unrelated objects). Both sides are indexed once (anchor, UPN, SMTP addresses; open
// addressing hash tables, no quadratic loop) and the work is spread over GOMAXPROCS goroutines.
//
// What it does not do: read directories or tenants (the ldapx and graphx packages do), model
// custom sync rules or attribute flows other than the defaults named below, role assignments
// through groups or PIM eligibility (only Tenant.Roles, active direct assignments), devices,
// multi-forest joins, password hash sync, or Connect's own join state: the "source anchor has
// changed" error (summary 3: an exported object whose mS-DS-ConsistencyGuid was later changed)
// is not predicted; such an object looks new and its old cloud object looks deleted. The
// on-premises input is taken to be everything the sync client sees: a synced cloud object whose
// anchor no on-premises object carries is deleted.
//
// # Rules implemented (reference = docs/entra-rules.md)
//
//   - Anchor (§1.2, §1.4): mS-DS-ConsistencyGuid when set, else objectGUID, for users and groups
//     (AnchorConsistencyGUID, the default); objectGUID for contacts under Connect ([DESIGN]
//     "objectGUID is used for other object types"); objectGUID only (AnchorObjectGUID); or a
//     custom attribute the reader put in OnPrem.CustomAnchor (AnchorCustom, §1.5; a user without
//     a value is out of scope, other classes fall back to objectGUID). Cloud Sync always uses
//     mS-DS-ConsistencyGuid falling back to objectGUID, for every class (§1.6); a different
//     setting is ignored with a warning. Anchors compare byte for byte (§1.5).
//   - Scope (§5, §4a): DN at or below a scope OU, case-insensitive, on RDN boundaries, spaces
//     around ',' and '=' ignored; objects of unknown class are out of scope; under Connect,
//     users without sAMAccountName and those Connect's default cloudFiltered rule drops (AAD_*,
//     MSOL_*, CAS_*…}…, SUPPORT_388945a0; compared case-insensitively) are out of scope.
//   - Two in-scope objects with one anchor: both blocked AmbiguousMatch, with a warning (§1.5:
//     the anchor must be globally unique).
//   - Users: a userPrincipalName failing the format check is blocked IdentityDataValidationFailed
//     (§3). The check (the engine's own; the reference only says "invalid characters/format"):
//     exactly one '@', non-empty prefix without leading, trailing or doubled dots, a domain of
//     letters, digits, '-' and '.', no space or control character.
//   - Hard match first (§2.1): a cloud object whose onPremisesImmutableId equals the anchor.
//     Several → AmbiguousMatch (a single live one wins over soft-deleted ones). Another class →
//     ObjectTypeMismatch. A synced one → joined (matching runs only for new objects, §2.1,
//     summary 4). Not synced: isCloudManaged → blocked CloudManaged (§4c, summary 16);
//     blockCloudObjectTakeoverThroughHardMatchEnabled → InvalidHardMatch (§2.4, also for
//     soft-deleted synced users); a user holding an Entra role, from 2026-06-01 →
//     InvalidHardMatch (§2.4, [MC1262584]: cloud-managed users only, so not a soft-deleted
//     synced user, which §2.4 and §4a call still synced); else hard-match. Soft-deleted users
//     are restorable and hard-matchable for 30 days after deletedDateTime (§2.4, §4a); later
//     ones are ignored.
//   - Re-map (§2.4, [MC1263280]; users only, as the reference says): a synced (or
//     soft-deleted synced) user whose onPremisesSecurityIdentifier differs from the AD
//     object's objectSid is mapped to another AD object; from 2026-07-01 → RemapBlocked,
//     before that joined with a warning. INFERENCE: Graph v1.0 has no
//     onPremisesObjectIdentifier, so objectSid stands in for it.
//   - Soft match (§2.1–§2.4, [KB-UPN]): only when no cloud object carries the anchor; the
//     primary SMTP address (the "SMTP:" proxy value; only that value) first, UPN only when
//     softMatchOnUpnEnabled and SMTP found no candidate at all; non-mail-enabled groups never
//     soft-match (§2.3); soft-deleted objects are not candidates. Checks in order: more than
//     one cloud candidate → AmbiguousMatch; another class → ObjectTypeMismatch (§3); candidate
//     with an ImmutableID → InvalidSoftMatch (§2.4); synced candidate without one →
//     AttributeValueMustBeUnique (§3); another in-scope AD object with the same value →
//     AmbiguousMatch (after the target checks, so a newcomer colliding with a joined object
//     gets the §2.4 error); isCloudManaged → CloudManaged; blockSoftMatchEnabled →
//     SoftMatchBlocked; role holder → ExistingAdminRoleConflict (§2.4); else soft-match-smtp /
//     soft-match-upn.
//   - New (§2.1, §3.1, [UPN]): predicted UPN is the AD UPN when its suffix is a verified domain,
//     else mailNickname@initial domain, mailNickname being the first of AD mailNickname,
//     primary SMTP prefix, mail prefix, UPN prefix, secondary smtp prefix. A UPN another cloud
//     object holds is quarantined and becomes <prefix><4 digits>@<initial domain>: Entra picks
//     the digits at random, the engine derives them from a hash of the anchor, so the real
//     digits differ. SMTP proxy values another cloud object holds are quarantined. A user's
//     secondary smtp: that is a group's primary SMTP: is the documented resiliency gap: blocked
//     AttributeValueMustBeUnique (§3.1).
//   - Joins and matches (§2.1): the predicted UPN and the same quarantine checks apply (a
//     quarantined UPN keeps the cloud object's UPN: INFERENCE); Takeover lists every attribute
//     with an on-premises value that differs (userPrincipalName, mail, mailNickname,
//     displayName, givenName, surname, accountEnabled, proxyAddresses) and LostProxyAddresses
//     the cloud proxy addresses absent on-premises (*.onmicrosoft.com left out: Entra adds those
//     itself, [KB-PROXY]). proxyAddresses are only compared when the AD object has some.
//   - UPN and SMTP comparisons use Unicode simple case folding (strings.EqualFold), which is
//     how the engine models Entra's case-insensitive uniqueness; the exact folding Entra uses is
//     UNDOCUMENTED.
//   - Cloud side: matched (joined or taken over), deleted (synced, its anchor carried by no
//     in-scope AD object, §4a), untouched (everything else, with the refused AD object in
//     MatchedBy when a block stopped a match).
//   - Warnings: deletes above the export deletion threshold (default 500, §4a [DELTHR]) stop the
//     whole export (Report.ExportStopped); duplicate anchors, UPNs and primary SMTP addresses
//     among in-scope AD objects, and SMTP duplicates across users, groups and contacts; guest
//     targets; re-maps; unknown AsOf; no initial domain. At most 50 per code are listed.
//
// # Disagreements in the sources and the side the engine takes
//
//   - Group anchor (§1.4): [GRPMIG] (since 1.5.18.0: mS-DS-ConsistencyGuid when set) against
//     [DESIGN] ("objectGUID is used for other object types"): the engine follows [GRPMIG], the
//     more specific and newer statement, for groups, and [DESIGN] for contacts.
//   - Hard match of groups and contacts (§2.3): [EXIST] says it does not apply because only
//     users can be given an ImmutableID in the cloud; [GRPMIG] shows groups re-matching by
//     anchor. The engine hard-matches any class whose cloud object carries the anchor (which in
//     practice means previously synced groups and contacts).
//   - Soft match onto an object synced from another AD object (§3): [ERR] says InvalidSoftMatch,
//     [EXIST 04/2025] says AttributeValueMustBeUnique, and [ERR] also says resiliency hides
//     InvalidSoftMatch: the engine reports InvalidSoftMatch when the candidate has an
//     ImmutableID and AttributeValueMustBeUnique when a synced candidate has none.
//   - Name of the June 2026 role block error (§2.4): MC1262584 says InvalidHardMatch, What's new
//     points at Existing Admin Role Conflict: the engine uses InvalidHardMatch and names the role.
//   - Invalid UPN (§3, §3.1): [ERR] says IdentityDataValidationFailed, [UPN] says an invalid UPN
//     falls back to mailNickname@initial domain: the engine blocks (the brief's and spec's
//     choice) and applies the fallback to unverified suffixes only.
//   - SMTP before UPN (§2.1): [EXIST] gives no order, [KB-UPN] says UPN only when SMTP found
//     nothing: the engine follows [KB-UPN].
//
// # Undocumented behaviour and the engine's choice
//
//   - Guests as soft-match targets (§2.4, §8): predicted to match (the takeover is the risk to
//     see), with a warning and a note in the reason.
//   - "SMTP:" prefix case (§8): only the upper-case "SMTP:" value is primary. An AD object
//     whose proxyAddresses hold no SMTP: value soft-matches on its mail (Entra computes
//     proxyAddresses from mail, [KB-PROXY]; INFERENCE, chosen because it predicts the possible
//     takeover).
//   - Unknown AsOf: the June and July 2026 blocks are assumed in force, deleted objects are
//     assumed restorable, and a warning says so.
//   - isCloudManaged targets: blocked with the code CloudManaged, which is not an Entra error
//     name (sync skips the object, event 6956, §4c).
//   - The word "matched" on the cloud side: the spec lists only deleted and untouched, which
//     describe objects nothing matches; a cloud object an AD object joins or takes over is
//     reported as "matched" with the AD object's DN in MatchedBy.
//   - Two AD objects with one UPN or SMTP that both become new: which one Entra quarantines
//     depends on export order; both list the other in Quarantined (holderSide "onprem") and
//     keep their predicted UPN.
//   - Deletion threshold under Cloud Sync: the same threshold is applied.
//   - Cloud Sync and the cloudFiltered rule: not applied under Cloud Sync (only Connect's
//     default rules are documented).
package matching
