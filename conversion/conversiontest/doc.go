// Package conversiontest holds in-memory fakes of conversion's ports, for tests and for the
// demo: Directory (the on-premises AD) and Tenant (Entra), with state inspection (Get, All,
// Writes), fault injection (DirectoryFuncs, TenantFuncs), a throttling error with Retry-After
// (ThrottleError), a fake SyncCycle
// (Sync), and Population, a synced tenant of n users. Tenant.UserRoles answers from the tenant's
// role assignments, eligibilities, role definitions and role-assignable group members
// (conversion.HoldsOf); AssignRole, MakeEligible and SetObjectIdentifier change them between plan
// and apply. Tenant also holds groups and contacts (records of those classes) for the group and
// contact source-of-authority transfer, the seven on-premises attributes of a user
// (OnPremAttributes; SetDomainName sets the one matching records lack), the hardening bypass
// feature (SetHardeningBypass, reported by Organization), and Match, which makes a user synced
// as a hard match by a sync cycle would.
//
// The fakes enforce the preconditions every write carries (ErrConflict when the old value does
// not hold, ErrNotFound for a missing object), what Active Directory enforces (an old mail or
// userPrincipalName matches case-insensitively; a proxyAddresses change needs the whole old set;
// a sAMAccountName in use, and a container that does not exist, are refused on CreateUser and Move:
// add containers with Directory.AddContainer), and what Entra enforces that conversion relies on:
// an onPremisesImmutableId another user holds is refused; onPremisesImmutableId is read-only
// while a user is synced (docs/entra-rules.md §1.7); isCloudManaged=true
// leaves onPremisesSyncEnabled null (§4c); restore keeps the ImmutableID (§4a); a synced user's
// on-premises attributes are read-only and onPremisesObjectIdentifier accepts only null (§4d).
//
// What they do not model: sync itself (Tenant.SoftDelete stands in for a cycle, and Sync.OnDelta
// lets a test schedule it), the 72-hour pending state of a tenant-wide disable (it completes at
// once), the 30-day purge of deleted items, LDAP schema rules, passwords, Graph throttling
// (inject it with TenantFuncs), and the SDKs: graphxtest and ldapxtest fake those.
// Fakes have no global state; each is safe for concurrent use.
//
// # Fault injection
//
// Faults are injected in the project's one shape (controller-runtime's interceptor.Funcs idea,
// as in ldapxtest and graphxtest): DirectoryFuncs and TenantFuncs hold one optional hook per
// port method. A hook gets the call's ctx, its arguments (the request) and next, the fake's own
// behaviour, and may return an error without calling next (the write is not made), wait first
// (honouring ctx), call next and then return an error anyway (the write was made, its answer
// lost), or change what next returns. Directory.SetFuncs and Tenant.SetFuncs install them on a
// fake; InterceptDirectory and InterceptTenant put them around any implementation of the port
// (graphx's or ldapx's adapter included). EveryWrite builds Funcs that run one WriteHook (which
// gets the operation's name and target key) around every write; Before and After are the two
// common WriteHooks:
//
//	ft.SetFuncs(ft.EveryWrite(conversiontest.Before(func(ctx context.Context, op, target string) error {
//		return &conversiontest.ThrottleError{After: time.Second}
//	})))
package conversiontest
