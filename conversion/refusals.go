package conversion

import "github.com/hybridid/hybridid/matching"

// RefusalCode says why a planner refused a subject (Refusal.Code). The words are stable: plans
// and hybridctl's JSON carry them. Besides the codes below, a planner passes on the matching
// engine's block codes (InvalidHardMatch, ExistingAdminRoleConflict, …) through EngineRefusal.
type RefusalCode string

// The planners' own refusal codes.
const (
	RefuseNotFound          RefusalCode = "not-found"             // the selected user is not in the input
	RefuseNotSynced         RefusalCode = "not-synced"            // a synced->cloud-only method on a user that is not synced
	RefuseSynced            RefusalCode = "synced"                // a cloud-only->synced method on a user that is synced
	RefuseRoleHolder        RefusalCode = "role-holder"           // the user holds an Entra role and AllowRoles is off
	RefuseAnchorInUse       RefusalCode = "anchor-in-use"         // another cloud object already has the anchor
	RefuseNoADUser          RefusalCode = "no-ad-user"            // no AD user for the cloud user and no OU to create one in
	RefuseDuplicate         RefusalCode = "duplicate"             // a value to copy is held by another object
	RefuseTenantOff         RefusalCode = "tenant-sync-off"       // the tenant does not sync
	RefuseAmbiguous         RefusalCode = "ambiguous"             // more than one candidate
	RefusePrediction        RefusalCode = "prediction"            // the matching engine predicts another outcome
	RefuseAlreadyDone       RefusalCode = "already-done"          // nothing left to change
	RefuseInvalidInput      RefusalCode = "invalid"               // the input cannot be planned from
	RefuseGuest             RefusalCode = "guest"                 // matching against guests is undocumented (docs/entra-rules.md §2.4): refused
	RefuseOutOfScope        RefusalCode = "out-of-scope"          // the AD user is outside the sync scope
	RefuseCustom            RefusalCode = "custom-anchor"         // the anchor is not a GUID anchor
	RefuseNoAnchor          RefusalCode = "no-anchor"             // re-anchor: the cloud user has no ImmutableID
	RefuseJoined            RefusalCode = "joined"                // the AD user's anchor is already exported to a cloud object
	RefuseInScope           RefusalCode = "target-in-scope"       // ou-move: the target OU is inside the sync scope
	RefuseDeletionThreshold RefusalCode = "deletion-threshold"    // ou-move: more users than the export deletion threshold
	RefuseConfirm           RefusalCode = "confirmation-required" // tenant-wide: Options.Confirm is not the tenant id
	RefuseNoPrimary         RefusalCode = "no-match-attribute"    // soft match: nothing sync could match on
	RefuseBypassNotNeeded   RefusalCode = "bypass-already-on"     // the tenant's bypass is already on; the plan leaves it alone
	RefuseNothingToClear    RefusalCode = "nothing-to-clear"      // the cloud-only user carries no on-premises attribute
	// RefuseAdministrative: an administrative AD object (built-in account or group, a protected
	// administrative group): the preparation guide excludes them from source-of-authority transfer.
	RefuseAdministrative RefusalCode = "administrative"
	// RefuseObjectIdentifier is Entra's error name for a hard match onto a user that still carries
	// onPremisesObjectIdentifier (a remap), blocked since July 2026.
	RefuseObjectIdentifier RefusalCode = "AttributeUpdateNotAllowed"
)

// EngineRefusal is the refusal code of a block the matching engine predicts: Entra's own error
// name (matching.Code's word).
func EngineRefusal(c matching.Code) RefusalCode { return RefusalCode(c.String()) }
