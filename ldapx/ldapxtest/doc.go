// Package ldapxtest holds test support for ldapx: Directory, an in-memory directory that
// implements ldapx.Conn with Active Directory's behaviour (raw-byte objectGUID, case-insensitive
// names and matching, paged results with cookies, ranged retrieval, DN moves, AD result codes,
// a schema without mailNickname unless WithExchangeSchema); Conformance, one suite that runs
// against that fake and against a real Samba AD DC so the two cannot drift; and StartSamba, a
// launcher for a throwaway Samba AD DC (docs/samba-test-dc.md) with a test CA, shared by
// a test binary and stopped by SambaMain.
//
// Samba listens on the fixed ports 389 and 636 of 127.0.0.1, so only one DC runs per machine at a
// time: StartSamba takes an exclusive file lock in the temp directory, which serialises test
// binaries that use it. Only the LDAP server service is started (no Kerberos, SMB, DNS or RPC
// ports). When the samba binaries are missing, tests using StartSamba skip, or fail when CI=true.
//
// Directory does not model access control, referrals, password policy, moves of non-leaf
// entries, extensible-match, approximate or ordering filters, or replication.
package ldapxtest
