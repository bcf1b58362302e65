// Package graphxtest is an in-memory fake of the Microsoft Graph subset graphx uses, served by
// net/http/httptest (NewServer) or in-process without sockets (New + Fake.Transport, for
// testing/synctest). Tests drive it with the real client (graphx on msgraph-sdk-go's request
// adapter). Each Fake holds its own state, clock and faults: there is no global state.
//
// What it models:
//   - Graph JSON shapes: collections with @odata.context, @odata.nextLink ($skiptoken paging,
//     default page 100, $top 1..999), @odata.count; single entities with @odata.context; error
//     bodies {"error":{"code","message","innerError":{"request-id","date"}}} and request-id
//     headers; the default property set of users when there is no $select (collections such as
//     businessPhones are [] rather than null).
//   - Path segments (entity sets, navigation properties, type casts) matched case-insensitively
//     (/Users, /directory/deleteditems); header names case-insensitive, in requests and in batch
//     items; GET /organization/{id} and GET /directory/onPremisesSynchronization/{id}; type casts
//     under deletedItems (microsoft.graph.user; group, application, servicePrincipal, device,
//     administrativeUnit answer an empty collection) and /directory/deletedItems/{id}/microsoft.graph.user,
//     each also in the short form graph.user that msgraph-sdk-go's builders send.
//   - $select (unselected on-premises properties are absent, selected unset ones are null, as
//     in Graph, docs/entra-rules.md §6.1); $filter subset: prop eq 'v'|true|false|null,
//     startswith(prop,'v'), coll/any(x:x eq 'v') joined by "and"; proxyAddresses/any needs
//     ConsistencyLevel: eventual and $count=true (advanced query).
//   - 401 without a bearer token (any non-empty token is accepted).
//   - PATCH /users/{id}: onPremisesImmutableId of a synced, not cloud-managed user answers 400
//     AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService (docs/entra-rules.md §1.7); JSON
//     null clears; '$'/'_' are refused; a duplicate value answers 400 "already exists".
//   - onPremisesSyncBehavior GET/PATCH on users, groups, contacts; isCloudManaged=true sets
//     onPremisesSyncEnabled to null (docs/entra-rules.md §4c).
//   - Deleted users (typed cast required), restore within 30 days (then purged), UPN conflict on
//     restore (docs/entra-rules.md §6.2).
//   - Organization onPremisesSyncEnabled: a disable stays pending (default 72 h, docs/entra-rules.md §4b),
//     re-enable meanwhile answers 400 DirSyncStatusChangeNotAllowed (the real code is
//     UNDOCUMENTED); when it completes synced users become onPremisesSyncEnabled=false and lose
//     DN, sAMAccountName and on-premises UPN.
//   - Sync feature flags PATCH (unknown flags kept); beta onPremisesObjectIdentifier clear (null only).
//   - The July 2026 hard-match inputs: GET roleManagement/directory/roleEligibilityScheduleInstances,
//     roleManagement/directory/roleDefinitions (isPrivileged on beta only: a v1.0 $select of it
//     answers 400, as for any property a version lacks), groups/{id}/members (with @odata.type),
//     and users' onPremisesObjectIdentifier (beta only, likewise). A part the seed leaves nil
//     (the snapshot's "unknown") is answered 403 Authorization_RequestDenied, and a seed user
//     whose onPremisesObjectIdentifier is nil has it left out of beta answers even when
//     selected, so that a snapshot survives a round trip through the fake with "unknown" kept
//     apart from "none" and from null.
//   - POST /$batch: 1..20 items with unique ids, each routed, faulted and throttled on its own,
//     answered out of order with headers of its own (Content-Type, OData-Version, Retry-After…);
//     a body needs Content-Type (in any case).
//   - A write limiter (WithWriteRate; token bucket) answering 429 with Retry-After (whole
//     seconds, rounded up) and x-ms-throttle-scope.
//   - Fault injection per operation, in the project's one shape (controller-runtime's
//     interceptor.Funcs idea, as in ldapxtest and conversiontest): Funcs holds one Hook per
//     operation (the Op constants; Any for the rest). A hook gets the request's ctx, a Request
//     (operation, target, method, path, query, headers, body) and next, the fake's own
//     behaviour, and returns a Response or an error: a *Fault for an error status with
//     Retry-After, a dropped connection or a delay; it may also call next first and then fail
//     (the write was made, its answer lost). Install with WithFuncs or SetFuncs. The older
//     declarative faults (WithFaults / WithInterceptor / FailTimes / ParseFaults, the
//     spec of hybridctl fake-tenant --faults: error status, dropped connection, slow answer,
//     partial batch) are part of the fake's own behaviour that next runs.
//   - A controllable clock (WithClock; default time.Now, which testing/synctest fakes).
//   - Seeding from and exporting to a snapshot (WithSeed, Snapshot), inspection (User, Writes,
//     Throttled, Requests, DisablePending).
//
// What it does not model: creating or deleting objects through the API, any property not in
// snapshot types, $orderby/$search/$expand, the read (resource unit) throttling budget, token
// validation or permissions (403), eventual consistency delays, hard-match or soft-match by a
// sync client, mail/proxyAddresses recalculation, groups and contacts restore, role-assignable
// groups other than as seeded members, PIM activation or schedules (eligibilities are served as
// seeded), the real error text for cases docs/entra-rules.md marks UNDOCUMENTED.
//
// # Not verified against a real tenant
//
// Where the documentation does not settle a behaviour, the fake takes the stricter side, so that
// code that passes against it does not rely on leniency Graph may not have:
//   - A write of onPremisesImmutableId (or any property) of a synced user answers 400
//     AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService.
//   - proxyAddresses/any(…) in $filter without ConsistencyLevel: eventual and $count=true answers
//     400 Request_UnsupportedQuery (an advanced query); $count=true without the header too.
//   - Re-enabling sync while a tenant-wide disable is pending answers 400
//     DirSyncStatusChangeNotAllowed (the real code is undocumented).
//   - onPremisesObjectIdentifier exists on beta only: a v1.0 $select of it answers 400, as does a
//     v1.0 $select of a role definition's isPrivileged (v1.0's unifiedRoleDefinition lacks it).
//   - $batch request ids collide case-insensitively ("a" and "A").
//   - Role eligibilities, role definitions and group members the seed leaves nil answer 403
//     Authorization_RequestDenied (as for a caller without the permission, or a tenant without
//     PIM); the real answer for a tenant without an Entra ID P2 licence is undocumented here.
//   - The default property set of groups and contacts is the subset the fake stores.
package graphxtest
