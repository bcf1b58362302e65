package matching

import (
	"fmt"
	"slices"
)

// Side says which directory an ObjectResult describes.
type Side uint8

// The two sides of a match report.
const (
	SideOnPrem Side = iota // an on-premises AD object
	SideCloud              // an Entra object
)

// String returns "onprem" or "cloud".
func (s Side) String() string {
	if s == SideCloud {
		return "cloud"
	}
	return "onprem"
}

// MarshalText implements encoding.TextMarshaler.
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Side) UnmarshalText(b []byte) error {
	switch string(b) {
	case "onprem":
		*s = SideOnPrem
	case "cloud":
		*s = SideCloud
	default:
		return fmt.Errorf("matching: unknown side %q (want onprem or cloud)", b)
	}
	return nil
}

// Outcome is what one sync cycle does with an object (docs/outcomes.md). Its text form
// is the stable word of the spec.
type Outcome uint8

// On-premises outcomes, then cloud outcomes.
const (
	OutcomeUnknown Outcome = iota
	Joined                 // "joined": a synced cloud object already carries the anchor
	HardMatch              // "hard-match": a not-synced cloud object has onPremisesImmutableId == anchor
	SoftMatchSMTP          // "soft-match-smtp": primary SMTP address equal, empty ImmutableID
	SoftMatchUPN           // "soft-match-upn": userPrincipalName equal, softMatchOnUpnEnabled
	New                    // "new": nothing matches, a cloud object is created
	Blocked                // "blocked": sync refuses the object; ObjectResult.Code says why
	OutOfScope             // "out-of-scope": sync ignores the object
	Deleted                // "deleted" (cloud): synced object whose on-premises object is gone
	Untouched              // "untouched" (cloud): nothing on-premises matches it
	Matched                // "matched" (cloud): an on-premises object joins or takes it over
	// Error ("error", on-premises) says the object's own data could not be read (OnPrem.ReadErrors):
	// the reason names the attribute, the value and where it came from. Every other object is
	// still predicted.
	Error
)

var outcomeNames = [...]string{"", "joined", "hard-match", "soft-match-smtp", "soft-match-upn", "new",
	"blocked", "out-of-scope", "deleted", "untouched", "matched", "error"}

// String returns the outcome word of the spec ("hard-match", "deleted", ...).
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	if i := slices.Index(outcomeNames[1:], string(b)); i >= 0 {
		*o = Outcome(i + 1)
		return nil
	}
	return fmt.Errorf("matching: unknown outcome %q", b)
}

// Code says why an object is Blocked. Its text form is Entra's own error name where one exists.
type Code uint8

// Block codes (docs/outcomes.md).
const (
	NoCode                     Code = iota
	InvalidHardMatch                // hard-match takeover blocked (tenant flag, or a privileged target from 2026-07-01)
	InvalidSoftMatch                // soft-match candidate already has a different ImmutableID
	ObjectTypeMismatch              // the candidate is of another object class
	AttributeValueMustBeUnique      // a unique value is held by a synced object
	ExistingAdminRoleConflict       // soft-match candidate holds an Entra role
	SoftMatchBlocked                // blockSoftMatchEnabled and only a soft match was possible
	// RemapBlocked is no longer reported: Entra's own name for a refused re-map is
	// AttributeUpdateNotAllowed. The word still parses, for reports written before.
	RemapBlocked
	IdentityDataValidationFailed // invalid userPrincipalName
	AmbiguousMatch               // more than one candidate
	CloudManaged                 // the target's source of authority is the cloud (isCloudManaged); not an Entra error name
	AttributeUpdateNotAllowed    // from 2026-07-01: the hard-match target's onPremisesObjectIdentifier is already set
)

var codeNames = [...]string{"", "InvalidHardMatch", "InvalidSoftMatch", "ObjectTypeMismatch",
	"AttributeValueMustBeUnique", "ExistingAdminRoleConflict", "SoftMatchBlocked", "RemapBlocked",
	"IdentityDataValidationFailed", "AmbiguousMatch", "CloudManaged", "AttributeUpdateNotAllowed"}

// String returns the code word ("InvalidHardMatch", ...) or "" for NoCode.
func (c Code) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Code) UnmarshalText(b []byte) error {
	if i := slices.Index(codeNames[:], string(b)); i >= 0 {
		*c = Code(i)
		return nil
	}
	return fmt.Errorf("matching: unknown code %q", b)
}

// Quarantine is one value duplicate attribute resiliency will quarantine (docs/entra-rules.md §3.1): the
// attribute, the value, and the object that already holds it.
type Quarantine struct {
	Attribute string `json:"attribute"` // "userPrincipalName" or "proxyAddresses"
	Value     string `json:"value"`
	HeldBy    string `json:"heldBy"`     // cloud object id, or on-premises DN when HolderSide is onprem
	Holder    Side   `json:"holderSide"` // cloud: certain; onprem: another on-premises object exports it too
}

