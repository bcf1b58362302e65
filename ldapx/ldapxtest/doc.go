// Package ldapxtest holds test support for ldapx: Directory, an in-memory directory that
// implements ldapx.Conn with Active Directory's behaviour (raw-byte objectGUID, case-insensitive
// names and matching, paged results with cookies, ranged retrieval, DN moves, AD result codes,
// a schema without mailNickname unless WithExchangeSchema); Conformance, one suite that runs
// against that fake and against a real Samba AD DC so the two cannot drift; and StartSamba, a
// launcher for a throwaway Samba AD DC (docs/samba-test-dc.md) with a test CA, shared by
// a test binary and stopped by SambaMain.
//
// # Fault injection
//
// Faults are injected with Funcs, one hook per operation (Search, Add, Modify, ModifyDN), after
// controller-runtime's interceptor.Funcs. Each hook gets ctx, the request and next, the fake's
// own behaviour, and returns an error instead, waits (Delay, honouring ctx) or calls next, and
// may call next and still fail (a lost answer). This is the project's one fault shape: every
// fake offers a Funcs struct with a field per operation of the interface it fakes, with the same
// signature pattern func(ctx, request…, next) (answer…, error), installed by an option (WithFuncs)
// or on a running fake (SetFuncs), and a wrapper that puts the same hooks around any
// implementation of that interface, real ones included (Intercept, like controller-runtime's
// interceptor.NewClient). For example, a directory busy for the first modify:
//
//	var calls atomic.Int32
//	d := ldapxtest.NewDirectory(ldapxtest.WithFuncs(ldapxtest.Funcs{
//		Modify: func(ctx context.Context, req *ldapx.ModifyRequest, next ldapxtest.ModifyFunc) error {
//			if calls.Add(1) == 1 {
//				return &ldapx.ResultError{Code: ldapx.ResultBusy}
//			}
//			return next(ctx, req)
//		},
//	}))
//
// Samba listens on the fixed ports 389 and 636 of 127.0.0.1, so only one DC runs per machine at a
// time: StartSamba takes an exclusive file lock in the temp directory, which serialises test
// binaries that use it. Only the LDAP server service is started (no Kerberos, SMB, DNS or RPC
// ports). When the samba binaries are missing, tests using StartSamba skip, or fail when CI=true.
//
// Directory does not model access control, referrals, password policy, moves of non-leaf
// entries, extensible-match, approximate or ordering filters, or replication.
package ldapxtest
