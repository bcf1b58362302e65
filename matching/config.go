package matching

import (
	"fmt"
	"strings"

	"github.com/hybridid/hybridid/dn"
)

// AnchorAttribute is the on-premises attribute the sync client uses as sourceAnchor.
type AnchorAttribute uint8

// The sourceAnchor choices (docs/entra-rules.md §1.2, §1.4, §1.5).
const (
	// AnchorConsistencyGUID (the default) is mS-DS-ConsistencyGuid, falling back to objectGUID
	// when it is empty, as Entra Connect does (it writes objectGUID back into the empty attribute).
	AnchorConsistencyGUID AnchorAttribute = iota
	// AnchorObjectGUID is objectGUID (Connect 1.1.486.0 and older, DirSync migrations).
	AnchorObjectGUID
	// AnchorCustom is a custom attribute (such as employeeID) whose value the reader put in
	// OnPrem.CustomAnchor.
	AnchorCustom
)

var anchorAttrNames = [...]string{"mS-DS-ConsistencyGuid", "objectGUID", "custom"}

// String returns "mS-DS-ConsistencyGuid", "objectGUID" or "custom".
func (a AnchorAttribute) String() string {
	if int(a) < len(anchorAttrNames) {
		return anchorAttrNames[a]
	}
	return "unknown"
}

// ParseAnchorAttribute parses the --source-anchor flag value (case-insensitive).
func ParseAnchorAttribute(s string) (AnchorAttribute, error) {
	for i, n := range anchorAttrNames {
		if strings.EqualFold(s, n) {
			return AnchorAttribute(i), nil
		}
	}
	return 0, fmt.Errorf("matching: unknown source anchor attribute %q (want objectGUID, mS-DS-ConsistencyGuid or custom)", s)
}

// Client is the sync client. Matching itself runs in the cloud service and is the same for
// every client (docs/entra-rules.md §1.6); the clients differ in how they compute the anchor.
type Client uint8

// The sync clients.
const (
	ConnectSync Client = iota // Microsoft Entra Connect Sync
	CloudSync                 // Microsoft Entra Cloud Sync
)

// String returns "connect-sync" or "cloud-sync".
func (c Client) String() string {
	if c == CloudSync {
		return "cloud-sync"
	}
	return "connect-sync"
}

// ParseClient parses a sync client name: "connect-sync" or "cloud-sync" (case-insensitive).
func ParseClient(s string) (Client, error) {
	switch {
	case strings.EqualFold(s, "connect-sync"):
		return ConnectSync, nil
	case strings.EqualFold(s, "cloud-sync"):
		return CloudSync, nil
	}
	return 0, fmt.Errorf("matching: unknown sync client %q (want connect-sync or cloud-sync)", s)
}

// DefaultDeletionThreshold is Connect's default export deletion threshold (docs/entra-rules.md §4a, [DELTHR]).
const DefaultDeletionThreshold = 500

// Config is the sync configuration the prediction is for. The zero Config is Connect Sync with
// default settings: everything in scope, mS-DS-ConsistencyGuid, threshold 500.
type Config struct {
	// Scope lists the OUs (DNs) in sync scope. An object is in scope when its DN is one of them
	// or below one of them, compared as package dn compares (case-insensitive, escaping and the
	// spaces around separators ignored). Empty means everything; an entry that is not a DN
	// selects nothing, and an object whose DN does not parse is out of scope.
	Scope []string
	// SourceAnchor is the anchor attribute (Connect Sync only: Cloud Sync always uses
	// mS-DS-ConsistencyGuid falling back to objectGUID, docs/entra-rules.md §1.6).
	SourceAnchor AnchorAttribute
	// Client is the sync client.
	Client Client
	// DeletionThreshold is the export deletion threshold: more pending deletes than this stop
	// the whole export. 0 means DefaultDeletionThreshold; a negative value turns the check off.
	DeletionThreshold int
}

func (c *Config) threshold() int {
	if c.DeletionThreshold == 0 {
		return DefaultDeletionThreshold
	}
	return c.DeletionThreshold
}

// scopeSet is the parsed sync scope.
type scopeSet []dn.DN

// newScope parses the scope OUs. Blank entries are left out (a list of only blank entries means
// everything); an entry that is not a DN stays in the set as the zero DN, which contains nothing,
// so that a typo narrows the scope instead of widening it to everything.
func newScope(dns []string) scopeSet {
	s := make(scopeSet, 0, len(dns))
	for _, d := range dns {
		if strings.TrimSpace(d) == "" {
			continue
		}
		p, _ := dn.Parse(d)
		s = append(s, p)
	}
	return s
}

// contains reports whether the object DN s is one of the scope OUs or below one of them. A DN
// that does not parse is in no OU. Parsing a DN as AD prints it does not allocate.
func (s scopeSet) contains(text string) bool {
	if len(s) == 0 {
		return true
	}
	d, err := dn.Parse(text)
	if err != nil {
		return false
	}
	for _, base := range s {
		if d.Within(base) {
			return true
		}
	}
	return false
}
