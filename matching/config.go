package matching

import (
	"fmt"
	"strings"
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
	// Scope lists the OUs (DNs) in sync scope. An object is in scope when its DN equals one of
	// them or ends with "," + one of them, compared case-insensitively on RDN boundaries (spaces
	// around ',' and '=' are ignored). Empty means everything.
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

// normDN returns dn with the spaces around unescaped ',' and '=' and at both ends removed. It
// returns dn itself (no allocation) when there is nothing to remove.
func normDN(dn string) string {
	if !strings.ContainsRune(dn, ' ') {
		return dn
	}
	var b strings.Builder
	b.Grow(len(dn))
	pending := 0 // spaces seen but not yet written
	afterSep := true
	for i := 0; i < len(dn); i++ {
		c := dn[i]
		switch {
		case c == ' ':
			pending++
			continue
		case c == '\\' && i+1 < len(dn):
			if !afterSep {
				b.WriteString(strings.Repeat(" ", pending))
			}
			b.WriteByte(c)
			b.WriteByte(dn[i+1])
			i++
			pending, afterSep = 0, false
			continue
		case c == ',' || c == '=':
			b.WriteByte(c)
			pending, afterSep = 0, true
			continue
		}
		if !afterSep {
			b.WriteString(strings.Repeat(" ", pending))
		}
		b.WriteByte(c)
		pending, afterSep = 0, false
	}
	return b.String()
}

// scopeSet is the normalised sync scope.
type scopeSet []string

func newScope(dns []string) scopeSet {
	s := make(scopeSet, 0, len(dns))
	for _, d := range dns {
		if d = normDN(d); d != "" {
			s = append(s, d)
		}
	}
	return s
}

// contains reports whether dn is at or below one of the scope OUs, and which one.
func (s scopeSet) contains(dn string) bool {
	if len(s) == 0 {
		return true
	}
	dn = normDN(dn)
	for _, base := range s {
		if len(dn) == len(base) && strings.EqualFold(dn, base) {
			return true
		}
		if len(dn) > len(base) && dn[len(dn)-len(base)-1] == ',' && !escapedAt(dn, len(dn)-len(base)-1) &&
			strings.EqualFold(dn[len(dn)-len(base):], base) {
			return true
		}
	}
	return false
}

// escapedAt reports whether the byte at i is escaped by an odd run of backslashes before it.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
