package conversion

import (
	"fmt"
	"slices"
)

// Directions of a conversion, the words of hybridctl's --to.
const (
	ToCloudOnly = "cloud-only" // synced users become cloud-only
	ToSynced    = "synced"     // cloud-only users become synced
)

// PlannerFunc is the signature every planner has.
type PlannerFunc func(*Input, *Options) *Plan

type methodSpec struct {
	to      string
	planner PlannerFunc
	needsAD bool // the planner reads (and the plan may write) the on-premises directory
}

// methods is the registry: each method word, its direction and its planner, the default of each
// direction first.
var methods = []struct {
	name string
	methodSpec
}{
	{MethodSOA, methodSpec{ToCloudOnly, PlanSOA, false}},
	{MethodOUMove, methodSpec{ToCloudOnly, PlanOUMove, true}},
	{MethodTenant, methodSpec{ToCloudOnly, PlanTenantWide, false}},
	{MethodClearOnPrem, methodSpec{ToCloudOnly, PlanClearOnPrem, false}},
	{MethodHardMatch, methodSpec{ToSynced, PlanHardMatch, true}},
	{MethodReAnchor, methodSpec{ToSynced, PlanReAnchor, true}},
	{MethodSoftMatch, methodSpec{ToSynced, PlanSoftMatch, true}},
}

// Methods returns the method words of a direction (ToCloudOnly or ToSynced), the default first;
// nil for an unknown direction.
func Methods(to string) []string {
	var out []string
	for _, m := range methods {
		if m.to == to {
			out = append(out, m.name)
		}
	}
	return out
}

// MethodError says that a method word is unknown, or does not belong to the direction asked for.
type MethodError struct {
	Method, To string
	Want       []string // the methods of To ("" To: every method)
}

func (e *MethodError) Error() string {
	if e.To == "" {
		return fmt.Sprintf("conversion: unknown method %q (want one of %v)", e.Method, e.Want)
	}
	return fmt.Sprintf("conversion: method %q does not convert to %s (want one of %v)", e.Method, e.To, e.Want)
}

// Planner returns the planner of method. With to set ("" accepts any direction), the method
// must belong to that direction. The error is a *MethodError.
func Planner(to, method string) (PlannerFunc, error) {
	for _, m := range methods {
		if m.name == method && (to == "" || m.to == to) {
			return m.planner, nil
		}
	}
	want := Methods(to)
	if to == "" {
		for _, m := range methods {
			want = append(want, m.name)
		}
	}
	return nil, &MethodError{Method: method, To: to, Want: slices.Clip(want)}
}

// NeedsDirectory reports whether method reads the on-premises directory (so a caller must give
// planners Input.OnPrem, and Apply a Directory): every method except soa and tenant-wide.
func NeedsDirectory(method string) bool {
	for _, m := range methods {
		if m.name == method {
			return m.needsAD
		}
	}
	return true
}
