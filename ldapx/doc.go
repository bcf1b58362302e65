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
// What it encodes (docs/entra-rules.md):
//   - §7: objectGUID and mS-DS-ConsistencyGuid are 16-byte octet strings read raw and searched
//     with every octet escaped (anchor.ObjectGUID.LDAPFilterValue); mS-DS-ConsistencyGuid is not
//     indexed, so a search on it is a full scan. Paged results (RFC 2696) with page size at most
//     AD's MaxPageSize 1000. proxyAddresses is compared case-insensitively by AD. accountEnabled is
//     userAccountControl & ACCOUNTDISABLE (0x2) == 0; objects without userAccountControl (groups,
//     contacts) read as enabled, as package ldif reads them. Mail-enabled means an "SMTP:" proxy
//     or a mail containing "@".
//   - §1.4: Entra Connect needs write access to mS-DS-ConsistencyGuid; SetConsistencyGUID is that
//     write.
//
// Safety: ldaps:// and StartTLS verify the server certificate; a simple bind over an unencrypted
// connection is refused unless AllowInsecurePlaintextBind; passwords are written only over TLS
// and never logged. Every write states the value it expects to replace, as an LDAP delete of the
// old value plus an add of the new one in one modify, so a concurrent change makes the write fail
// with an error wrapping ErrConflict instead of being overwritten. Because AD compares strings
// case-insensitively, a change of case only (SMTP: to smtp:) is not detected as a conflict, and a
// value added concurrently to a multi-valued attribute is kept, not detected.
//
// Server text: every text a server sends back (diagnostic messages of results, go-ldap's error
// texts) goes through internal/redact.Text with the bind password before it enters an error, so
// a server or proxy that echoes the bind request cannot make the password appear in an error, a
// log line or a terminal, and control characters are escaped. One LDAP message read from the
// server is bounded at 8 MiB (six times the largest entry the requested attributes can make)
// and refused before any allocation past that; the length arithmetic cannot overflow on 32-bit
// builds.
//
// Client.Directory is the conversion.Directory port: users named by objectGUID through the
// extended DN "<GUID=…>" (accepted by AD and Samba, checked by the conformance suite), the same
// delete-old/add-new writes, a re-read before a move (LDAP cannot make modify DN conditional).
// Every failure is an *OpError{Op, DN, Code, Message, Err} (Code the LDAP result code, Message
// the server's text scrubbed, Err a sentinel of this package); errors.Is matches its sentinel and
// conversion's of the same meaning (ErrNotFound, ErrConflict, ErrForbidden, ErrThrottled,
// ErrReadOnly, ErrUnavailable); unwillingToPerform is ErrReadOnly. LDAP names no wait before a
// retry, so OpError.RetryAfter always reports false. Client.Export
// writes what Objects reads as LDIF (package ldif), which ldif.ReadOnPrem reads back unchanged.
//
// Reads stream as iter.Seq2[matching.OnPrem, error]: one page in memory at a time. A failure
// part-way (including between pages) is yielded as an error, never as a short result. Referrals
// are skipped, computer objects are not returned, and AD ranged retrieval
// (proxyAddresses;range=0-1499) is followed to the last range.
//
// Throughput: a paged search requests the next page while the caller works through the current
// one (one page ahead, at most two pages in memory). Searches do not go through go-ldap: a
// Dial'd connection has one reader goroutine that decodes search responses straight from the
// bytes into Entries (values are slices of the received messages, a few allocations per entry),
// and hands every other message (bind, write and StartTLS answers) unchanged to go-ldap, which
// still performs binds and writes on the same TLS connection. StartTLS is sent by this package
// so that the reader sits under TLS. A search that outlives WithTimeout is abandoned (RFC 4511
// §4.11) and the connection stays usable; a ctx that ends first closes the connection, as for
// writes.
//
// NTLM (WithNTLMBind) is go-ldap's MS "sicily" NTLM bind, which AD accepts; Samba does not
// implement it (it accepts NTLM only inside SASL GSS-SPNEGO, which go-ldap lacks), so it is
// not tested against Samba.
//
// Not done here: Kerberos/GSSAPI binds, LDAP signing and sealing without TLS, deletes, group
// membership, writes of Exchange attributes other than mailNickname at creation (mailNickname is
// written only when the schema has it: Samba and forests without Exchange lack it, and
// CreateUser reports it in Created.Skipped).
package ldapx
