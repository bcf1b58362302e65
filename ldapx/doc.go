// Package ldapx is the Active Directory adapter of hybridid: it reads users, groups and contacts
// as matching.OnPrem records over LDAP, finds objects by anchor, UPN or proxy address, and makes
// the few writes a conversion needs (create a user, set or clear mS-DS-ConsistencyGuid, replace
// proxyAddresses or the UPN, move to another OU).
//
// It is the only package that imports github.com/go-ldap/ldap/v3, and it depends on the small
// Conn interface (one page of a search, add, modify, modify DN) rather than on ldap.Client, so
// that ldapxtest.Directory can stand in for a domain controller. No exported API returns a
// go-ldap type.
//
// Safety: ldaps:// and StartTLS verify the server certificate; a simple bind over an unencrypted
// connection is refused unless AllowInsecurePlaintextBind; passwords are written only over TLS
// and never logged. Every write states the value it expects to replace, as an LDAP delete of the
// old value plus an add of the new one in one modify, so a concurrent change makes the write fail
// with an error wrapping ErrConflict instead of being overwritten. Because AD compares strings
// case-insensitively, a change of case only (SMTP: to smtp:) is not detected as a conflict, and a
// value added concurrently to a multi-valued attribute is kept, not detected.
//
// Details (the AD rules it encodes, server text and message limits, the conversion port and its
// errors, streaming, throughput, NTLM): docs/ldapx.md.
//
// Not done here: Kerberos/GSSAPI binds, LDAP signing and sealing without TLS, deletes, group
// membership, writes of Exchange attributes other than mailNickname at creation (mailNickname is
// written only when the schema has it: Samba and forests without Exchange lack it, and
// CreateUser reports it in Created.Skipped).
package ldapx
