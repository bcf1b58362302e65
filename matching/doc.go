// Package matching predicts what one Microsoft Entra sync cycle does with a population of
// on-premises Active Directory objects and a tenant's cloud objects.
//
// For every on-premises object it says whether it joins, hard-matches, soft-matches, is created,
// is blocked (with Entra's error name: InvalidHardMatch, AttributeUpdateNotAllowed,
// InvalidSoftMatch, ...), is out of scope, or could not be read (error); for every cloud object
// whether it is matched, deleted or left alone. Each result has a reason a help-desk engineer can
// act on and, where something is wrong, a fix; users also get the predicted cloud UPN, the values
// duplicate attribute resiliency will quarantine and the attributes a takeover overwrites. The
// rules in force are those of the input's date (TenantState.AsOf), including Entra's July 2026
// hard-match protections (privileged roles assigned or PIM-eligible, directly or through a
// role-assignable group; onPremisesObjectIdentifier already set; the temporary bypass flag).
// CheckUPN and EqualFold are the identifier rules the engine applies, for other callers too.
//
// The engine is pure: records in (OnPrem, Cloud, Tenant, Config), a Report out. It does no I/O,
// takes no context, has no clock and imports only package anchor and the standard library. The
// same input always gives the same report, whatever the order of unrelated objects. Both sides
// are indexed once and the work is spread over GOMAXPROCS goroutines: a million objects on each
// side take a few seconds. A caller that reads only the on-premises outcomes, such as a
// pre-sync check, calls EvaluateOnPrem, which leaves out the cloud results and the reasons
// nobody reads and costs about half the memory.
//
// What it does not do: read directories or tenants (packages ldif, ldapx, snapshot and graphx
// do), model custom sync rules, devices, multi-forest joins or password hash sync, or see
// Connect's own join state. Where Microsoft's documentation is silent or contradicts itself the
// engine takes a side and says so in the reason. docs/engine.md lists every rule the engine
// implements with its public source, and every choice it makes for undocumented behaviour; the
// outcome words are those of docs/outcomes.md and a Report marshals to the JSON of docs/cli.md.
package matching