// Overwrite is one cloud attribute sync will overwrite with the on-premises value when it joins or
// takes over a cloud object (docs/entra-rules.md §2.1: every attribute with an on-premises value wins).
// Single-valued attributes use Before/After, proxyAddresses uses BeforeValues/AfterValues.
type Overwrite struct {
	Attribute    string   `json:"attribute"`
	Before       string   `json:"before,omitempty"`
	After        string   `json:"after,omitempty"`
	BeforeValues []string `json:"beforeValues,omitempty"`
	AfterValues  []string `json:"afterValues,omitempty"`
}

// ObjectResult is the prediction for one object. Its JSON form is an object of the `objects` array of
// `hybridctl match --json` (docs/cli.md).
type ObjectResult struct {
	Side    Side    `json:"side"`
	Class   Class   `json:"class"`
	Outcome Outcome `json:"outcome"`
	Code    Code    `json:"code"`
	DN      string  `json:"dn,omitempty"`  // on-premises: distinguishedName
	ID      string  `json:"id,omitempty"`  // cloud: object id
	UPN     string  `json:"upn,omitempty"` // the object's own userPrincipalName
	Anchor  string  `json:"anchor,omitempty"`
	// Target is, on the on-premises side, the id of the cloud object joined, matched or (for
	// Blocked) refused.
	Target string `json:"target,omitempty"`
	Reason string `json:"reason"`
	Fix    string `json:"fix,omitempty"`
	// PredictedUPN is the cloud userPrincipalName after this cycle (users exported to Entra).
	PredictedUPN string       `json:"predictedUpn,omitempty"`
	Quarantined  []Quarantine `json:"quarantined,omitempty"`
	// Takeover lists the cloud attributes a join or match overwrites.
	Takeover []Overwrite `json:"takeover,omitempty"`
	// LostProxyAddresses are the cloud proxy addresses absent on-premises that the cloud object
	// loses on takeover (addresses Entra regenerates itself, *.onmicrosoft.com, are left out).
	LostProxyAddresses []string `json:"lostProxyAddresses,omitempty"`
	// MatchedBy is, on the cloud side, the DN of the on-premises object that joins, matches or
	// (for an untouched object) tried and was refused.
	MatchedBy string `json:"matchedBy,omitempty"`
}

// Warning is a whole-population finding. It marshals with a stable `code` and a `message`.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String returns the message.
func (w Warning) String() string { return w.Message }

// Warning codes.
const (
	WarnDeletionThreshold    = "deletion-threshold"
	WarnDuplicateAnchor      = "duplicate-anchor"
	WarnDuplicateUPN         = "duplicate-upn"
	WarnDuplicateSMTP        = "duplicate-smtp"
	WarnDuplicateAcrossClass = "duplicate-across-classes"
	WarnNoAsOf               = "no-as-of"
	WarnNoInitialDomain      = "no-initial-domain"
	WarnGuestTarget          = "guest-target"
	WarnRemap                = "remap"
	WarnAnchorSettingIgnored = "anchor-setting-ignored"
	WarnReadErrors           = "read-errors"
	WarnNotChecked           = "not-checked"
	WarnCloudSync            = "cloud-sync"
	warnLimitPerCode         = 50
)

// Report is the prediction for a whole population: one ObjectResult per input object, on-premises
// objects first then cloud objects, each side in input order.
type Report struct {
	Objects []ObjectResult `json:"objects"`
	// Summary counts the results by outcome word.
	Summary map[Outcome]int `json:"summary"`
	// Warnings are whole-population findings, at most 50 per code plus one line counting the rest.
	Warnings []Warning `json:"warnings"`
	// ExportStopped is true when the pending deletes exceed the export deletion threshold: Connect
	// then exports nothing at all (docs/entra-rules.md §4a, [DELTHR]).
	ExportStopped bool `json:"exportStopped"`

	nOnPrem int
}

// OnPrem returns the on-premises results, in input order (OnPrem()[i] is for onprem[i]). For a
// Report decoded from JSON it counts the leading results whose side is onprem.
func (r *Report) OnPrem() []ObjectResult { n := r.split(); return r.Objects[:n:n] }

// Cloud returns the cloud results, in input order (Cloud()[i] is for cloud[i]).
func (r *Report) Cloud() []ObjectResult { return r.Objects[r.split():] }

func (r *Report) split() int {
	if r.nOnPrem > 0 || len(r.Objects) == 0 || r.Objects[0].Side == SideCloud {
		return r.nOnPrem
	}
	n := 0
	for n < len(r.Objects) && r.Objects[n].Side == SideOnPrem {
		n++
	}
	return n
}

// UnmarshalText implements encoding.TextUnmarshaler for Class ("user", "group", "contact",
// "unknown"), so that a Report decodes from its JSON form.
func (c *Class) UnmarshalText(b []byte) error {
	if i := slices.Index(classNames[:], string(b)); i >= 0 {
		*c = Class(i)
		return nil
	}
	return fmt.Errorf("matching: unknown class %q", b)
}
