// Package graphx is the Microsoft Graph adapter of hybridid: it reads a tenant (organization,
// sync feature flags, users, groups, contacts, deleted users, role assignments, and the inputs
// of the July 2026 hard-match protections: PIM eligibilities, privileged role definitions,
// members of role-holding groups, onPremisesObjectIdentifier) as streams of snapshot types,
// finds users by anchor, UPN or proxy address, and makes the few writes a hybrid identity
// conversion needs.
//
// Every request goes through msgraph-sdk-go's request adapter (msgraph-sdk-go-core's
// GraphRequestAdapterBase with the Graph middleware chain: telemetry, redirect, compression,
// parameter-name decoding, user agent) and Graph errors are parsed by the SDK's odataerrors
// model. Bodies are decoded by graphx into snapshot types: no exported API returns an SDK type.
//
// # Not done here
//
// graphx does not read onPremisesSyncBehavior in list reads (it is a navigation property; read
// it per object with SyncBehavior) or beta's transitiveRoleAssignments (it reads group members
// instead); it does not create or delete objects.
//
// Details (Retries and the write budget, The conversion port, Secrets, Errors, Rules encoded, Benchmarks): docs/graphx.md.
package graphx
