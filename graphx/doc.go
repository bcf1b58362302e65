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
// # Retries and the write budget
//
// kiota's RetryHandler (part of the SDK's default middleware) retries 429/503/504 up to 3 times,
// honours Retry-After (truncating fractional seconds) and otherwise backs off exponentially with
// jitter. graphx does not use it: it removes it from the chain and retries in Client.do instead,
// so that (1) every attempt of a write passes through the client-side write budget, (2) a 429
// pauses all writers of the client for its Retry-After, not only the one that was throttled,
// (3) a batch retries only the items Graph throttled, and (4) a write is resent only after a
// 429. A write answered 503 or 504, or whose answer never came (a timeout, a dropped connection;
// a failed dial excepted), may have been made: graphx returns ErrOutcomeUnknown and never resends
// it, so that the caller re-reads first (the conversion port maps it to "may have happened",
// and the apply loop re-reads). Reads are resent after 429, 503, 504 and lost answers.
// Retry-After is honoured as delta-seconds (fractions kept) or an HTTP date; without it the wait
// is exponential from 1 s, capped at 32 s, with jitter in [d/2, d). WithMaxRetries bounds the
// attempts.
//
// The write budget (WithWriteBudget) is a token bucket defaulting to Graph's documented limit per
// application per tenant, 3,000 writes per 2 min 30 s (docs/entra-rules.md §6.5); each batch item counts
// as one write.
//
// # The conversion port
//
// Client.Tenant returns a conversion.Tenant. Graph has no conditional PATCH, so each of its
// writes re-reads the property it replaces and refuses with conversion.ErrConflict when the old
// value no longer holds; a change by another writer between that read and the write (one round
// trip) is not detected. Its errors are the same *OpError as the Client's, which match both
// graphx's and conversion's sentinels; RetryAfter reports the wait Graph named.
//
// # Secrets
//
// A bearer token (a StaticToken or one from an azcore credential) is sent over plain http only
// to a loopback host (127.0.0.0/8, ::1, localhost); New refuses any other plain-http endpoint.
// Every server-supplied text that enters an error or a log (error code, message, request-id,
// a followed link, transport errors) passes through internal/redact with the tokens this client
// sent: they and any Bearer/Basic credential or Authorization value are masked, control
// characters escaped, so that a server or proxy echoing the request cannot leak the token or
// drive a terminal.
//
// # Errors
//
// Every failure is an *OpError{Op, Target, Status, Code, Message, RequestID, Wait, Err}, the
// only error type of the package, whose Err is one of ErrNotFound, ErrConflict, ErrThrottled,
// ErrReadOnly, ErrForbidden, ErrBadRequest, ErrUnavailable, ErrOutcomeUnknown (or ctx.Err()).
// errors.Is also matches the conversion sentinel of the same meaning (OpError.Is), and
// RetryAfter() (time.Duration, bool) reports the wait Graph named in Retry-After, so the same
// error satisfies conversion.RetryAfterError. A write answered with a 5xx or sent without an
// answer is ErrOutcomeUnknown and is never resent. The SDK's error text is in Message; the SDK
// error is not wrapped. ErrReadOnly is Graph's answer to a write of onPremisesImmutableId on a
// synced user (code AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService,
// docs/entra-rules.md §1.7).
//
// # Rules encoded (docs/entra-rules.md)
//
//   - §6.1: on-premises properties are returned only with $select; graphx always selects them.
//   - §1.7: onPremisesImmutableId is cleared with JSON null, never ""; '$' and '_' are refused
//     before any request; a synced user's value is read-only.
//   - §4b: organization onPremisesSyncEnabled=false is pending for up to 72 h; the exact Graph
//     error for a re-enable meanwhile is UNDOCUMENTED: graphx maps any 400/409 whose code is
//     DirSyncStatusChangeNotAllowed to ErrConflict (the fake answers that).
//   - §4c: onPremisesSyncBehavior.isCloudManaged is written on v1.0 for users, groups, contacts.
//   - §6.2: deleted users are read with the required type cast; restore keeps the object id.
//   - §6.4: JSON batches hold at most 20 requests, answers are matched by id, items are
//     throttled individually.
//   - §6.5/§6.6: the write limit and the least permission of each request (in each method's doc).
//   - §2.4 (hard-match protections since 2026-07-01): onPremisesObjectIdentifier is read and
//     cleared (null only) on beta; role definitions are read on beta because v1.0's
//     unifiedRoleDefinition has no isPrivileged; eligibilities (roleEligibilityScheduleInstances)
//     and group members on v1.0; the bypass flag
//     allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled comes with the v1.0 sync features
//     when Graph returns it (absent: unknown). Roles held through a group are read as the direct
//     members of each group that is a principal of an assignment or eligibility (role-assignable
//     groups cannot contain groups). What the caller may not read (403, no PIM licence, a beta
//     property missing) is recorded as unknown, not as "none".
//
// # Benchmarks
//
//	go test -run XXX -bench SnapshotUsers100k -benchtime 3x ./graphx/
//	GRAPHX_BULK=1 go test -run XXX -bench BulkPatch10k -benchtime 1x ./graphx/   # about 50 s
//
// The first reads 100,000 users from the fake (in-process and over loopback) and reports the
// client's own time, allocations and bytes per user next to the fake's time. The second sends
// 10,000 single-user PATCHes from 8 goroutines to a fake limited to 200 writes/s and reports the
// share of that budget achieved, lost and duplicated writes, and 429s (GRAPHX_BULK_CLIENT_RATE
// paces the client above the fake's rate to provoke them). TestBulkWritesUnderThrottling
// proves the same properties (no loss, no duplicate, every Retry-After honoured) at small
// scale under testing/synctest in the default test run.
//
// # Not done here
//
// graphx does not read onPremisesSyncBehavior in list reads (it is a navigation property; read
// it per object with SyncBehavior) or beta's transitiveRoleAssignments (it reads group members
// instead); it does not create or delete objects.
package graphx
